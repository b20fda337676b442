/**
 * @module backtest/runBacktest
 * One backtest of the VWAP mean-reversion strategy over candle columns, faithful to TradingView's
 * broker emulator (see `simulateLongTrades` for the fill rules and `accountTrades` for the money).
 *
 * Financial logic: indicators (daily VWAP of hlc3, rolling population stdev of hlc3, SMA-seeded EMA
 * of close) are computed over ALL candles, so a sub-range starts with warmed-up indicators, as a
 * TradingView chart with history before the backtest window would. Signals are taken at bar closes
 * in `[fromIndex, toIndex)`, fills happen from the next open, and the equity curve covers the range.
 */

import type { CandleColumns } from '../candles.js';
import type { ReturnMetrics } from '../metrics/returnMetrics.js';
import type { TradeMetrics } from '../metrics/tradeMetrics.js';
import { InvalidInputError } from '../../errors.js';
import { resolveBrokerOptions, type BrokerOptions } from './brokerOptions.js';
import { computeStrategyIndicators, type StrategyIndicators } from './computeStrategyIndicators.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from './collectEntrySignals.js';
import { collectStrategySignals } from './collectStrategySignals.js';
import { periodsPerYearOf, settleTrades } from './settleTrades.js';
import { simulateLongTrades } from './simulateLongTrades.js';
import { TradeLog, type ExitReason } from './tradeLog.js';

/** One round trip. Times are the open time of the bar in which the fill happened (TradingView's List of Trades). */
export interface BacktestTrade {
	signalIndex: number;
	entryIndex: number;
	entryTimeMs: number;
	/** Fill price including slippage. */
	entryPrice: number;
	exitIndex: number;
	exitTimeMs: number;
	/** Fill price including slippage (none on a target fill). */
	exitPrice: number;
	exitReason: ExitReason;
	/** Frozen take-profit (VWAP at the signal bar) and stop levels. */
	targetPrice: number;
	stopPrice: number;
	/** Units of the base asset held. */
	quantity: number;
	/** Commission paid on both fills, quote currency. */
	fees: number;
	/** Net profit on the position in quote currency: quantity × (exit − entry) − fees. */
	pnl: number;
	/** Net return on the entry notional: pnl ÷ (quantity × entryPrice). */
	returnRatio: number;
}

export interface BacktestRequest {
	candles: CandleColumns;
	params?: Partial<StrategyParams>;
	broker?: Partial<BrokerOptions>;
	/** First bar of the backtest (default 0); earlier bars only warm the indicators up. */
	fromIndex?: number;
	/** One past the last bar (default candles.length). */
	toIndex?: number;
	/** VWAP session start offset from 00:00 UTC in ms (default 0, spot crypto). */
	sessionOffsetMs?: number;
	/** Precomputed indicators for these params (skips their computation; must match `params`). */
	indicators?: StrategyIndicators;
	/** Compute `metrics` and `tradeStats` (default true); false leaves them null (benchmarks, sweeps). */
	computeMetrics?: boolean;
}

export interface BacktestResult {
	params: StrategyParams;
	/** Bars in [fromIndex, toIndex) whose close met the entry rule, flat or not: how often the strategy would alert. */
	signalCount: number;
	broker: BrokerOptions;
	fromIndex: number;
	toIndex: number;
	trades: BacktestTrade[];
	/** Equity at each bar close of the range, quote currency (length toIndex − fromIndex). */
	equity: Float64Array;
	/** Per-bar simple returns of `equity` (length toIndex − fromIndex − 1). */
	returns: Float64Array;
	finalEquity: number;
	/** finalEquity / initialCapital − 1. */
	totalReturnRatio: number;
	/** Open time of the first bar and close time of the last bar of the range (ms UTC). */
	startTimeMs: number;
	endTimeMs: number;
	/** (endTimeMs − startTimeMs) in years of 365.25 days: the span the gates check (gaps included). */
	spanYears: number;
	/** Bars per year for annualising: 365 days of 24 h ÷ timeframe (crypto trades every day). */
	periodsPerYear: number;
	/** The core's return metrics of `returns` (Sharpe, Sortino, max drawdown, CAGR, ...). */
	metrics: ReturnMetrics | null;
	/** The core's trade statistics of the trades' `pnl` (win rate, profit factor, expectancy, ...). */
	tradeStats: TradeMetrics | null;
}

export { computeStrategyIndicators, type StrategyIndicators };

export { periodsPerYearOf };

export function resolveStrategyParams(partial: Partial<StrategyParams> = {}): StrategyParams {
	const p: StrategyParams = { ...DEFAULT_STRATEGY_PARAMS, ...partial };
	const bad = (field: string, why: string): never => {
		throw new InvalidInputError(`${field} ${why}`, [field]);
	};
	if (!(Number.isInteger(p.stdevLength) && p.stdevLength >= 1)) bad('stdevLength', 'must be an integer >= 1');
	if (!(Number.isInteger(p.trendEmaLength) && p.trendEmaLength >= 1)) bad('trendEmaLength', 'must be an integer >= 1');
	if (!Number.isFinite(p.deviationThreshold)) bad('deviationThreshold', 'must be a finite number');
	if (!(p.stopRatio > 0 && p.stopRatio < 1)) bad('stopRatio', 'must be in (0, 1)');
	if (!(p.minRewardRisk >= 0)) bad('minRewardRisk', 'must be >= 0');
	return p;
}

/** Runs one backtest; see the module header for the semantics. */
export function runBacktest(req: BacktestRequest): BacktestResult {
	const { candles } = req;
	const params = resolveStrategyParams(req.params);
	const broker = resolveBrokerOptions(req.broker);
	const n = candles.length;
	const fromIndex = req.fromIndex ?? 0;
	const toIndex = req.toIndex ?? n;
	if (!(Number.isInteger(fromIndex) && Number.isInteger(toIndex) && fromIndex >= 0 && toIndex <= n && fromIndex < toIndex)) {
		throw new InvalidInputError(`bar range [${fromIndex}, ${toIndex}) is empty or outside 0..${n}`, ['range']);
	}
	const signals = collectStrategySignals(candles, params, fromIndex, toIndex, req.indicators, req.sessionOffsetMs ?? 0);
	const log = new TradeLog(64);
	simulateLongTrades(candles, signals.bars, signals.count, signals.targets, params.stopRatio, broker, fromIndex, toIndex, log, 'signal');
	return { params, signalCount: signals.count, ...settleTrades(candles, log, broker, fromIndex, toIndex, req.computeMetrics ?? true) };
}
