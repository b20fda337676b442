import { describe, expect, it } from 'vitest';
import { BollingerStream, bollingerBands } from './bollingerBands.js';

const f = (xs: number[]) => Float64Array.from(xs);

describe('bollingerBands', () => {
	it('is sma ± mult·population stdev', () => {
		const { basis, upper, lower } = bollingerBands(f([1, 2, 3, 4, 5]), 3, 2);
		expect(Number.isNaN(basis[1]) && Number.isNaN(upper[1]) && Number.isNaN(lower[1])).toBe(true);
		expect(basis[2]).toBe(2);
		expect(upper[2]).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 13);
		expect(lower[4]).toBeCloseTo(4 - 2 * Math.sqrt(2 / 3), 13);
	});

	it('streams the basis and exposes the bands', () => {
		const s = new BollingerStream(2, 1);
		expect(s.update(1)).toBeNull();
		expect(s.upper).toBeNull();
		expect(s.update(3)).toBe(2);
		expect([s.lower, s.basis, s.upper, s.value]).toEqual([1, 2, 3, 2]);
	});
});
