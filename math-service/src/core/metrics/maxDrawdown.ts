/**
 * @module maxDrawdown
 * Maximum drawdown: the worst fall of the equity curve from a running peak, as a fraction of that
 * peak. Equity starts at 1 before the first return (so a loss in period one is already a
 * drawdown) and compounds: Eₖ = Π_{i≤k}(1 + rᵢ).
 *
 * Duration, in periods, belongs to that worst drawdown: from the last period at which equity
 * stood at the peak the drawdown is measured from, to the first later period at which equity is
 * back at or above that peak (recovery) — or to the end of the series if it never recovers.
 * Example: returns [−0.1, +0.05, +0.06] give equity 1, 0.9, 0.945, 1.0017: depth 10 %, peak at
 * period 0, recovered at period 3 → duration 3.
 */
import { validateReturns } from '../stats/index.js';

export interface MaxDrawdown {
	/** Largest peak-to-trough loss, a positive fraction (0.2 = 20 % below the peak); 0 if none. */
	maxDrawdownRatio: number | null;
	/** Periods from that drawdown's peak to recovery, or to the end if unrecovered; 0 if none. */
	maxDrawdownDurationPeriods: number | null;
}

/**
 * Max drawdown = max over k of (peakₖ − Eₖ)/peakₖ, peakₖ = max_{j≤k} Eⱼ, E₀ = 1.
 * Units: ratio is a positive fraction; duration counts periods (returns).
 * Degenerate cases: empty series → both null; a curve that never falls (all returns ≥ 0) → 0
 * and 0. When several drawdowns share the maximum depth, the first one is reported.
 * Non-finite returns throw `InvalidInputError`.
 * Source: empyrical.max_drawdown (same depth, reported there as a negative number); duration is
 * this project's definition above (empyrical has none), checked against an independent pandas
 * computation in scripts/reference/generate_reference.py.
 */
export function maxDrawdown(returns: ArrayLike<number>): MaxDrawdown {
	validateReturns(returns);
	const n = returns.length;
	if (n === 0) return { maxDrawdownRatio: null, maxDrawdownDurationPeriods: null };
	let equity = 1;
	let peak = 1;
	let peakIndex = 0;
	let worst = 0;
	let worstPeak = 1;
	let worstPeakIndex = 0;
	let worstTroughIndex = -1;
	for (let i = 0; i < n; i++) {
		equity *= 1 + returns[i];
		const period = i + 1;
		if (equity >= peak) {
			peak = equity;
			peakIndex = period;
			continue;
		}
		const drawdown = (peak - equity) / peak;
		if (drawdown > worst) {
			worst = drawdown;
			worstPeak = peak;
			worstPeakIndex = peakIndex;
			worstTroughIndex = period;
		}
	}
	if (worstTroughIndex < 0) return { maxDrawdownRatio: 0, maxDrawdownDurationPeriods: 0 };
	// Second pass: first period after the trough at which equity is back at the peak.
	let recoveryIndex = n;
	equity = 1;
	for (let i = 0; i < n; i++) {
		equity *= 1 + returns[i];
		if (i + 1 > worstTroughIndex && equity >= worstPeak) {
			recoveryIndex = i + 1;
			break;
		}
	}
	return { maxDrawdownRatio: worst, maxDrawdownDurationPeriods: recoveryIndex - worstPeakIndex };
}
