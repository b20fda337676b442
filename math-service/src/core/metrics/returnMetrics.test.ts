import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { returnMetrics } from './returnMetrics.js';
import { sharpeRatio } from './sharpeRatio.js';

describe('returnMetrics', () => {
	it('returns periods 0 and every metric null for an empty series', () => {
		expect(returnMetrics([], 365)).toEqual({
			periods: 0,
			totalReturnRatio: null,
			cagrRatio: null,
			annualVolatilityRatio: null,
			sharpeRatio: null,
			sortinoRatio: null,
			maxDrawdownRatio: null,
			maxDrawdownDurationPeriods: null,
			calmarRatio: null,
			omegaRatio: null,
			tailRatio: null,
		});
	});

	it('returns the same numbers as the individual metric functions', () => {
		const returns = Float64Array.from([0.02, -0.01, 0.03, 0.0, -0.02, 0.01]);
		expect(returnMetrics(returns, 8760).sharpeRatio).toBe(sharpeRatio(returns, 8760));
	});

	it('throws InvalidInputError with loc [returns, i] for NaN and [periodsPerYear] for P ≤ 0', () => {
		const locOf = (fn: () => unknown) => {
			try {
				fn();
			} catch (error) {
				expect(error).toBeInstanceOf(InvalidInputError);
				return (error as InvalidInputError).loc;
			}
			return undefined;
		};
		expect(locOf(() => returnMetrics([0.01, 0.02, 0.01, Number.NaN], 365))).toEqual(['returns', 3]);
		expect(locOf(() => returnMetrics([0.01], 0))).toEqual(['periodsPerYear']);
	});
});
