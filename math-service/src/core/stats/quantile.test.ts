import { describe, expect, it } from 'vitest';
import { quantileInPlace, selectKth } from './quantile.js';

/** Deterministic pseudo-random values (LCG), so the test needs no seed library. */
function lcgValues(count: number, seed: number): number[] {
	let state = seed >>> 0;
	const out: number[] = [];
	for (let i = 0; i < count; i++) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		out.push(state / 2 ** 32 - 0.5);
	}
	return out;
}

describe('selectKth', () => {
	it('returns the same order statistic as a full sort for every k', () => {
		const values = lcgValues(257, 7);
		const sorted = [...values].sort((a, b) => a - b);
		for (let k = 0; k < values.length; k++) {
			expect(selectKth(Float64Array.from(values), k)).toBe(sorted[k]);
		}
	});

	it('handles many ties and already sorted input', () => {
		const ties = Float64Array.from([3, 1, 2, 2, 2, 1, 3, 2, 1]);
		expect(selectKth(ties.slice(), 4)).toBe(2);
		const sorted = Float64Array.from({ length: 1000 }, (_, i) => i);
		expect(selectKth(sorted, 37)).toBe(37);
	});

	it('partitions: everything before k is ≤ values[k], everything after is ≥', () => {
		const values = Float64Array.from(lcgValues(500, 3));
		const kth = selectKth(values, 123);
		for (let i = 0; i < 123; i++) expect(values[i]).toBeLessThanOrEqual(kth);
		for (let i = 124; i < 500; i++) expect(values[i]).toBeGreaterThanOrEqual(kth);
	});
});

describe('quantileInPlace', () => {
	it('returns numpy linear percentiles (np.percentile([1,2,3,4,10], [5, 50, 95]) = 1.2, 3, 8.8)', () => {
		const data = [4, 1, 10, 3, 2];
		expect(quantileInPlace(Float64Array.from(data), 0.05)).toBeCloseTo(1.2, 14);
		expect(quantileInPlace(Float64Array.from(data), 0.5)).toBe(3);
		expect(quantileInPlace(Float64Array.from(data), 0.95)).toBeCloseTo(8.8, 14);
	});

	it('returns the single value for n = 1 and NaN for n = 0', () => {
		expect(quantileInPlace(Float64Array.from([0.5]), 0.05)).toBe(0.5);
		expect(quantileInPlace(new Float64Array(0), 0.05)).toBeNaN();
	});
});
