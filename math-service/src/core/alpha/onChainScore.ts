/**
 * @module alpha/onChainScore
 * The on-chain ("chips") component: where coins move and whether long-term holders sell at a profit.
 *
 * - Exchange netflow (Glassnode `transfers_volume_exchanges_net`, positive = net inflow to
 *   exchanges): coins moving onto exchanges are coins about to be sold, so an unusually large
 *   inflow is bearish and an unusually large outflow bullish.
 * - Long-term-holder SOPR (`sopr_more_155`, realised price / purchase price of spent coins older
 *   than 155 days): an unusually high value means long-term holders distribute into strength
 *   (bearish); an unusually low one means capitulation (historically bullish).
 *
 * "Unusual" is measured against the metric's own recent history, so the score needs no per-asset
 * calibration: z = (latest − mean(previous window)) / stdev(previous window) (population stdev), and
 * each sub-score = 100 · Φ(−z) (Φ the standard normal CDF): 50 at the usual level, → 100 for an
 * extreme bullish reading, → 0 for an extreme bearish one. A flat history (stdev 0) gives z = 0.
 * A metric with fewer than `minHistory` earlier points is missing (null), never a silent 50.
 * The component is the mean of the sub-scores present; null when both are missing.
 */
import { normalCdf } from '../research/deflatedSharpeRatio.js';

export interface OnChainScoreOptions {
	/** Earlier points the latest value is compared with (default 30). */
	window?: number;
	/** Fewest earlier points for a z-score (default 10). */
	minHistory?: number;
}

export interface OnChainScore {
	/** 0–100 or null when no metric has enough history. */
	score: number | null;
	netflowZ: number | null;
	netflowScore: number | null;
	lthSoprZ: number | null;
	lthSoprScore: number | null;
}

/**
 * `netflow` and `lthSopr` are the values known at the scoring time, oldest first (the caller
 * selects them point in time); nulls (Glassnode's missing values) are skipped.
 */
export function onChainScore(
	netflow: readonly (number | null)[],
	lthSopr: readonly (number | null)[],
	options: OnChainScoreOptions = {},
): OnChainScore {
	const window = options.window ?? 30;
	const minHistory = options.minHistory ?? 10;
	const netflowZ = latestZScore(netflow, window, minHistory);
	const lthSoprZ = latestZScore(lthSopr, window, minHistory);
	const netflowScore = netflowZ === null ? null : 100 * normalCdf(-netflowZ);
	const lthSoprScore = lthSoprZ === null ? null : 100 * normalCdf(-lthSoprZ);
	const present = [netflowScore, lthSoprScore].filter((s): s is number => s !== null);
	const score = present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
	return { score, netflowZ, netflowScore, lthSoprZ, lthSoprScore };
}

/** z-score of the last finite value against up to `window` finite values before it; null without `minHistory` of them. */
export function latestZScore(values: readonly (number | null)[], window: number, minHistory: number): number | null {
	const finite: number[] = [];
	for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) finite.push(v);
	if (finite.length < minHistory + 1) return null;
	const latest = finite[finite.length - 1]!;
	const history = finite.slice(Math.max(0, finite.length - 1 - window), finite.length - 1);
	const mean = history.reduce((a, b) => a + b, 0) / history.length;
	const variance = history.reduce((a, b) => a + (b - mean) * (b - mean), 0) / history.length;
	const sd = Math.sqrt(variance);
	return sd === 0 ? 0 : (latest - mean) / sd;
}
