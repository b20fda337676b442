import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { maxDrawdown } from './maxDrawdown.js';

describe('maxDrawdown', () => {
	it('returns depth and peak-to-recovery duration for a recovered drawdown', () => {
		// Equity 1 → 0.9 → 0.945 → 1.0017: 10 % deep, peak at period 0, back above it at period 3.
		expect(maxDrawdown([-0.1, 0.05, 0.06])).toEqual({ maxDrawdownRatio: expect.closeTo(0.1, 15), maxDrawdownDurationPeriods: 3 });
	});

	it('counts a first-period loss because equity starts at 1 before the first return', () => {
		expect(maxDrawdown([-0.2]).maxDrawdownRatio).toBeCloseTo(0.2, 15);
		expect(maxDrawdown([-0.2]).maxDrawdownDurationPeriods).toBe(1);
	});

	it('runs the duration to the end of the series when equity never recovers', () => {
		// Peak at period 2 (1.1·1.1 = 1.21), then falls and stays below for 3 periods.
		const result = maxDrawdown([0.1, 0.1, -0.3, 0.05, 0.05]);
		expect(result.maxDrawdownRatio).toBeCloseTo(0.3, 14);
		expect(result.maxDrawdownDurationPeriods).toBe(3);
	});

	it('measures from the last period at the peak, not the first', () => {
		// Equity 1, 1.1, 1.1 (flat at the peak), 0.99, 1.1 (recovered): duration 4 − 2 = 2.
		const result = maxDrawdown([0.1, 0, -0.1, 1.1 / 0.99 - 1]);
		expect(result.maxDrawdownDurationPeriods).toBe(2);
	});

	it('reports the deepest drawdown, not the longest one', () => {
		// Long shallow dip (5 %) for 4 periods, then a short deep one (20 %) recovered in 2.
		const shallow = [-0.05, 0, 0, 0.06];
		const deep = [-0.2, 0.3];
		const result = maxDrawdown([...shallow, ...deep]);
		expect(result.maxDrawdownRatio).toBeCloseTo(0.2, 14);
		expect(result.maxDrawdownDurationPeriods).toBe(2);
	});

	it('returns 1 for a total loss', () => {
		expect(maxDrawdown([0.1, -1, 0.5]).maxDrawdownRatio).toBe(1);
	});

	it('returns 0 and 0 when equity never falls, null and null when empty', () => {
		expect(maxDrawdown([0.01, 0, 0.02])).toEqual({ maxDrawdownRatio: 0, maxDrawdownDurationPeriods: 0 });
		expect(maxDrawdown([])).toEqual({ maxDrawdownRatio: null, maxDrawdownDurationPeriods: null });
	});

	it('throws InvalidInputError at a non-finite return', () => {
		expect(() => maxDrawdown([0.1, Number.NaN])).toThrow(InvalidInputError);
	});
});
