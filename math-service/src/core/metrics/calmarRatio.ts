/**
 * @module calmarRatio
 * Calmar ratio: yearly growth earned per unit of worst historical pain, CAGR divided by the
 * maximum drawdown. It rewards strategies that compound without deep falls.
 */
import { validatePeriodsPerYear, validateReturns } from '../stats/index.js';
import { cagr } from './cagr.js';
import { maxDrawdown } from './maxDrawdown.js';

/**
 * Calmar = CAGR / max drawdown (both as fractions; the drawdown positive).
 * Units: a dimensionless ratio.
 * Degenerate cases → null: no drawdown at all (max drawdown 0, empyrical's NaN); CAGR null
 * (empty series, overflow, negative equity); a non-finite quotient.
 * Non-finite returns or P ≤ 0 throw `InvalidInputError`.
 * Source: empyrical.calmar_ratio (stats.py); T. W. Young, "Calmar Ratio: A Smoother Tool",
 * Futures 20(1), 1991.
 */
export function calmarRatio(returns: ArrayLike<number>, periodsPerYear: number): number | null {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const drawdown = maxDrawdown(returns).maxDrawdownRatio;
	if (drawdown === null || !(drawdown > 0)) return null;
	const growth = cagr(returns, periodsPerYear);
	if (growth === null) return null;
	const ratio = growth / drawdown;
	return Number.isFinite(ratio) ? ratio : null;
}
