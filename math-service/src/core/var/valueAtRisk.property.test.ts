import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileInPlace } from '../stats/quantile.js';
import { valueAtRisk } from './valueAtRisk.js';

// Realistic simple returns: −99 % … +200 % on a 1e-8 grid (no subnormal magnitudes, whose
// squares underflow in any double-precision implementation, numpy's included).
const returnsArb = fc.array(
	fc.integer({ min: -99_000_000, max: 200_000_000 }).map((units) => units / 1e8),
	{ minLength: 1, maxLength: 400 },
);
const confidenceArb = fc.double({ min: 0.5, max: 0.999, noNaN: true });

describe('valueAtRisk properties', () => {
	it('historical CVaR is never below historical VaR', () => {
		fc.assert(
			fc.property(returnsArb, confidenceArb, (returns, confidence) => {
				const result = valueAtRisk(returns, { confidence });
				expect(result.cvar!).toBeGreaterThanOrEqual(result.var! - 1e-15);
			}),
		);
	});

	it('historical VaR equals minus the sorted-array linear percentile', () => {
		fc.assert(
			fc.property(returnsArb, confidenceArb, (returns, confidence) => {
				const sorted = [...returns].sort((a, b) => a - b);
				const h = (sorted.length - 1) * (1 - confidence);
				const lo = Math.floor(h);
				const hi = Math.min(lo + 1, sorted.length - 1);
				const expected = -(sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]));
				const actual = valueAtRisk(returns, { confidence }).var!;
				expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
				expect(quantileInPlace(Float64Array.from(returns), 1 - confidence)).toBeCloseTo(-expected, 12);
			}),
		);
	});

	it('higher confidence never lowers historical or parametric VaR', () => {
		fc.assert(
			fc.property(returnsArb, confidenceArb, confidenceArb, (returns, a, b) => {
				const [low, high] = a <= b ? [a, b] : [b, a];
				for (const method of ['historical', 'parametric'] as const) {
					const lowVar = valueAtRisk(returns, { confidence: low, method }).var!;
					const highVar = valueAtRisk(returns, { confidence: high, method }).var!;
					expect(highVar).toBeGreaterThanOrEqual(lowVar - 1e-12);
				}
			}),
		);
	});

	it('Cornish-Fisher returns a number or null with a reason, never NaN', () => {
		fc.assert(
			fc.property(returnsArb, confidenceArb, (returns, confidence) => {
				const result = valueAtRisk(returns, { confidence, method: 'cornish_fisher' });
				for (const value of [result.var, result.cvar]) {
					if (value === null) expect(result.reason).toEqual(expect.any(String));
					else expect(Number.isFinite(value)).toBe(true);
				}
			}),
		);
	});
});
