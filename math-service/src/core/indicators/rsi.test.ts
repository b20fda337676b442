import { describe, expect, it } from 'vitest';
import { RsiStream, rsi } from './rsi.js';

const f = (xs: number[]) => Float64Array.from(xs);

describe('rsi', () => {
	it('is 100 - 100/(1 + rma(up)/rma(down)), first value on bar length', () => {
		// changes: na, +1, +1, -1, +2 → up/down RMA(2) seeded on bar 2 with (1, 0); bar 3 (.5, .5); bar 4 (1.25, .25)
		const out = rsi(f([1, 2, 3, 2, 4]), 2);
		expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
		expect(out[2]).toBe(100); // down == 0
		expect(out[3]).toBe(50);
		expect(out[4]).toBeCloseTo(100 - 100 / 6, 12);
	});

	it('is 0 when there were only losses and 100 on a flat series', () => {
		expect(rsi(f([5, 4, 3, 2]), 2)[3]).toBe(0);
		expect(rsi(f([5, 5, 5, 5]), 2)[3]).toBe(100);
	});

	it('treats the change after an na bar as na (x[1] is the previous bar)', () => {
		// changes: na, +1, na (x na), na (x[1] na), +1 → only 2 non-na changes by bar 4
		const out = rsi(f([1, 2, NaN, 3, 4]), 2);
		expect(Array.from(out.slice(0, 4)).every(Number.isNaN)).toBe(true);
		expect(out[4]).toBe(100);
	});

	it('streams the batch numbers', () => {
		const s = new RsiStream(2);
		expect([1, 2, 3, 2].map((x) => s.update(x))).toEqual([null, null, 100, 50]);
		expect(s.value).toBe(50);
	});
});
