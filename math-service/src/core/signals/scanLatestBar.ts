/**
 * @module signals/scanLatestBar
 * The server-side signal scan of one symbol at the close of its latest closed bar, with the two
 * strategies the desk runs:
 * - **VWAP mean reversion** — the Pine script's `longCondition` exactly (close below VWAP − k·σ of
 *   hlc3, above the 50 EMA, above the previous close, and reward/risk to the VWAP ≥ the minimum),
 *   streamed over the bars given (core/signals/vwapMeanReversionScanner); stop = close · (1 − 3 %),
 *   target = the VWAP, as the alert payload carries them.
 * - **Alpha threshold** (seed 2) — an entry when the composite alpha score known at this bar's close
 *   is at or above the threshold (default 70) while the score known at the previous bar's close was
 *   below it (a crossing: the signal belongs to exactly one bar); stop = close · (1 − 3 %), target =
 *   close · (1 + 4.5 %) (R/R 1.5); the 48 h time stop is the decision's. A partial score (a component
 *   without data) enters only with `allowPartial`.
 * Pure: bars (oldest first, any history before the latest bar is warm-up), scores and the time of
 * the scan in; the bar evaluated and its signals out. A bar is closed once openTime + timeframe ≤ now.
 */
import type { Candle } from '../candles.js';
import { VwapMeanReversionScanner, type VwapMeanReversionScan } from './vwapMeanReversionScanner.js';
import type { VwapMeanReversionParams } from './vwapMeanReversionParams.js';

export const VWAP_STRATEGY = 'vwap-mean-reversion';
export const ALPHA_STRATEGY = 'alpha-threshold';

export interface AlphaThresholdScanParams {
	/** Entry when the score crosses up through this (0–100). Default 70. */
	threshold: number;
	/** Stop below the close, fraction. Default 0.03. */
	stopRatio: number;
	/** Target above the close, fraction. Default 0.045. */
	targetRatio: number;
	/** Whether a partial score (a component missing) may trigger. Default true. */
	allowPartial: boolean;
}

export const DEFAULT_ALPHA_SCAN: Readonly<AlphaThresholdScanParams> = Object.freeze({ threshold: 70, stopRatio: 0.03, targetRatio: 0.045, allowPartial: true });

/** The alpha score known at a bar's close (null score = not computable then). */
export interface KnownScore {
	score: number | null;
	partial: boolean;
	computedAtMs: number;
}

export interface ScanSignal {
	strategy: typeof VWAP_STRATEGY | typeof ALPHA_STRATEGY;
	barOpenTime: number;
	barCloseTime: number;
	close: number;
	stop: number;
	target: number;
	rewardRisk: number;
	/** VWAP at the close (VWAP strategy), else null. */
	vwap: number | null;
	/** The score that crossed and the one before (alpha strategy), else null. */
	alphaScore: number | null;
	previousAlphaScore: number | null;
}

export interface ScanLatestBarInput {
	/** Stored bars, oldest first, strictly increasing openTime. */
	bars: readonly Candle[];
	timeframeMs: number;
	nowMs: number;
	/** null = the VWAP strategy is off. */
	vwap: Partial<VwapMeanReversionParams> | null;
	/** null = the alpha strategy is off. */
	alpha: { params: AlphaThresholdScanParams; atClose: KnownScore | null; atPreviousClose: KnownScore | null } | null;
}

export interface ScanLatestBarResult {
	/** The bar evaluated (the latest closed one), or null when no closed bar was given. */
	bar: Candle | null;
	/** The VWAP scanner's view at that close (null when the strategy is off or no bar). */
	vwapScan: VwapMeanReversionScan | null;
	signals: ScanSignal[];
}

/** Index of the latest closed bar (openTime + timeframe ≤ now), or −1. */
export function latestClosedIndex(bars: readonly Candle[], timeframeMs: number, nowMs: number): number {
	let last = bars.length - 1;
	while (last >= 0 && bars[last]!.openTime + timeframeMs > nowMs) last--;
	return last;
}

/** The VWAP strategy's signal at `bar`'s close from the scanner's view at that close, or null. */
export function vwapSignalAt(bar: Candle, timeframeMs: number, scan: VwapMeanReversionScan | null): ScanSignal | null {
	if (scan === null || scan.openTime !== bar.openTime || !scan.meetsMinRewardRisk || scan.stop === null || scan.target === null) return null;
	return {
		strategy: VWAP_STRATEGY,
		barOpenTime: bar.openTime,
		barCloseTime: bar.openTime + timeframeMs,
		close: bar.close,
		stop: scan.stop,
		target: scan.target,
		rewardRisk: scan.rewardRisk ?? 0,
		vwap: scan.vwap,
		alphaScore: null,
		previousAlphaScore: null,
	};
}

/** The alpha strategy's signal at `bar`'s close (a crossing of the threshold), or null. */
export function alphaSignalAt(bar: Candle, timeframeMs: number, alpha: NonNullable<ScanLatestBarInput['alpha']>): ScanSignal | null {
	const a = alpha;
	if (a.atClose === null || a.atClose.score === null || !Number.isFinite(a.atClose.score) || !(bar.close > 0)) return null;
	const now = a.atClose.score;
	const before = a.atPreviousClose?.score ?? null;
	const crossed = now >= a.params.threshold && (before === null || before < a.params.threshold);
	if (!crossed || (!a.params.allowPartial && a.atClose.partial)) return null;
	const stop = bar.close * (1 - a.params.stopRatio);
	const target = bar.close * (1 + a.params.targetRatio);
	return {
		strategy: ALPHA_STRATEGY,
		barOpenTime: bar.openTime,
		barCloseTime: bar.openTime + timeframeMs,
		close: bar.close,
		stop,
		target,
		rewardRisk: (target - bar.close) / (bar.close - stop),
		vwap: null,
		alphaScore: now,
		previousAlphaScore: before,
	};
}

export function scanLatestBar(input: ScanLatestBarInput): ScanLatestBarResult {
	const { bars, timeframeMs: tf, nowMs } = input;
	const last = latestClosedIndex(bars, tf, nowMs);
	if (last < 0) return { bar: null, vwapScan: null, signals: [] };
	const bar = bars[last]!;
	let vwapScan: VwapMeanReversionScan | null = null;
	if (input.vwap !== null) {
		const scanner = new VwapMeanReversionScanner(input.vwap);
		for (let i = 0; i <= last; i++) vwapScan = scanner.update(bars[i]!);
	}
	const signals = [vwapSignalAt(bar, tf, vwapScan), input.alpha === null ? null : alphaSignalAt(bar, tf, input.alpha)].filter((s): s is ScanSignal => s !== null);
	return { bar, vwapScan, signals };
}
