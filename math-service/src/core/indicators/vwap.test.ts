import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { hlc3 } from '../candles.js';
import { VwapStream, sessionDay, vwap } from './vwap.js';

const f = (xs: number[]) => Float64Array.from(xs);
const H = 3_600_000;
const day0 = Date.UTC(2023, 2, 24);

describe('vwap', () => {
	it('anchors on bar 0 even mid-day (partial first day) and resets at 00:00 UTC', () => {
		const t = f([day0 + 22 * H, day0 + 23 * H, day0 + 24 * H, day0 + 25 * H]);
		const out = vwap(f([10, 20, 30, 40]), f([1, 3, 2, 2]), t);
		expect(out[0]).toBe(10); // anchored on bar 0, not na
		expect(out[1]).toBe((10 * 1 + 20 * 3) / 4);
		expect(out[2]).toBe(30); // new UTC day: vwap == src on the anchor bar
		expect(out[3]).toBe((30 * 2 + 40 * 2) / 4);
	});

	it('carries its value over zero-volume bars', () => {
		const t = f([day0, day0 + H, day0 + 2 * H]);
		expect(Array.from(vwap(f([10, 99, 20]), f([2, 0, 2]), t))).toEqual([10, 10, 15]);
	});

	it('is na (NaN), not a division by zero, while the day has no volume yet', () => {
		const t = f([day0 + 23 * H, day0 + 24 * H, day0 + 25 * H, day0 + 26 * H]);
		const out = vwap(f([10, 11, 12, 13]), f([5, 0, 0, 4]), t);
		expect(out[0]).toBe(10);
		expect(Number.isNaN(out[1])).toBe(true);
		expect(Number.isNaN(out[2])).toBe(true);
		expect(out[3]).toBe(13);
	});

	it('resets on the first bar after an outage that skips whole days', () => {
		const t = f([day0, day0 + 3 * 24 * H]);
		expect(Array.from(vwap(f([10, 20]), f([1, 1]), t))).toEqual([10, 20]);
	});

	it('moves the anchor with sessionOffsetMs (e.g. a 21:00 UTC session open)', () => {
		const t = f([day0 + 20 * H, day0 + 21 * H, day0 + 23 * H, day0 + 24 * H]);
		const out = vwap(f([10, 20, 30, 40]), f([1, 1, 1, 1]), t, { sessionOffsetMs: 21 * H });
		expect(Array.from(out)).toEqual([10, 20, 25, 30]);
		expect(sessionDay(day0 + 20 * H, 21 * H)).toBe(sessionDay(day0 - 1, 21 * H));
	});

	it('skips na price or volume', () => {
		const t = f([day0, day0 + H, day0 + 2 * H]);
		expect(Array.from(vwap(f([10, NaN, 20]), f([1, 5, 1]), t))).toEqual([10, 10, 15]);
	});

	it('streams null where the batch form gives NaN', () => {
		const s = new VwapStream();
		expect(s.update(10, 0, day0)).toBeNull();
		expect(s.update(12, 2, day0 + H)).toBe(12);
		expect(s.value).toBe(12);
	});
});

describe('vwap on the real zero-volume stretches (pine-semantics.md §10)', () => {
	for (const [file, from, to, zeroBars] of [
		['BTCUSDT-1m-2023.csv', Date.UTC(2023, 2, 24), Date.UTC(2023, 2, 25), 72],
		['BTCUSDT-1h.csv', Date.UTC(2023, 2, 24), Date.UTC(2023, 2, 25), 1],
	] as const) {
		it(`${file} 2023-03-24: every zero-volume bar carries the previous VWAP, never NaN`, () => {
			const c = realCandleSlice(file, { fromMs: from, toMs: to });
			const out = vwap(hlc3(c), c.volume, c.openTime);
			let checked = 0;
			for (let i = 1; i < c.length; i++) {
				if (c.volume[i] !== 0) continue;
				expect(out[i]).toBe(out[i - 1]);
				expect(Number.isNaN(out[i])).toBe(false);
				checked++;
			}
			expect(checked).toBe(zeroBars);
			// 00:00 UTC anchor: vwap = (hlc3·v)/v = hlc3 (to the last bit of the product) on the day's first bar
			expect(Math.abs(out[0] / hlc3(c)[0] - 1)).toBeLessThan(1e-15);
		});
	}
});
