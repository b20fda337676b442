/**
 * @module backtest/backtestJson
 * The wire form of backtest, sweep and walk-forward results (snake_case keys, ISO 8601 UTC times),
 * for the CLI's `--out result.json`, the HTTP route and the report. A trade's time is the open
 * time of the bar in which the fill happened, as TradingView's List of Trades shows it. Pure:
 * converts only, no clock.
 */

import type { KpiEvaluation } from '../gates/kpiGates.js';
import type { BacktestResult, BacktestTrade } from './runBacktest.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `maxDrawdownRatio` → `max_drawdown_ratio`. */
export function snakeCase(key: string): string {
	return key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

/** Plain object with snake_case keys (one level deep, nested objects converted too; NaN/±∞ → null). */
export function toSnakeCaseJson(value: unknown): Json {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (Array.isArray(value)) return value.map(toSnakeCaseJson);
	if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
	const out: { [key: string]: Json } = {};
	for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[snakeCase(k)] = toSnakeCaseJson(v);
	return out;
}

export function isoTime(ms: number): string {
	return new Date(ms).toISOString();
}

export interface TradeJson {
	entry_time: string;
	entry_price: number;
	exit_time: string;
	exit_price: number;
	exit_reason: BacktestTrade['exitReason'];
	/** Net profit on the position, quote currency. */
	pnl: number;
	/** Net return on the entry notional (0.012 = +1.2%). */
	return_ratio: number;
	fees: number;
	quantity: number;
	target_price: number;
	stop_price: number;
	signal_index: number;
	entry_index: number;
	exit_index: number;
}

export function tradeToJson(t: BacktestTrade): TradeJson {
	return {
		entry_time: isoTime(t.entryTimeMs),
		entry_price: t.entryPrice,
		exit_time: isoTime(t.exitTimeMs),
		exit_price: t.exitPrice,
		exit_reason: t.exitReason,
		pnl: t.pnl,
		return_ratio: t.returnRatio,
		fees: t.fees,
		quantity: t.quantity,
		target_price: t.targetPrice,
		stop_price: t.stopPrice,
		signal_index: t.signalIndex,
		entry_index: t.entryIndex,
		exit_index: t.exitIndex,
	};
}

/**
 * The result document: params, broker settings, period, trades, metrics (core definitions),
 * trade statistics and gates. The equity curve is left out unless `includeEquity` (it has one
 * value per bar).
 */
export function backtestToJson(result: BacktestResult, gates: KpiEvaluation | null, includeEquity = false): { [key: string]: Json } {
	const doc: { [key: string]: Json } = {
		params: toSnakeCaseJson(result.params),
		broker: toSnakeCaseJson(result.broker),
		period: {
			start_time: isoTime(result.startTimeMs),
			end_time: isoTime(result.endTimeMs),
			bars: result.toIndex - result.fromIndex,
			span_years: result.spanYears,
			periods_per_year: result.periodsPerYear,
		},
		final_equity: result.finalEquity,
		total_return_ratio: result.totalReturnRatio,
		trades: result.trades.map((t) => tradeToJson(t) as unknown as Json),
		metrics: toSnakeCaseJson(result.metrics),
		trade_stats: toSnakeCaseJson(result.tradeStats),
		gates: gates === null ? null : toSnakeCaseJson(gates),
	};
	if (includeEquity) doc.equity = toSnakeCaseJson(result.equity);
	return doc;
}
