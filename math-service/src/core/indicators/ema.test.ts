import { describe, expect, it } from 'vitest';
import { EmaStream, ema } from './ema.js';

const f = (xs: number[]) => Float64Array.from(xs);

describe('ema', () => {
	it('is na for length-1 values, seeds with their SMA, then steps prev + alpha*(x - prev)', () => {
		// alpha = 2/(3+1) = 0.5: seed = mean(1,2,3) = 2; then 2 + .5*(4-2) = 3; 3 + .5*(5-3) = 4.
		// First-value seeding (the reference manual's example) would give 3.125 at bar 2, not 2.
		expect(Array.from(ema(f([1, 2, 3, 4, 5]), 3))).toEqual([NaN, NaN, 2, 3, 4]);
	});

	it('counts only non-na values towards the warm-up and skips na bars', () => {
		expect(Array.from(ema(f([NaN, 1, NaN, 3, 6]), 2))).toEqual([NaN, NaN, NaN, 2, 2 + (2 / 3) * (6 - 2)]);
	});

	it('equals the SMA of close on the first defined bar of a 50-bar EMA', () => {
		const xs = new Float64Array(60);
		for (let i = 0; i < 60; i++) xs[i] = 100 + Math.sin(i) * 5;
		const out = ema(xs, 50);
		let s = 0;
		for (let i = 0; i < 50; i++) s += xs[i];
		expect(Number.isNaN(out[48])).toBe(true);
		expect(out[49]).toBe(s / 50);
	});

	it('returns the input for length 1', () => {
		expect(Array.from(ema(f([3, 1, 4]), 1))).toEqual([3, 1, 4]);
	});

	it('streams null during warm-up and the batch numbers afterwards', () => {
		const s = new EmaStream(3);
		expect([s.update(1), s.update(2), s.update(3), s.update(null), s.update(4)]).toEqual([null, null, 2, 2, 3]);
		expect(s.value).toBe(3);
	});
});
