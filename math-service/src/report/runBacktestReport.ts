/**
 * @module report/runBacktestReport
 * One backtest as the CLI and the API run it: candles (already loaded, from a CSV, the database or
 * a request body) → the bar range of [from, to) → runBacktest with the strategy parameters and the
 * broker settings → the result JSON (see backtestJson.ts).
 *
 * Financial logic: all candles before `from` stay loaded and warm the indicators up (the daily
 * VWAP, the rolling stdev and the EMA start from the first candle, as on a TradingView chart with
 * history before the backtest window); signals, fills and the equity curve cover [from, to) only.
 * The bar length comes from the timeframe (1h → 3,600,000 ms; it sets the time stop's clock and the
 * bars per year that annualise Sharpe: 8,760 for 1h, 525,600 for 1m).
 * `strategy: 'alpha_threshold'` runs seed 2's alpha strategy instead (runAlphaBacktestReport.ts), on
 * the same broker emulator, window and JSON.
 */
import type { CandleColumns } from '../core/candles.js';
import { timeframeToMs, type BrokerOptions } from '../core/backtest/brokerOptions.js';
import type { StrategyParams } from '../core/backtest/collectEntrySignals.js';
import { resolveStrategyParams, runBacktest, type BacktestResult } from '../core/backtest/runBacktest.js';
import type { AlphaBacktestResult } from '../core/backtest/runAlphaThresholdBacktest.js';
import type { AlphaThresholdParams } from '../core/signals/alphaThresholdStrategy.js';
import { InvalidInputError } from '../errors.js';
import { toBacktestJson, type BacktestJson, type DataInfo } from './backtestJson.js';
import { runAlphaBacktestReport, type AlphaBacktestData } from './runAlphaBacktestReport.js';
import { isoTime } from './toSnakeCase.js';

/** The strategies the backtester runs: the seed's VWAP mean reversion (default) and seed 2's alpha threshold. */
export const BACKTEST_STRATEGIES = ['vwap_mean_reversion', 'alpha_threshold'] as const;
export type BacktestStrategy = (typeof BACKTEST_STRATEGIES)[number];

export interface BacktestReportInput {
	/** Default 'vwap_mean_reversion'; 'alpha_threshold' reads `alphaParams` and `alphaData`, not `params`. */
	strategy?: BacktestStrategy;
	alphaParams?: Partial<AlphaThresholdParams>;
	alphaData?: AlphaBacktestData;
	candles: CandleColumns;
	data: DataInfo;
	/** Backtest window on the bar open time, half-open [fromMs, toMs); default: all candles. */
	fromMs?: number;
	toMs?: number;
	params?: Partial<StrategyParams>;
	/** Broker settings; `timeframeMs` is taken from `data.timeframe`. */
	broker?: Partial<BrokerOptions>;
	/** Keep only the first N trades in the JSON (metrics still use all). */
	tradeLimit?: number;
}

export interface BacktestReport {
	result: BacktestResult | AlphaBacktestResult;
	json: BacktestJson;
}

/** First index with `openTime[i] >= t` (binary search; ascending times). */
export function firstBarAtOrAfter(openTime: ArrayLike<number>, length: number, t: number): number {
	let lo = 0;
	let hi = length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (openTime[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Bar indices of the window [fromMs, toMs); InvalidInputError when it holds fewer than 2 bars. */
export function barRange(candles: CandleColumns, fromMs = -Infinity, toMs = Infinity): { fromIndex: number; toIndex: number } {
	const n = candles.length;
	const fromIndex = firstBarAtOrAfter(candles.openTime, n, fromMs);
	const toIndex = firstBarAtOrAfter(candles.openTime, n, toMs);
	if (toIndex - fromIndex < 2) {
		const span = n === 0 ? 'no candles' : `candles from ${isoTime(candles.openTime[0])} to ${isoTime(candles.openTime[n - 1])}`;
		const from = Number.isFinite(fromMs) ? isoTime(fromMs) : 'the start';
		const to = Number.isFinite(toMs) ? isoTime(toMs) : 'the end';
		throw new InvalidInputError(`fewer than 2 candles between ${from} and ${to} (the data has ${span})`, ['from']);
	}
	return { fromIndex, toIndex };
}

/** Runs the backtest of `input` and shapes its JSON. */
export function runBacktestReport(input: BacktestReportInput): BacktestReport {
	const { candles } = input;
	const { fromIndex, toIndex } = barRange(candles, input.fromMs, input.toMs);
	const timeframeMs = timeframeToMs(input.data.timeframe);
	if (input.strategy === 'alpha_threshold') {
		return runAlphaBacktestReport({ candles, data: input.data, fromIndex, toIndex, timeframeMs, params: input.alphaParams, broker: input.broker, alphaData: input.alphaData, tradeLimit: input.tradeLimit });
	}
	const params = resolveStrategyParams(input.params);
	const result = runBacktest({ candles, params, broker: { ...input.broker, timeframeMs }, fromIndex, toIndex });
	return { result, json: toBacktestJson(result, candles.openTime, input.data, input.tradeLimit, result.signalCount) };
}
