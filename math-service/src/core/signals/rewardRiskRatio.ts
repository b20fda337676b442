/**
 * @module rewardRiskRatio
 * Reward-to-risk of a long trade plan: how many units of profit the target pays per unit lost at the
 * stop. The seed's risk framework only takes trades with R/R >= 1.5 at entry.
 */

/**
 * Reward/risk of a long: (target − entry) / (entry − stop).
 *
 * Units: a plain ratio (1.5 = the target pays 1.5× the stop's loss). Degenerate cases: `null` when
 * entry <= stop (no risk to divide by, or the stop is on the wrong side) or any input is not finite.
 * A target at or below the entry gives 0 or a negative ratio (no reward), which fails any minimum.
 * Source: the standard R-multiple definition (Van K. Tharp, "Trade Your Way to Financial Freedom").
 */
export function rewardRiskRatio(entry: number, stop: number, target: number): number | null {
	if (!Number.isFinite(entry) || !Number.isFinite(stop) || !Number.isFinite(target)) return null;
	if (entry <= stop) return null;
	return (target - entry) / (entry - stop);
}
