/**
 * @module backtest/settleTrades
 * The money side of a backtest, shared by every strategy feeding the broker emulator: the trade log
 * of `simulateLongTrades` → position sizes, fees and pnl (accountTrades), the bar-close equity curve
 * and its returns, the trade list and the core's metrics over the range [fromIndex, toIndex).
 */
import type { CandleColumns } from '../candles.js';
import { returnMetrics } from '../metrics/returnMetrics.js';
import { tradeMetrics } from '../metrics/tradeMetrics.js';
import { accountTrades, allocateTradeMoney } from './accountTrades.js';
import type { BrokerOptions } from './brokerOptions.js';
import type { BacktestResult, BacktestTrade } from './runBacktest.js';
import { EXIT_REASONS, type TradeLog } from './tradeLog.js';

const YEAR_MS = 365.25 * 86_400_000;

/** Bars per year of a timeframe, 24/7 market: 8760 for 1h, 525600 for 1m. */
export function periodsPerYearOf(timeframeMs: number): number {
	return (365 * 86_400_000) / timeframeMs;
}

/** Everything of a backtest result but the strategy parameters and the signal count (the strategy's). */
export type SettledBacktest = Omit<BacktestResult, 'params' | 'signalCount'>;

export function settleTrades(candles: CandleColumns, log: TradeLog, broker: BrokerOptions, fromIndex: number, toIndex: number, withMetrics: boolean): SettledBacktest {
	const equity = new Float64Array(toIndex - fromIndex);
	const money = allocateTradeMoney(log.count);
	const returns = new Float64Array(toIndex - fromIndex - 1);
	const finalEquity = accountTrades(candles, log, broker, fromIndex, toIndex, equity, money, returns);
	const trades: BacktestTrade[] = new Array(log.count);
	for (let k = 0; k < log.count; k++) {
		trades[k] = {
			signalIndex: log.signalIndex[k],
			entryIndex: log.entryIndex[k],
			entryTimeMs: candles.openTime[log.entryIndex[k]],
			entryPrice: log.entryPrice[k],
			exitIndex: log.exitIndex[k],
			exitTimeMs: candles.openTime[log.exitIndex[k]],
			exitPrice: log.exitPrice[k],
			exitReason: EXIT_REASONS[log.reason[k]],
			targetPrice: log.target[k],
			stopPrice: log.stop[k],
			quantity: money.quantity[k],
			fees: money.fees[k],
			pnl: money.pnl[k],
			returnRatio: money.returnRatio[k],
		};
	}
	const periodsPerYear = periodsPerYearOf(broker.timeframeMs);
	const startTimeMs = candles.openTime[fromIndex];
	const endTimeMs = candles.openTime[toIndex - 1] + broker.timeframeMs;
	return {
		broker,
		fromIndex,
		toIndex,
		trades,
		equity,
		returns,
		finalEquity,
		totalReturnRatio: finalEquity / broker.initialCapital - 1,
		startTimeMs,
		endTimeMs,
		spanYears: (endTimeMs - startTimeMs) / YEAR_MS,
		periodsPerYear,
		metrics: withMetrics ? returnMetrics(returns, periodsPerYear) : null,
		tradeStats: withMetrics ? tradeMetrics(trades) : null,
	};
}
