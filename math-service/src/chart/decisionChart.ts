/**
 * @module chart/decisionChart
 * The chart of one stored decision, for the Telegram signal card: the decision's pair on the
 * alert's timeframe, the last ~150 closed bars up to the decision, the session VWAP with its
 * ±2σ bands (the strategy's own indicator, core/signals/vwapMeanReversion), and the receipt's
 * entry, stop and target. The VWAP resets daily, so candles are read from the start of the first
 * shown bar's UTC day (and at least 50 bars earlier for the σ window) and only the tail is drawn.
 *
 * Sources, in order: receipt (`symbol`, `entry`, `stop`, `target`, `timeframe`/`interval` if
 * present), then the stored signal's normalised alert (`interval`, `exchange`, bar `timeMs`).
 * When fewer than 60 bars are stored and an exchange is configured, one bounded crawler sync
 * (3 pages, 5 s) runs first; without one, or when it fails, the chart shows what is stored and
 * says why in its subtitle (and "no market data" in the title when nothing is).
 */
import { DAY_MS } from '../core/indicators/vwap.js';
import { parseIntervalMs } from '../core/intake/parseIntervalMs.js';
import { DEFAULT_VWAP_MEAN_REVERSION, vwapMeanReversionSeries } from '../core/signals/vwapMeanReversion.js';
import { sliceCandles, type CandleColumns } from '../core/candles.js';
import type { MarketData } from '../crawler/marketDataFor.js';
import { lookupCandleKey, resolveCandleKey, syncCandles } from '../crawler/syncCandles.js';
import { TIMEFRAME_MS, timeframeOfMs } from '../crawler/timeframes.js';
import { normalizedOf } from '../pipeline/decide.js';
import { formatUtc } from './axisTicks.js';
import { renderSignalChart } from './renderSignalChart.js';

export const DEFAULT_CHART_BARS = 150;
/** Fewer stored bars than this makes the chart try a crawler sync first (when an exchange is configured). */
export const MIN_CHART_BARS = 60;
export const CHART_SYNC_PAGES = 3;
export const CHART_SYNC_BUDGET_MS = 5_000;
/** An alert stamped up to this long after its bar's close still marks that bar. */
export const ALERT_DELIVERY_SKEW_MS = 5_000;

export interface DecisionChart {
	png: Buffer;
	symbol: string;
	timeframe: string;
	/** Bars drawn. */
	bars: number;
	/** Why the chart has fewer bars than asked, or null. */
	note: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** A ccxt timeframe from `1h`-style or TradingView (`60`, `1D`) intervals; null when neither. */
export function chartTimeframe(interval: string | null): string | null {
	if (interval === null) return null;
	if (Object.prototype.hasOwnProperty.call(TIMEFRAME_MS, interval)) return interval;
	return timeframeOfMs(parseIntervalMs(interval));
}

/** Renders decision `id`'s chart; null when there is no such decision. */
export async function decisionChart(md: MarketData, id: number, opts: { bars?: number; timeframe?: string } = {}): Promise<DecisionChart | null> {
	const storage = md.storage;
	const decision = await storage.decisions.getById(id);
	if (decision === null) return null;
	let receipt: Record<string, unknown> = {};
	try {
		const parsed = JSON.parse(decision.receiptJson) as unknown;
		if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) receipt = parsed as Record<string, unknown>;
	} catch {
		// An unreadable receipt still gets a chart of the pair.
	}
	const signal = decision.signalId === null ? null : await storage.signals.getById(decision.signalId);
	const alert = signal === null ? null : normalizedOf(signal);

	const symbol = str(receipt.symbol) ?? decision.symbol;
	const timeframe =
		opts.timeframe ?? chartTimeframe(str(receipt.timeframe)) ?? chartTimeframe(str(receipt.interval)) ?? chartTimeframe(alert?.interval ?? null) ?? '1m';
	const barMs = TIMEFRAME_MS[timeframe]!;
	const wanted = opts.bars ?? DEFAULT_CHART_BARS;
	// Bars that had closed when the decision was made: open + length ≤ createdAt.
	const toTime = Math.floor(decision.createdAt / barMs) * barMs;
	const displayFrom = toTime - wanted * barMs;
	const loadFrom = Math.min(Math.floor(displayFrom / DAY_MS) * DAY_MS, displayFrom - DEFAULT_VWAP_MEAN_REVERSION.stdevLength * barMs);

	let note: string | null = null;
	let key: { exchange: string; symbol: string; timeframe: string } | null = null;
	try {
		key = lookupCandleKey({ exchange: 'binance', symbol, timeframe });
	} catch (error) {
		note = `no candles for "${symbol.slice(0, 32)}": ${(error as Error).message.slice(0, 80)}`;
	}
	let cols = key ? await load(md, key, loadFrom, toTime) : emptyColumns();
	let shown = countFrom(cols, displayFrom);
	if (key && shown < MIN_CHART_BARS) {
		if (!md.exchangeConfigured) note = `only ${shown} bars stored; no exchange configured to fetch more`;
		else {
			note = await boundedSync(md, key.symbol, timeframe, loadFrom, toTime - barMs);
			cols = await load(md, key, loadFrom, toTime);
			shown = countFrom(cols, displayFrom);
		}
	}

	const series = vwapMeanReversionSeries(cols);
	const from = cols.length - shown;
	const candles = sliceCandles(cols, from);
	const action = str(receipt.action) ?? signal?.action ?? '';
	const reward = num(receipt.reward_risk);
	const title = `${key?.symbol ?? symbol} ${timeframe}  ${action.toUpperCase()}  ${decision.status.toUpperCase()}  #${decision.id}${candles.length === 0 ? '  - no market data' : ''}`;
	const parts =
		candles.length > 0
			? [`Binance spot, ${candles.length} bars to ${formatUtc(candles.openTime[candles.length - 1]!)}`]
			: [`no candles before ${formatUtc(toTime)}`];
	if (decision.status === 'rejected') parts.push(`rejected: ${decision.reasonCode}`);
	if (reward !== null) parts.push(`R/R ${reward.toFixed(2)}`);
	if (note !== null) parts.push(note);
	// The alert's time is its event time (Pine time_close or {{timenow}}, a moment after the signal
	// bar closed); the marker goes on the bar that closed then.
	const markerTime = alert?.timeMs === undefined ? null : Math.floor((alert.timeMs - ALERT_DELIVERY_SKEW_MS) / barMs) * barMs;
	const png = renderSignalChart({
		candles,
		series: { vwap: series.vwap.subarray(from), upperBand: series.upperBand.subarray(from), lowerBand: series.lowerBand.subarray(from) },
		entry: num(receipt.entry),
		stop: num(receipt.stop),
		target: num(receipt.target),
		title,
		subtitle: parts.join(' | '),
		bandLabel: `VWAP ±${DEFAULT_VWAP_MEAN_REVERSION.deviationThreshold}σ bands`,
		seriesBreakMs: DAY_MS,
		markerTime,
	});
	return { png, symbol: key?.symbol ?? symbol, timeframe, bars: candles.length, note };
}

async function load(md: MarketData, key: { exchange: string; symbol: string; timeframe: string }, from: number, to: number): Promise<CandleColumns> {
	const c = await md.storage.candles.loadColumns(key, from, to);
	return { ...c, length: c.openTime.length };
}

function countFrom(c: CandleColumns, from: number): number {
	let n = 0;
	for (let i = c.length - 1; i >= 0 && c.openTime[i]! >= from; i--) n++;
	return n;
}

function emptyColumns(): CandleColumns {
	const z = () => new Float64Array(0);
	return { openTime: z(), open: z(), high: z(), low: z(), close: z(), volume: z(), length: 0 };
}

/** One crawler sync bounded in pages and time; returns a note when it could not complete, else null. */
async function boundedSync(md: MarketData, symbol: string, timeframe: string, sinceMs: number, untilMs: number): Promise<string | null> {
	try {
		resolveCandleKey({ exchange: 'binance', symbol, timeframe });
	} catch (error) {
		return `not crawled: ${(error as Error).message.slice(0, 80)}`;
	}
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<string>((resolve) => {
		timer = setTimeout(() => resolve(`market data sync still running after ${CHART_SYNC_BUDGET_MS / 1000} s`), CHART_SYNC_BUDGET_MS);
		timer.unref();
	});
	try {
		const sync = syncCandles(
			{ exchange: 'binance', symbol, timeframe, sinceMs, untilMs, maxPages: CHART_SYNC_PAGES },
			{ storage: md.storage, exchangeClient: md.exchangeClient(), clock: { now: md.now } },
		).then(
			() => null,
			(error: unknown) => `market data unavailable: ${(error as Error).message.slice(0, 80)}`,
		);
		return await Promise.race([sync, deadline]);
	} catch (error) {
		return `market data unavailable: ${(error as Error).message.slice(0, 80)}`;
	} finally {
		clearTimeout(timer);
	}
}
