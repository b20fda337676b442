/**
 * @module totalReturn
 * Total (cumulative) return of compounding the per-period returns: one unit of equity grows to
 * Π(1 + rᵢ); the total return is that final equity minus the starting unit.
 */
import { validateReturns } from '../stats/index.js';

/**
 * Total return = Π(1 + rᵢ) − 1.
 * Units: a fraction (0.25 = +25 %; −1 = everything lost).
 * Degenerate cases: an empty series → null (no periods, no return).
 * Non-finite returns throw `InvalidInputError`.
 * Source: empyrical.cum_returns_final(returns, starting_value=0).
 */
export function totalReturn(returns: ArrayLike<number>): number | null {
	validateReturns(returns);
	if (returns.length === 0) return null;
	return finalEquity(returns) - 1;
}

/** Π(1 + rᵢ), the equity after the last period when the first period starts at 1. */
export function finalEquity(returns: ArrayLike<number>): number {
	let equity = 1;
	for (let i = 0; i < returns.length; i++) equity *= 1 + returns[i];
	return equity;
}
