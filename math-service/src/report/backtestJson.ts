/**
 * @module report/backtestJson
 * The JSON of one backtest as the CLI writes it and `POST /v1/backtests` returns it: trades as
 * TradingView's List of Trades shows them, the core's metrics, and the KPI gates pass/fail with the
 * measured number. Money is in quote currency (USDT); ratios are fractions (0.031 = 3.1%).
 *
 * - `trades[].entry_time` / `exit_time`: open time of the bar in which the fill happened, ISO 8601
 *   UTC; `pnl` is net of both commissions; `return_ratio` = pnl ÷ entry notional.
 * - `metrics`: core/metrics' return metrics of the per-bar equity returns (Sharpe annualised with
 *   the timeframe's bars per year, max drawdown of the bar-close equity) and trade metrics of the
 *   trades' pnl (breakevens count as trades, not wins), plus the equity and span the gates read.
 * - `gates`: the seeds' KPI gates (seed 1: Sharpe > 1; seed 2: Sharpe > 2); a null value fails.
 */
import type { BrokerOptions } from '../core/backtest/brokerOptions.js';
import type { StrategyParams } from '../core/backtest/collectEntrySignals.js';
import type { BacktestTrade } from '../core/backtest/runBacktest.js';
import type { SettledBacktest } from '../core/backtest/settleTrades.js';
import { evaluateKpiGates, type KpiEvaluation, type KpiInput } from '../core/gates/kpiGates.js';
import { isoTime, snakeKeys } from './toSnakeCase.js';

/** Where the candles came from. */
export interface DataInfo {
	/** CSV file path, or null when the candles came from a database or the request body. */
	file: string | null;
	/** Redacted DATABASE_URL, or null. */
	db: string | null;
	exchange: string | null;
	symbol: string;
	timeframe: string;
}

export interface TradeJson {
	entry_time: string;
	entry_price: number;
	exit_time: string;
	exit_price: number;
	exit_reason: string;
	pnl: number;
	return_ratio: number;
	quantity: number;
	fees: number;
	signal_time: string;
	target_price: number;
	stop_price: number;
}

export interface GateJson {
	name: string;
	passed: boolean;
	value: number | null;
	threshold: number;
	comparator: string;
}

export interface GatesJson {
	passed: boolean;
	gates: GateJson[];
}

/** What the alpha-threshold backtest says about its score's data: which components it had, bar by bar. */
export interface AlphaCoverageJson {
	/** Components missing on some bar of the window (the score was partial there). */
	components_missing: string[];
	/** Components missing on every bar: the rows measure the others alone. */
	components_missing_everywhere: string[];
	missing_bars: Record<string, number>;
	partial_bars: number;
	scored_bars: number;
	/** Where each component's data came from ('candles', 'database', 'none'). */
	sources: Record<string, string>;
}

export interface BacktestJson {
	/** Present for a strategy other than the VWAP mean reversion: 'alpha_threshold'. */
	strategy?: string;
	params: Record<string, number | boolean>;
	broker: Record<string, unknown>;
	data: DataInfo & { from: string; to: string; bars: number; warmup_bars: number };
	trade_count: number;
	/** Bars in the window whose close met the entry rule (an alert), whether or not the strategy was flat. */
	signal_count?: number;
	/** Present when the trade list was cut to a limit (the API's trade_limit). */
	trades_truncated?: boolean;
	trades: TradeJson[];
	metrics: Record<string, number | null>;
	gates: { seed1: GatesJson; seed2: GatesJson };
	/** The alpha-threshold backtest's data coverage. */
	alpha?: AlphaCoverageJson;
}

export function paramsJson(p: StrategyParams): Record<string, number> {
	return snakeKeys(p) as Record<string, number>;
}

export function brokerJson(b: BrokerOptions): Record<string, unknown> {
	return snakeKeys(b);
}

export function tradeJson(t: BacktestTrade, openTime: ArrayLike<number>): TradeJson {
	return {
		entry_time: isoTime(t.entryTimeMs),
		entry_price: t.entryPrice,
		exit_time: isoTime(t.exitTimeMs),
		exit_price: t.exitPrice,
		exit_reason: t.exitReason,
		pnl: t.pnl,
		return_ratio: t.returnRatio,
		quantity: t.quantity,
		fees: t.fees,
		signal_time: isoTime(openTime[t.signalIndex]),
		target_price: t.targetPrice,
		stop_price: t.stopPrice,
	};
}

export function gatesJson(evaluation: KpiEvaluation): GatesJson {
	return { passed: evaluation.passed, gates: evaluation.gates.map((g) => ({ ...g, value: g.value !== null && Number.isFinite(g.value) ? g.value : null })) };
}

/** Both seed profiles of the KPI gates. */
export function bothGates(input: KpiInput): { seed1: GatesJson; seed2: GatesJson } {
	return { seed1: gatesJson(evaluateKpiGates(input, 'seed1')), seed2: gatesJson(evaluateKpiGates(input, 'seed2')) };
}

/** Metrics object: return metrics, trade metrics and the account figures, snake_case, null where undefined. */
export function metricsJson(result: Pick<SettledBacktest, 'metrics' | 'tradeStats' | 'totalReturnRatio' | 'finalEquity' | 'spanYears' | 'periodsPerYear' | 'trades'>, initialCapital: number): Record<string, number | null> {
	const fees = result.trades.reduce((sum, t) => sum + t.fees, 0);
	return {
		...(snakeKeys(result.tradeStats ?? {}) as Record<string, number | null>),
		...(snakeKeys(result.metrics ?? {}) as Record<string, number | null>),
		total_return_ratio: result.totalReturnRatio,
		initial_capital: initialCapital,
		final_equity: result.finalEquity,
		fees_paid: fees,
		span_years: result.spanYears,
		periods_per_year: result.periodsPerYear,
	};
}

/** The JSON of `result` over `openTime`; `tradeLimit` keeps the first N trades (metrics use all); `signalCount` as counted by the caller. */
export function toBacktestJson(result: SettledBacktest & { params: object }, openTime: ArrayLike<number>, data: DataInfo, tradeLimit?: number, signalCount?: number): BacktestJson {
	const all = result.trades;
	const kept = tradeLimit !== undefined && tradeLimit < all.length ? all.slice(0, tradeLimit) : all;
	const json: BacktestJson = {
		params: snakeKeys(result.params) as BacktestJson['params'],
		broker: brokerJson(result.broker),
		data: {
			...data,
			from: isoTime(result.startTimeMs),
			to: isoTime(result.endTimeMs),
			bars: result.toIndex - result.fromIndex,
			warmup_bars: result.fromIndex,
		},
		trade_count: all.length,
		...(signalCount !== undefined && { signal_count: signalCount }),
		trades: kept.map((t) => tradeJson(t, openTime)),
		metrics: metricsJson(result, result.broker.initialCapital),
		gates: bothGates({
			tradeCount: all.length,
			spanYears: result.spanYears,
			winRate: result.tradeStats?.winRate ?? null,
			profitFactor: result.tradeStats?.profitFactor ?? null,
			maxDrawdownRatio: result.metrics?.maxDrawdownRatio ?? null,
			sharpeRatio: result.metrics?.sharpeRatio ?? null,
		}),
	};
	if (kept.length < all.length) json.trades_truncated = true;
	return json;
}
