/**
 * @module omegaRatio
 * Omega ratio at threshold 0: the sum of all gains divided by the sum of all losses (as a
 * magnitude) — probability-weighted upside over downside, using the whole distribution rather
 * than its first two moments.
 */
import { validateReturns } from '../stats/index.js';

/**
 * Omega(0) = Σ max(rᵢ, 0) / Σ max(−rᵢ, 0).
 * Units: a dimensionless ratio (> 1 means gains outweigh losses).
 * Degenerate cases → null: fewer than 2 returns (empyrical's rule); no losing period, so the
 * denominator is 0 (empyrical's NaN); a quotient that overflows to Infinity (losses of
 * subnormal size).
 * Non-finite returns throw `InvalidInputError`.
 * Source: empyrical.omega_ratio(returns, risk_free=0, required_return=0) (stats.py);
 * C. Keating and W. F. Shadwick, "A Universal Performance Measure", J. of Performance
 * Measurement 6(3), 2002.
 */
export function omegaRatio(returns: ArrayLike<number>): number | null {
	validateReturns(returns);
	if (returns.length < 2) return null;
	let gains = 0;
	let losses = 0;
	for (let i = 0; i < returns.length; i++) {
		const r = returns[i];
		if (r > 0) gains += r;
		else if (r < 0) losses -= r;
	}
	const ratio = gains / losses;
	return losses > 0 && Number.isFinite(ratio) ? ratio : null;
}
