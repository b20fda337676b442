/**
 * @module sharpeRatio
 * Sharpe ratio: reward per unit of total risk. With a zero risk-free rate it is the mean
 * per-period return divided by the per-period standard deviation, scaled to a year by √P
 * (returns i.i.d., so the mean grows with P and the deviation with √P).
 */
import { isNoiseStd, sampleMoments, sampleStd, validatePeriodsPerYear, validateReturns } from '../stats/index.js';

/**
 * Sharpe = mean(r) / std(r, ddof = 1) · √P, risk-free rate 0.
 * Units: a dimensionless annualised ratio. P = periods per year (365 daily, 8760 hourly,
 * 525600 minute).
 * Degenerate cases → null: fewer than 2 returns; a standard deviation that is zero or
 * floating-point noise (≤ 1e-10 of the largest |return|), where empyrical would print ±1e16 or
 * NaN. Non-finite returns or P ≤ 0 throw `InvalidInputError`.
 * Source: empyrical.sharpe_ratio (quantopian/empyrical 0.5.5, stats.py); W. F. Sharpe,
 * "The Sharpe Ratio", Journal of Portfolio Management 21(1), 1994.
 */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear: number): number | null {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const moments = sampleMoments(returns);
	if (moments.n < 2) return null;
	const std = sampleStd(moments);
	if (isNoiseStd(std, moments.maxAbs)) return null;
	return (moments.mean / std) * Math.sqrt(periodsPerYear);
}
