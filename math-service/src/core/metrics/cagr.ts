/**
 * @module cagr
 * Compound annual growth rate: the constant yearly return that turns the starting equity into
 * the final equity over the same span. The span in years is the number of periods divided by
 * the periods per year, so a few minutes of returns extrapolate to a (possibly absurd) yearly
 * rate — callers should show CAGR only for spans of a meaningful length.
 */
import { validatePeriodsPerYear, validateReturns } from '../stats/index.js';
import { finalEquity } from './totalReturn.js';

/**
 * CAGR = (Π(1 + rᵢ))^(1/years) − 1 with years = n / P.
 * Units: a fraction per year (0.12 = 12 % a year).
 * Degenerate cases → null: an empty series; a negative final equity (leveraged loss beyond
 * −100 %, no real root); an overflow to ±Infinity when a short, strong series is extrapolated
 * to a year. A final equity of exactly 0 gives −1 (total loss).
 * Non-finite returns or P ≤ 0 throw `InvalidInputError`.
 * Source: empyrical.annual_return / empyrical.cagr (stats.py).
 */
export function cagr(returns: ArrayLike<number>, periodsPerYear: number): number | null {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const n = returns.length;
	if (n === 0) return null;
	const years = n / periodsPerYear;
	const growth = Math.pow(finalEquity(returns), 1 / years) - 1;
	return Number.isFinite(growth) ? growth : null;
}
