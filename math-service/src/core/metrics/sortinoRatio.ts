/**
 * @module sortinoRatio
 * Sortino ratio: like Sharpe, but only downside moves count as risk. The downside deviation is
 * the root-mean-square of the returns clipped at 0 from above, averaged over ALL n periods
 * (periods with a gain contribute 0), not only over the losing ones — the target-downside
 * deviation of Sortino & Forsey, as empyrical implements it.
 */
import { sampleMoments, validatePeriodsPerYear, validateReturns } from '../stats/index.js';

/**
 * Sortino = (mean(r) · P) / (√(Σ min(rᵢ, 0)² / n) · √P), required return 0.
 * Units: a dimensionless annualised ratio.
 * Degenerate cases → null: fewer than 2 returns (empyrical's rule); no negative return at all,
 * so the downside deviation is 0 (empyrical prints +inf or NaN). A series with losses but zero
 * variance (e.g. a constant −0.1 %) has a real downside deviation and gets a number (−√P).
 * Non-finite returns or P ≤ 0 throw `InvalidInputError`.
 * Source: empyrical.sortino_ratio and empyrical.downside_risk (stats.py); F. Sortino and
 * L. Price, "Performance Measurement in a Downside Risk Framework", J. of Investing 3(3), 1994.
 */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear: number): number | null {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const n = returns.length;
	if (n < 2) return null;
	let downsideSquares = 0;
	for (let i = 0; i < n; i++) {
		const r = returns[i];
		if (r < 0) downsideSquares += r * r;
	}
	if (downsideSquares === 0) return null;
	const downsideRisk = Math.sqrt(downsideSquares / n) * Math.sqrt(periodsPerYear);
	const ratio = (sampleMoments(returns).mean * periodsPerYear) / downsideRisk;
	return Number.isFinite(ratio) ? ratio : null;
}
