/**
 * @module continuousKellyFraction
 * Kelly for a continuously rebalanced position in an asset with per-period returns of mean μ and
 * variance σ²: the growth-optimal leverage is f* = μ/σ² (risk-free rate 0). It is a leverage,
 * not a probability: 2.0 means twice the capital, −0.5 a half-size short.
 */
import { isNoiseStd, sampleMoments, sampleStd, validateReturns } from '../stats/index.js';

/**
 * f* = mean(returns) / var(returns, ddof = 1).
 * Units: leverage (fraction of capital, may exceed 1 or be negative).
 * Degenerate cases: fewer than 2 returns, or a standard deviation that is zero or
 * floating-point noise (≤ 1e-10 of the largest |return|) → null, because dividing by it would
 * report an absurd leverage. Non-finite returns throw `InvalidInputError`.
 * Source: E. O. Thorp, "The Kelly criterion in blackjack, sports betting and the stock market"
 * (2006), §7, eq. 7.3 (f* = (m − r)/s² with r = 0).
 */
export function continuousKellyFraction(returns: ArrayLike<number>): number | null {
	validateReturns(returns);
	const moments = sampleMoments(returns);
	if (moments.n < 2) return null;
	const std = sampleStd(moments);
	if (isNoiseStd(std, moments.maxAbs)) return null;
	return moments.mean / (std * std);
}
