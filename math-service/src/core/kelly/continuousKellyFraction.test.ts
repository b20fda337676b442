import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { continuousKellyFraction } from './continuousKellyFraction.js';

describe('continuousKellyFraction', () => {
	it('returns mean / sample variance (ddof = 1)', () => {
		// [0.02, -0.01, 0.03, 0.00]: mean 0.01, Σ(x−x̄)² = 0.0001+0.0004+0.0004+0.0001 = 0.001,
		// variance 0.001/3, so f* = 0.01 / (0.001/3) = 30.
		expect(continuousKellyFraction([0.02, -0.01, 0.03, 0.0])).toBeCloseTo(30, 9);
	});

	it('returns a negative leverage for a losing series', () => {
		expect(continuousKellyFraction([-0.02, 0.01, -0.03, 0.0])).toBeCloseTo(-30, 9);
	});

	it('returns null for zero variance and for floating-point-noise variance', () => {
		expect(continuousKellyFraction([0.001, 0.001, 0.001, 0.001])).toBeNull();
		expect(continuousKellyFraction(new Array(1000).fill(0.1))).toBeNull();
		expect(continuousKellyFraction([0, 0, 0])).toBeNull();
	});

	it('returns null for fewer than two returns', () => {
		expect(continuousKellyFraction([])).toBeNull();
		expect(continuousKellyFraction([0.01])).toBeNull();
	});

	it('throws InvalidInputError at the index of a NaN return', () => {
		try {
			continuousKellyFraction([0.01, 0.02, 0.03, Number.NaN]);
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).loc).toEqual(['returns', 3]);
		}
	});
});
