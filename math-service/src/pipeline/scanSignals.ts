/**
 * @module pipeline/scanSignals
 * The signal scan (seed 2: "reads DB → calcs alpha → triggers execution"), every minute after the
 * candle close: for every whitelisted symbol, the latest closed bar of the stored candles is
 * evaluated with the VWAP mean-reversion strategy (the Pine script's own rule) and the alpha
 * threshold strategy (core/signals/scanLatestBar). Each signal becomes the very alert TradingView
 * would send for that bar — the Pine alert id (`BINANCE:BTCUSDT-1-<bar open ms>-long`; the alpha
 * strategy's ends `-alpha-long`), the intake secret, `time` = the bar's close — and goes through
 * the TradingView intake and decision path (pipeline/receiveTradingViewAlert): same parse,
 * whitelist, staleness, de-duplication, risk gates, receipt. TradingView and the scan both on →
 * one decision per bar (the second is answered `duplicate: true`).
 *
 * Reads per symbol: the bars from the session start (00:00 UTC, the VWAP's anchor) or `warmup_bars`
 * before the latest bar, whichever is earlier (the 50 EMA converges within them), and the alpha
 * scores known at the bar's close and at the previous bar's close (point in time). The streaming
 * scanner is kept between scans (per process, exchange, symbol, timeframe and parameters), so a
 * scan after a close reads only the bars stored since the last one; it is rebuilt from storage after
 * REBUILD_AFTER_BARS bars, at a new UTC day and whenever the parameters change, so a bar backfilled
 * behind it counts within the hour.
 */
import type { Candle } from '../core/candles.js';
import { ALPHA_STRATEGY, alphaSignalAt, VWAP_STRATEGY, vwapSignalAt, type AlphaThresholdScanParams, type KnownScore, type ScanSignal } from '../core/signals/scanLatestBar.js';
import { VwapMeanReversionScanner, type VwapMeanReversionScan } from '../core/signals/vwapMeanReversionScanner.js';
import { pineTimeframePeriod, tradingViewAlertId } from '../core/signals/tradingViewAlertId.js';
import type { VwapMeanReversionParams } from '../core/signals/vwapMeanReversionParams.js';
import type { AlphaScoreRow } from '../storage/schema.js';
import { utcMidnight } from './accountState.js';
import type { Pipeline } from './createPipeline.js';
import { receiveTradingViewAlert } from './receiveTradingViewAlert.js';
import type { DecisionResponse } from './receipt.js';

export interface ScanSignalsInput {
	symbols: readonly string[];
	exchange: string;
	timeframe: string;
	timeframeMs: number;
	nowMs?: number;
	/** null = off. */
	vwap: Partial<VwapMeanReversionParams> | null;
	/** null = off. */
	alpha: AlphaThresholdScanParams | null;
	/** Wire thresholds sent with every signal (as a TradingView alert's `thresholds`); `strategy` is set per strategy. */
	thresholds: Record<string, unknown>;
	warmupBars: number;
}

export type ScanOutcome = 'new' | 'duplicate' | 'rejected';

export interface ScannedSignal extends DecisionResponse {
	outcome: ScanOutcome;
	strategy: ScanSignal['strategy'];
	symbol: string;
	bar_open_time: string;
	bar_close_time: string;
	close: number;
	stop: number;
	target: number;
	reward_risk: number;
	vwap: number | null;
	alpha_score: number | null;
	previous_alpha_score: number | null;
}

export interface ScannedSymbol {
	symbol: string;
	/** Open time of the bar evaluated (ISO), null when no closed bar is stored. */
	bar_open_time: string | null;
	bars_read: number;
	signals: number;
	note: string | null;
}

export interface ScanSignalsResult {
	scanned_at: string;
	symbols: ScannedSymbol[];
	signals: ScannedSignal[];
	new_signals: number;
	duplicates: number;
	rejected: number;
}

/** The streaming state of one symbol's scan between runs. */
interface ScanState {
	paramsKey: string;
	scanner: VwapMeanReversionScanner | null;
	lastScan: VwapMeanReversionScan | null;
	lastBar: Candle | null;
	fedSinceBuild: number;
}

export const REBUILD_AFTER_BARS = 60;
const states = new WeakMap<Pipeline, Map<string, ScanState>>();

function statesOf(p: Pipeline): Map<string, ScanState> {
	let m = states.get(p);
	if (m === undefined) {
		m = new Map();
		states.set(p, m);
	}
	return m;
}

/** Feeds the closed bars stored since the state's last bar (or builds it from the warm-up window); returns the bars read. */
async function advance(p: Pipeline, input: ScanSignalsInput, symbol: string, nowMs: number): Promise<{ state: ScanState; barsRead: number } | null> {
	const tf = input.timeframeMs;
	const key = { exchange: input.exchange, symbol, timeframe: input.timeframe };
	const cacheKey = `${input.exchange}\u0000${symbol}\u0000${input.timeframe}`;
	const paramsKey = JSON.stringify(input.vwap);
	const cache = statesOf(p);
	let state = cache.get(cacheKey);
	const stale = state === undefined || state.paramsKey !== paramsKey || state.lastBar === null || state.fedSinceBuild >= REBUILD_AFTER_BARS || utcMidnight(nowMs - tf) !== utcMidnight(state.lastBar.openTime);
	let from: number;
	if (stale) {
		const latest = await p.storage.candles.latestOpenTime(key);
		if (latest === null) return null;
		from = Math.min(utcMidnight(latest), latest - input.warmupBars * tf);
		state = { paramsKey, scanner: input.vwap === null ? null : new VwapMeanReversionScanner(input.vwap), lastScan: null, lastBar: null, fedSinceBuild: 0 };
	} else from = state!.lastBar!.openTime + 1;
	const s = state!;
	const bars = await p.storage.candles.range(key, from, nowMs);
	for (const bar of bars) {
		if (bar.openTime + tf > nowMs) break;
		if (s.lastBar !== null && bar.openTime <= s.lastBar.openTime) continue; // fed by an overlapping run already
		if (s.scanner !== null) s.lastScan = s.scanner.update(bar);
		s.lastBar = bar;
		if (!stale) s.fedSinceBuild++;
	}
	cache.set(cacheKey, s);
	return { state: s, barsRead: bars.length };
}

const known = (row: AlphaScoreRow | null): KnownScore | null =>
	row === null ? null : { score: row.score === null ? null : Number(row.score), partial: Number(row.partial) === 1, computedAtMs: Number(row.computedAt) };

/** The Pine alert id of a signal; the alpha strategy's differs by its `-alpha-long` suffix (no Pine counterpart). */
export function scanAlertId(exchange: string, symbol: string, timeframe: string, s: ScanSignal): string {
	const id = tradingViewAlertId(exchange, symbol, timeframe, s.barOpenTime);
	return s.strategy === VWAP_STRATEGY ? id : `${id.slice(0, -'-long'.length)}-alpha-long`;
}

export async function scanSignals(p: Pipeline, input: ScanSignalsInput): Promise<ScanSignalsResult> {
	const nowMs = input.nowMs ?? p.now();
	const tf = input.timeframeMs;
	const storage = p.storage;
	const symbols: ScannedSymbol[] = [];
	const found: { symbol: string; signal: ScanSignal }[] = [];

	await Promise.all(
		input.symbols.map(async (symbol) => {
			const advanced = await advance(p, input, symbol, nowMs);
			if (advanced === null) {
				symbols.push({ symbol, bar_open_time: null, bars_read: 0, signals: 0, note: `no stored ${input.timeframe} candles on ${input.exchange}` });
				return;
			}
			const { state, barsRead } = advanced;
			const bar = state.lastBar;
			let alpha = null;
			if (input.alpha !== null && bar !== null) {
				const closeTime = bar.openTime + tf;
				const [atClose, atPreviousClose] = await Promise.all([storage.alphaScores.latestAtOrBefore(symbol, closeTime), storage.alphaScores.latestAtOrBefore(symbol, closeTime - tf)]);
				alpha = { params: input.alpha, atClose: known(atClose), atPreviousClose: known(atPreviousClose) };
			}
			const signals = bar === null ? [] : [vwapSignalAt(bar, tf, state.lastScan), alpha === null ? null : alphaSignalAt(bar, tf, alpha)].filter((x): x is ScanSignal => x !== null);
			const note =
				bar === null
					? 'no closed bar stored yet'
					: input.alpha !== null && alpha?.atClose === null
					? 'no alpha score known at the bar close: alpha strategy not evaluated'
					: null;
			symbols.push({ symbol, bar_open_time: bar === null ? null : new Date(bar.openTime).toISOString(), bars_read: barsRead, signals: signals.length, note });
			for (const signal of signals) found.push({ symbol, signal });
		}),
	);
	const order = new Map(input.symbols.map((s, i) => [s, i]));
	symbols.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
	found.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)! || a.signal.strategy.localeCompare(b.signal.strategy));

	const exchangePrefix = input.exchange.toUpperCase();
	const interval = pineTimeframePeriod(input.timeframe);
	// Every signal at once: they queue into one decision batch, in this order.
	const signals = await Promise.all(
		found.map(async ({ symbol, signal: s }): Promise<ScannedSignal> => {
			const alert = {
				secret: p.settings.webhookSecret,
				alert_id: scanAlertId(input.exchange, symbol, input.timeframe, s),
				action: 'buy',
				ticker: symbol.replace('/', ''),
				exchange: exchangePrefix,
				interval,
				time: s.barCloseTime,
				bar_time: s.barOpenTime,
				close: s.close,
				...(s.vwap === null ? {} : { vwap: s.vwap }),
				stop: s.stop,
				target: s.target,
				thresholds: { ...input.thresholds, strategy: s.strategy === VWAP_STRATEGY ? VWAP_STRATEGY : ALPHA_STRATEGY },
			};
			const r = await receiveTradingViewAlert(p, { rawBody: JSON.stringify(alert), contentType: 'application/json', query: {}, internal: true });
			if (r.kind !== 'decided') throw new Error(`the scan's own alert was refused (${r.reasonCode}): ${r.reason}`);
			const d = r.response;
			return {
				...d,
				outcome: d.duplicate ? 'duplicate' : d.status === 'approved' ? 'new' : 'rejected',
				strategy: s.strategy,
				symbol,
				bar_open_time: new Date(s.barOpenTime).toISOString(),
				bar_close_time: new Date(s.barCloseTime).toISOString(),
				close: s.close,
				stop: s.stop,
				target: s.target,
				reward_risk: s.rewardRisk,
				vwap: s.vwap,
				alpha_score: s.alphaScore,
				previous_alpha_score: s.previousAlphaScore,
			};
		}),
	);
	return {
		scanned_at: new Date(nowMs).toISOString(),
		symbols,
		signals,
		new_signals: signals.filter((s) => s.outcome === 'new').length,
		duplicates: signals.filter((s) => s.outcome === 'duplicate').length,
		rejected: signals.filter((s) => s.outcome === 'rejected').length,
	};
}
