import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { SmaStream, sma } from './sma.js';

const f = (xs: number[]) => Float64Array.from(xs);

describe('sma', () => {
	it('returns na (NaN) for the first length-1 bars, then the window mean', () => {
		expect(Array.from(sma(f([1, 2, 3, 4, 5]), 3))).toEqual([NaN, NaN, 2, 3, 4]);
	});

	it('skips na inputs: the window is the last length non-na values and the value repeats on the na bar', () => {
		expect(Array.from(sma(f([1, NaN, 2, 3, NaN, 5]), 2))).toEqual([NaN, NaN, 1.5, 2.5, 2.5, 4]);
	});

	it('returns the input for length 1', () => {
		expect(Array.from(sma(f([3, 1, 4]), 1))).toEqual([3, 1, 4]);
	});

	it('stays exact over a long run (periodic re-summation stops drift)', () => {
		const n = 200_000;
		const xs = new Float64Array(n);
		for (let i = 0; i < n; i++) xs[i] = 30_000 + ((i * 7919) % 1000) / 10; // 0.1 steps: not binary-exact
		const out = sma(xs, 50);
		let worst = 0;
		for (let i = n - 1000; i < n; i++) {
			let s = 0;
			for (let k = i - 49; k <= i; k++) s += xs[k];
			worst = Math.max(worst, Math.abs(out[i] - s / 50) / (s / 50));
		}
		expect(worst).toBeLessThan(1e-14);
	});

	it('streams the same numbers as the batch form, null for na', () => {
		const s = new SmaStream(2);
		expect(s.update(1)).toBeNull();
		expect(s.value).toBeNull();
		expect(s.update(null)).toBeNull();
		expect(s.update(3)).toBe(2);
		expect(s.update(Number.NaN)).toBe(2);
		expect(s.value).toBe(2);
	});

	it('rejects a non-positive or fractional length', () => {
		expect(() => sma(f([1]), 0)).toThrow(InvalidInputError);
		expect(() => new SmaStream(2.5)).toThrow(InvalidInputError);
	});
});
