/**
 * @module storage/schema
 * The TypeScript view of the database, one interface per table. Kysely's CamelCasePlugin maps
 * these camelCase names to the snake_case columns created by the migrations (`openTime` ↔
 * `open_time`), so queries are typed end to end.
 *
 * Units, everywhere:
 * - times are Unix epoch milliseconds, UTC, stored as BIGINT (`...At`, `...Time`);
 * - prices are quote currency per unit of the base asset (USDT per BTC), quantities are base-asset
 *   units, cash amounts are quote currency; all stored as DOUBLE (IEEE 754 binary64), because the
 *   math core computes in `number` anyway, DOUBLE is read back as a JavaScript number by both
 *   drivers (mysql2 returns DECIMAL as a string), and paper trading needs ~15 significant digits,
 *   not exact decimal cents. A LIVE ledger that must reconcile to the exchange's cents would use
 *   DECIMAL and string arithmetic; this store is for paper execution and statistics;
 * - `...Ratio` is a fraction (0.031 = 3.1%);
 * - JSON payloads are TEXT holding `JSON.stringify` output.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

/** An auto-increment primary key: generated on insert, a number when read. */
type Id = Generated<number>;

export interface CandlesTable {
	exchange: string;
	symbol: string;
	/** Pine/ccxt timeframe string: '1m', '5m', '1h', '1d'. */
	timeframe: string;
	/** Start of the bar, Unix ms UTC. */
	openTime: number;
	open: number;
	high: number;
	low: number;
	close: number;
	/** Base-asset volume traded during the bar. */
	volume: number;
}

export type SignalSource = 'tradingview' | 'scanner';

export interface SignalsTable {
	id: Id;
	/** The sender's idempotency key: TradingView's alert id (unique per bar and signal). */
	alertId: string;
	source: SignalSource;
	symbol: string;
	action: string;
	payloadJson: string;
	/** When this service received it (Unix ms). */
	receivedAt: number;
	/** The bar time the alert claims (Unix ms); null when the alert did not say. */
	signalTime: number | null;
}

export type DecisionStatus = 'approved' | 'rejected';

export interface DecisionsTable {
	id: Id;
	signalId: number | null;
	alertId: string;
	status: DecisionStatus;
	/** Machine-readable reason ('approved', 'not_whitelisted', 'stale', 'rr_too_low', …). */
	reasonCode: string;
	symbol: string;
	receiptJson: string;
	createdAt: number;
}

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

export interface PaperOrdersTable {
	id: Id;
	decisionId: number | null;
	symbol: string;
	side: OrderSide;
	type: OrderType;
	quantity: number;
	limitPrice: number | null;
	stopPrice: number | null;
	status: OrderStatus;
	createdAt: number;
	updatedAt: number;
}

export interface PaperFillsTable {
	id: Id;
	orderId: number;
	price: number;
	quantity: number;
	/** Fee paid in quote currency (positive). */
	fee: number;
	filledAt: number;
}

export type PositionStatus = 'open' | 'closed';

export interface PaperPositionsTable {
	id: Id;
	/** Strategy that opened it; carried into the trade log for per-strategy Kelly statistics. */
	strategy: string;
	symbol: string;
	/** Base-asset units held (long only: spot swaps). */
	quantity: number;
	entryPrice: number;
	stopPrice: number | null;
	targetPrice: number | null;
	/** Fees paid so far (entry, then entry + exit), quote currency. */
	fees: number;
	openedAt: number;
	closedAt: number | null;
	exitPrice: number | null;
	exitReason: string | null;
	/** (exit − entry) × quantity − fees, quote currency; null while open. */
	realizedPnl: number | null;
	status: PositionStatus;
	decisionId: number | null;
	/** The time stop this position was opened with, ms; null = the monitor's default applies. */
	timeStopMs: Generated<number | null>;
	/** End (open time + bar length) of the last candle the risk monitor examined, Unix ms; null = none yet. */
	checkedUntil: Generated<number | null>;
}

export interface PaperCashTable {
	id: Id;
	/** Signed quote-currency amount: + deposit or sale proceeds, − purchase cost and fees. */
	amount: number;
	/** 'initial_deposit', 'deposit', 'buy', 'sell', 'adjustment'. */
	reason: string;
	/** What caused it ('fill:12'); unique together with reason, so a movement cannot be booked twice. */
	ref: string | null;
	createdAt: number;
}

export type TradeMode = 'PAPER' | 'LIVE';

export interface TradeLogTable {
	id: Id;
	strategy: string;
	symbol: string;
	mode: TradeMode;
	entryTime: number;
	entryPrice: number;
	exitTime: number;
	exitPrice: number;
	exitReason: string;
	quantity: number;
	/** Net profit in quote currency after fees. */
	pnl: number;
	/** pnl / (entryPrice × quantity): the trade's return on the capital it used. */
	returnRatio: number;
	fees: number;
}

export interface RiskStateTable {
	key: string;
	value: string;
	updatedAt: number;
}

export interface EquitySnapshotsTable {
	id: Id;
	/** When the equity was measured, Unix ms UTC. */
	takenAt: number;
	/** Cash + marked-to-market positions, quote currency. */
	equity: number;
}

export type CallbackAction = 'executed' | 'skipped';

export interface CallbackEventsTable {
	id: Id;
	decisionId: number;
	action: CallbackAction;
	/** Telegram's callback_query.id; unique when present, so a redelivered press is recorded once. */
	callbackQueryId: string | null;
	user: string;
	receivedAt: number;
	rawJson: string;
}

export interface BacktestRunsTable {
	id: Id;
	/** Canonical strategy name, snake_case ('vwap_mean_reversion'; see backtestRuns.canonicalStrategy). */
	strategy: string;
	/** Exchange of the candles; null when a CSV did not say. */
	exchange: string | null;
	/** Normalised pair, 'BTC/USDT'. */
	symbol: string;
	timeframe: string;
	/** The backtest window [fromTime, toTime): open time of its first bar, end (open + bar length) of its last bar, Unix ms UTC. */
	fromTime: number;
	toTime: number;
	/** Strategy inputs (snake_case) plus `broker` (fees, slippage, capital, size). */
	paramsJson: string;
	/** The backtest JSON's `metrics`. */
	metricsJson: string;
	/** The backtest JSON's `gates` ({ seed1, seed2 }: pass/fail per gate with the number). */
	gatesJson: string;
	/** Which KPI profile `gatesPassed` refers to ('seed1' by default). */
	gatesProfile: string;
	/** 1 when every gate of `gatesProfile` passed, else 0. */
	gatesPassed: number;
	createdAt: number;
}

export interface OnchainObservationsTable {
	id: Id;
	/** Glassnode asset code, 'BTC'. */
	asset: string;
	/** Normalised metric name: 'exchange_netflow', 'sopr', 'lth_sopr'. */
	metric: string;
	/** The provider's interval: '1h', '24h'. */
	resolution: string;
	/** Start of the measured period, Unix ms UTC (Glassnode's `t`). */
	periodStart: number;
	/** The value; null when the provider reported it missing (never stored as 0). */
	value: number | null;
	/** When this service learned the value, Unix ms: a revision is a new row with a later learnedAt. */
	learnedAt: number;
	source: string;
}

export interface NewsPostsTable {
	id: Id;
	source: string;
	/** The provider's post id. */
	postId: string;
	/** Comma-separated upper-case currency codes the post is tagged with ('' when none). */
	currencies: string;
	title: string;
	url: string | null;
	publishedAt: number;
	firstSeenAt: number;
	/** The latest vote counts seen (JSON object). */
	votesJson: string;
	votesUpdatedAt: number;
}

export interface SentimentSnapshotsTable {
	id: Id;
	/** Upper-case currency code, or '*' for all posts (the market as a whole). */
	currency: string;
	/** When the snapshot was computed from the posts known then, Unix ms. */
	computedAt: number;
	/** 0–100, 50 neutral; null when no post was in the window. */
	sentimentScore: number | null;
	/** 0–100; null when no post was in the window. */
	panicScore: number | null;
	postCount: number;
	bullishVotes: number;
	bearishVotes: number;
	source: string;
}

export interface AlphaScoresTable {
	id: Id;
	symbol: string;
	computedAt: number;
	/** 0–100; null when no weighted component had data. */
	score: number | null;
	/** 1 when a weighted component was missing. */
	partial: number;
	/** The full composite result (components, weights, missing, inputs). */
	componentsJson: string;
}

/** The operator's kill switch: one row, id 1 (migration 0008). */
export interface DeskStateTable {
	id: number;
	/** 1 while the operator has halted the desk (no new entries), 0 otherwise. */
	halted: number;
	/** When the current halt started, Unix ms; null when not halted. */
	haltedSince: number | null;
	/** Who halted: `telegram:<chat id>/@user`, `api`, `n8n`, … */
	haltedBy: string | null;
	reason: string | null;
	updatedAt: number;
}

/** Audit trail of operator actions: halt, resume, close, command_refused, … */
export interface DeskEventsTable {
	id: Id;
	at: number;
	action: string;
	actor: string;
	/** What happened, JSON (positions closed with their fills, the refused chat id, …). */
	detailJson: string;
}

export interface Database {
	candles: CandlesTable;
	signals: SignalsTable;
	decisions: DecisionsTable;
	paperOrders: PaperOrdersTable;
	paperFills: PaperFillsTable;
	paperPositions: PaperPositionsTable;
	paperCash: PaperCashTable;
	tradeLog: TradeLogTable;
	riskState: RiskStateTable;
	equitySnapshots: EquitySnapshotsTable;
	callbackEvents: CallbackEventsTable;
	backtestRuns: BacktestRunsTable;
	onchainObservations: OnchainObservationsTable;
	newsPosts: NewsPostsTable;
	sentimentSnapshots: SentimentSnapshotsTable;
	alphaScores: AlphaScoresTable;
	deskState: DeskStateTable;
	deskEvents: DeskEventsTable;
}

export type Candle = Selectable<CandlesTable>;
export type Signal = Selectable<SignalsTable>;
export type NewSignal = Insertable<SignalsTable>;
export type Decision = Selectable<DecisionsTable>;
export type NewDecision = Insertable<DecisionsTable>;
export type PaperOrder = Selectable<PaperOrdersTable>;
export type PaperFill = Selectable<PaperFillsTable>;
export type PaperPosition = Selectable<PaperPositionsTable>;
export type PaperCashMovement = Selectable<PaperCashTable>;
export type Trade = Selectable<TradeLogTable>;
export type NewTrade = Insertable<TradeLogTable>;
export type RiskStateEntry = Selectable<RiskStateTable>;
export type EquitySnapshot = Selectable<EquitySnapshotsTable>;
export type CallbackEvent = Selectable<CallbackEventsTable>;
export type DeskStateRow = Selectable<DeskStateTable>;
export type DeskEvent = Selectable<DeskEventsTable>;
export type NewCallbackEvent = Insertable<CallbackEventsTable>;
export type BacktestRunRow = Selectable<BacktestRunsTable>;
export type OnchainObservation = Selectable<OnchainObservationsTable>;
export type NewsPostRow = Selectable<NewsPostsTable>;
export type SentimentSnapshot = Selectable<SentimentSnapshotsTable>;
export type AlphaScoreRow = Selectable<AlphaScoresTable>;
