/**
 * @module tailRatio
 * Tail ratio: size of the right tail against the left tail, the 95th percentile of returns over
 * the absolute 5th percentile. 0.25 means the bad days are four times as large as the good ones.
 */
import { quantileInPlace, validateReturns } from '../stats/index.js';

/**
 * Tail ratio = |P95(r)| / |P5(r)|, percentiles with numpy's linear interpolation
 * (h = (n−1)·q between order statistics).
 * Units: a dimensionless ratio.
 * Degenerate cases → null: an empty series; a 5th percentile of exactly 0 (empyrical's inf or
 * NaN). Non-finite returns throw `InvalidInputError`.
 * Source: empyrical.tail_ratio (stats.py), np.percentile(method="linear").
 */
export function tailRatio(returns: ArrayLike<number>): number | null {
	validateReturns(returns);
	if (returns.length === 0) return null;
	const scratch = Float64Array.from(returns);
	const low = quantileInPlace(scratch, 0.05);
	const high = quantileInPlace(scratch, 0.95);
	const ratio = Math.abs(high) / Math.abs(low);
	return Number.isFinite(ratio) ? ratio : null;
}
