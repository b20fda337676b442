/**
 * @module signals/alphaThresholdStrategy
 * Seed 2's own strategy: buy when the composite alpha score reaches a threshold.
 *
 * Rules (long only, one position per symbol, evaluated at a bar's close with the score known then):
 * - entry: score ≥ `entryScore` (default 70) and the previous evaluated score was below it (a
 *   crossing, so a score that stays high does not fire on every bar), and the score is not partial
 *   unless `allowPartial`;
 * - stop: close · (1 − stopLossRatio) (default 3 %, the seed's stop);
 * - target: close · (1 + minRewardRisk · stopLossRatio), i.e. exactly the minimum reward/risk
 *   (1.5) away at the signal close, so the R/R gate passes by construction and the target is not
 *   a free parameter to overfit;
 * - exits: stop, target, the 48 h time stop — the same broker rules as the VWAP strategy
 *   (core/backtest), so the backtest, the paper ledger and the risk monitor agree.
 */
import { InvalidInputError } from '../../errors.js';

export interface AlphaThresholdParams {
	entryScore: number;
	stopLossRatio: number;
	minRewardRisk: number;
	allowPartial: boolean;
}

export const DEFAULT_ALPHA_THRESHOLD: AlphaThresholdParams = Object.freeze({ entryScore: 70, stopLossRatio: 0.03, minRewardRisk: 1.5, allowPartial: true });

export interface AlphaEntry {
	stop: number;
	target: number;
	rewardRisk: number;
}

export function resolveAlphaThresholdParams(p: Partial<AlphaThresholdParams> = {}): AlphaThresholdParams {
	const r = { ...DEFAULT_ALPHA_THRESHOLD, ...p };
	if (!(r.entryScore >= 0 && r.entryScore <= 100)) throw new InvalidInputError('entryScore must be in [0, 100]', ['entryScore']);
	if (!(r.stopLossRatio > 0 && r.stopLossRatio < 1)) throw new InvalidInputError('stopLossRatio must be in (0, 1)', ['stopLossRatio']);
	if (!(r.minRewardRisk > 0 && Number.isFinite(r.minRewardRisk))) throw new InvalidInputError('minRewardRisk must be > 0', ['minRewardRisk']);
	return r;
}

/** The entry at this close, or null. `previousScore` null = no earlier score (counts as below). */
export function alphaEntry(
	score: number | null,
	previousScore: number | null,
	partial: boolean,
	close: number,
	params: AlphaThresholdParams = DEFAULT_ALPHA_THRESHOLD,
): AlphaEntry | null {
	if (score === null || !Number.isFinite(score) || !(close > 0)) return null;
	if (partial && !params.allowPartial) return null;
	if (score < params.entryScore) return null;
	if (previousScore !== null && previousScore >= params.entryScore) return null;
	const stop = close * (1 - params.stopLossRatio);
	const target = close * (1 + params.minRewardRisk * params.stopLossRatio);
	return { stop, target, rewardRisk: (target - close) / (close - stop) };
}

/**
 * Entry bar indices and targets over a series of scores (one per bar, NaN = none), for the
 * backtester (`simulateLongTrades(bars, signals, n, target, stopLossRatio, …)`). `partial[i]` = 1
 * marks a bar whose score missed a component (entries there only with `allowPartial`); omitted = none.
 */
export function alphaEntrySignals(scores: Float64Array, close: Float64Array, params: AlphaThresholdParams = DEFAULT_ALPHA_THRESHOLD, partial?: Uint8Array): { signals: Int32Array; count: number; target: Float64Array } {
	const n = scores.length;
	const signals = new Int32Array(n);
	const target = new Float64Array(n).fill(Number.NaN);
	let count = 0;
	let previous: number | null = null;
	for (let i = 0; i < n; i++) {
		const s = scores[i]!;
		if (Number.isNaN(s)) continue;
		const entry = alphaEntry(s, previous, partial !== undefined && partial[i] === 1, close[i]!, params);
		previous = s;
		if (entry) {
			signals[count++] = i;
			target[i] = entry.target;
		}
	}
	return { signals, count, target };
}
