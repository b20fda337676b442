/**
 * @module storage
 * The service's state: candles, signals, decisions, the paper ledger, the trade log and the risk
 * engine's state, over SQLite (default) or MySQL/MariaDB. Start with `openStorage(DATABASE_URL)`.
 */
export { openStorage, type Repositories, type Storage, type StorageOptions } from './openStorage.js';
export { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from './parseDatabaseUrl.js';
export { isDuplicateKeyError, type Dialect } from './insertOnce.js';
export type { CandleColumns, CandleKey } from './candles.js';
export type { SignalInput, InsertSignalResult } from './signals.js';
export type { DecisionInput, InsertDecisionResult } from './decisions.js';
export type { OpenPositionInput, ClosePositionInput, CashMovementInput } from './paperLedger.js';
export type { RecentTradesQuery } from './tradeLog.js';
export type { CallbackEventInput } from './callbackEvents.js';
export { BACKTEST_STRATEGY, canonicalStrategy, canonicalSymbol, type BacktestRun, type BacktestRunInput, type LatestRunQuery } from './backtestRuns.js';
export type * from './schema.js';
