export { runBacktest, computeStrategyIndicators, resolveStrategyParams, periodsPerYearOf, type BacktestRequest, type BacktestResult, type BacktestTrade, type StrategyIndicators } from './runBacktest.js';
export { DEFAULT_STRATEGY_PARAMS, collectEntrySignals, type StrategyParams } from './collectEntrySignals.js';
export { DEFAULT_BROKER_OPTIONS, HOUR_MS, resolveBrokerOptions, timeframeToMs, type BrokerOptions, type TieBreak } from './brokerOptions.js';
export { simulateLongTrades, findExit, type PriceColumns } from './simulateLongTrades.js';
export { accountTrades, equityReturns } from './accountTrades.js';
export { scoreTrades, type TradeScore } from './scoreTrades.js';
export { TradeLog, EXIT_REASONS, type ExitReason } from './tradeLog.js';
export { detectLookAhead, backtestDecisions, type DecisionFunction, type LookAheadReport } from './detectLookAhead.js';
