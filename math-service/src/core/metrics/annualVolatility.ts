/**
 * @module annualVolatility
 * Annualised volatility: the per-period standard deviation of returns scaled by √P, the
 * square-root-of-time rule for independent returns.
 */
import { isNoiseStd, sampleMoments, sampleStd, validatePeriodsPerYear, validateReturns } from '../stats/index.js';

/**
 * Annual volatility = std(r, ddof = 1) · √P.
 * Units: a fraction per year (0.8 = 80 % annualised volatility).
 * Degenerate cases: fewer than 2 returns → null; a standard deviation that is floating-point
 * noise (≤ 1e-10 of the largest |return|) → exactly 0, since a constant series has no volatility
 * (this is a real zero, not a division, so it is reported rather than nulled).
 * Non-finite returns or P ≤ 0 throw `InvalidInputError`.
 * Source: empyrical.annual_volatility (alpha = 2).
 */
export function annualVolatility(returns: ArrayLike<number>, periodsPerYear: number): number | null {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const moments = sampleMoments(returns);
	if (moments.n < 2) return null;
	const std = sampleStd(moments);
	if (isNoiseStd(std, moments.maxAbs)) return 0;
	return std * Math.sqrt(periodsPerYear);
}
