import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxDrawdown } from './maxDrawdown.js';
import { returnMetrics } from './returnMetrics.js';
import { sharpeRatio } from './sharpeRatio.js';

// Realistic simple returns: −99 % … +200 % on a 1e-8 grid (no subnormal magnitudes, whose
// squares underflow in any double-precision implementation, numpy's included).
const returnsArb = fc.array(
	fc.integer({ min: -99_000_000, max: 200_000_000 }).map((units) => units / 1e8),
	{ minLength: 0, maxLength: 300 },
);

describe('return metric properties', () => {
	it('max drawdown is a fraction in [0, 1) and its duration fits in the series', () => {
		fc.assert(
			fc.property(returnsArb, (returns) => {
				const { maxDrawdownRatio, maxDrawdownDurationPeriods } = maxDrawdown(returns);
				if (returns.length === 0) {
					expect(maxDrawdownRatio).toBeNull();
					return;
				}
				expect(maxDrawdownRatio!).toBeGreaterThanOrEqual(0);
				expect(maxDrawdownRatio!).toBeLessThan(1);
				expect(maxDrawdownDurationPeriods!).toBeGreaterThanOrEqual(0);
				expect(maxDrawdownDurationPeriods!).toBeLessThanOrEqual(returns.length);
				expect(maxDrawdownRatio === 0).toBe(maxDrawdownDurationPeriods === 0);
			}),
		);
	});

	it('Sharpe does not change when every return is scaled by a positive factor', () => {
		fc.assert(
			fc.property(returnsArb, fc.double({ min: 0.1, max: 10, noNaN: true }), (returns, factor) => {
				const base = sharpeRatio(returns, 365);
				const scaled = sharpeRatio(
					returns.map((r) => r * factor),
					365,
				);
				if (base === null || scaled === null) return;
				expect(Math.abs(scaled - base)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(base)));
			}),
		);
	});

	it('never reports NaN or Infinity — only numbers or null', () => {
		fc.assert(
			fc.property(returnsArb, fc.constantFrom(365, 8760, 525600), (returns, periodsPerYear) => {
				for (const value of Object.values(returnMetrics(returns, periodsPerYear))) {
					if (value !== null) expect(Number.isFinite(value)).toBe(true);
				}
			}),
		);
	});
});
