import { describe, expect, it } from 'vitest';
import { hlc3, type CandleColumns } from '../candles.js';
import { ema } from '../indicators/ema.js';
import { stdev } from '../indicators/stdev.js';
import { vwap } from '../indicators/vwap.js';
import { computeStrategyIndicators, StrategyIndicatorStream } from './computeStrategyIndicators.js';

/** Seeded bars with the awkward cases: na prices and volumes, zero volume, flat runs, gaps, 1e5 price level. */
function awkwardBars(n: number, seed: number): CandleColumns {
	let a = seed >>> 0;
	const rnd = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const f = () => new Float64Array(n);
	const c: CandleColumns = { openTime: f(), open: f(), high: f(), low: f(), close: f(), volume: f(), length: n };
	let price = 100_000 * (0.5 + rnd());
	let t = Date.UTC(1969, 11, 30, 7, 13); // before the epoch: negative open times too
	for (let i = 0; i < n; i++) {
		const flat = rnd() < 0.05 || (i >= 1_000 && i < 1_150); // a zero-volume flat stretch: stdev exactly 0
		const close = flat ? price : price * (1 + (rnd() - 0.5) * 0.004);
		c.openTime[i] = t;
		c.open[i] = price;
		c.close[i] = rnd() < 0.01 ? Number.NaN : close;
		c.high[i] = rnd() < 0.01 ? Number.NaN : Math.max(price, close) + (flat ? 0 : rnd() * 30);
		c.low[i] = Math.min(price, close) - (flat ? 0 : rnd() * 30);
		const v = rnd();
		c.volume[i] = v < 0.1 || (i >= 1_000 && i < 1_150) ? 0 : v < 0.11 ? Number.NaN : v * 7;
		price = close;
		t += rnd() < 0.002 ? 3 * 86_400_000 + 60_000 : 60_000;
	}
	return c;
}

const same = (a: Float64Array, b: Float64Array) => expect(Array.from(a, String)).toEqual(Array.from(b, String));

describe('computeStrategyIndicators', () => {
	for (const [stdevLength, trendEmaLength, offset] of [[50, 50, 0], [1, 1, 0], [7, 200, -5 * 3_600_000], [20, 3, 21 * 3_600_000], [60, 60, 1]] as const) {
		it(`returns the same bits as hlc3 → vwap, stdev, ema one by one (stdev ${stdevLength}, ema ${trendEmaLength}, session offset ${offset} ms)`, () => {
			const c = awkwardBars(6_000, stdevLength * 31 + trendEmaLength);
			const got = computeStrategyIndicators(c, { stdevLength, trendEmaLength }, offset);
			const typical = hlc3(c);
			same(got.vwap, vwap(typical, c.volume, c.openTime, { sessionOffsetMs: offset }));
			same(got.bandStdev, stdev(typical, stdevLength));
			same(got.trendEma, ema(c.close, trendEmaLength));
			expect(got.vwap.some((x) => x === x)).toBe(true);
			expect(got.bandStdev.some((x) => x === 0)).toBe(true);
		});
	}

	it.each([
		['fractional ms', (i: number) => -86_400_000 * 2 + i * 59_999.75],
		['beyond 1e7 days', (i: number) => 1e7 * 86_400_000 - 3 * 86_400_000 + i * 3_600_000],
		['na and out-of-order', (i: number) => (i % 97 === 5 ? Number.NaN : i % 89 === 3 ? 0 : Date.UTC(2024, 0, 1) + i * 60_000)],
	])('returns the same VWAP bits with open times that are %s', (_, time) => {
		const c = awkwardBars(6_000, 77);
		for (let i = 0; i < c.length; i++) c.openTime[i] = time(i);
		for (const offset of [0, 1, -7 * 3_600_000]) {
			const got = computeStrategyIndicators(c, { stdevLength: 14, trendEmaLength: 9 }, offset);
			same(got.vwap, vwap(hlc3(c), c.volume, c.openTime, { sessionOffsetMs: offset }));
		}
	});

	it('returns the same bits range by range as in one pass, wherever the ranges are cut', () => {
		const c = awkwardBars(6_000, 4242);
		const params = { stdevLength: 50, trendEmaLength: 50 };
		const whole = computeStrategyIndicators(c, params, 3_600_000);
		// Cuts inside the warm-up, at a stdev re-base boundary, at single bars and at random places.
		const cuts = [0, 1, 2, 49, 50, 51, 100, 101, 1_000, 1_149, 2_048, 2_049, 4_095, 5_999, 6_000];
		const stream = new StrategyIndicatorStream(params, 3_600_000);
		const f = () => new Float64Array(6_000);
		const pieces = { vwap: f(), bandStdev: f(), trendEma: f() };
		for (let k = 0; k + 1 < cuts.length; k++) {
			const [start, end] = [cuts[k], cuts[k + 1]];
			const out = { vwap: pieces.vwap.subarray(start), bandStdev: pieces.bandStdev.subarray(start), trendEma: pieces.trendEma.subarray(start) };
			stream.fill(c, start, end, out);
		}
		same(pieces.vwap, whole.vwap);
		same(pieces.bandStdev, whole.bandStdev);
		same(pieces.trendEma, whole.trendEma);
	});

	it('reads only the first `length` bars of longer columns', () => {
		const c = awkwardBars(500, 9);
		const short = { ...c, length: 300 };
		const got = computeStrategyIndicators(short, { stdevLength: 20, trendEmaLength: 30 });
		expect(got.vwap.length).toBe(300);
		same(got.trendEma, ema(c.close.subarray(0, 300), 30));
	});

	it('rejects a non-integer length', () => {
		expect(() => computeStrategyIndicators(awkwardBars(10, 1), { stdevLength: 2.5, trendEmaLength: 3 })).toThrow(/length/);
	});
});
