/**
 * @module desk/closeOpenPosition
 * The operator closes positions by hand (`/close SYMBOL`, `/halt flatten`, `POST /v1/desk/close`,
 * the Desk Control node). A PAPER position is sold whole, as a market order, the way the backtester
 * fills one: at the latest price (the request's `prices[symbol]`, else the latest stored candle
 * close) less the backtester's adverse slippage (2 bps), paying the paper fee (0.1 %) — through the
 * paper broker, so the order, fill, cash movement and trade-log row (net P&L, return) are written
 * together in one transaction. A position without any price is not closed: it is listed under
 * `skipped` with the reason. Every close is recorded in desk_events with who asked.
 *
 * A LIVE position (one a LIVE order opened: its outbox row names it) is closed on the exchange by
 * the pipeline's `closeLivePosition`, never by the paper broker: an OCO leg the exchange already
 * filled is the exit (no order); otherwise the OCO is cancelled and the whole position sold at
 * market with the close's client order id, which is looked up first — so a retried close (the
 * answer of the first was lost) books the sell that reached the exchange instead of sending a
 * second. Each LIVE close is booked in its own transaction (position, trade log as a LIVE trade,
 * outbox row, desk event) and listed under `live.closed`; one that fails is listed under
 * `live.failed` with the reason and stays open (the risk monitor keeps guarding it). A process not
 * armed for LIVE leaves LIVE positions open and lists them under `skipped`.
 */
import { DEFAULT_BROKER_OPTIONS } from '../core/backtest/brokerOptions.js';
import { baseAsset } from '../core/risk/RiskGate.js';
import { normalizeSymbol } from '../core/intake/normalizeSymbol.js';
import { latestClose } from '../pipeline/accountState.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { closeLivePosition, isLivePosition, type CloseLiveResult } from '../pipeline/liveExecution.js';
import { log } from '../observability/logger.js';
import { DEFAULT_THRESHOLDS } from '../pipeline/thresholds.js';
import type { Repositories } from '../storage/openStorage.js';
import type { PaperPosition } from '../storage/schema.js';

export type OperatorExitReason = 'operator_close' | 'operator_flatten';

export interface ClosedByOperator {
	position_id: number;
	symbol: string;
	strategy: string;
	quantity: number;
	entry_price: number;
	/** The price the close was based on and where it came from. */
	mark_price: number;
	price_source: 'request' | 'candle';
	/** mark × (1 − slippage). */
	exit_price: number;
	pnl: number;
	return_ratio: number;
	fees: number;
	trade_id: number;
	exit_reason: OperatorExitReason;
}

/** A LIVE position closed on the exchange at the operator's request. */
export interface ClosedLiveByOperator {
	position_id: number;
	symbol: string;
	strategy: string;
	quantity: number;
	entry_price: number;
	/** The exchange's fill price (average of the market sell, or the OCO leg's price). */
	exit_price: number;
	pnl: number;
	return_ratio: number;
	fees: number;
	trade_id: number;
	/** The operator's reason; `stop` / `target` when the exchange had already filled that OCO leg. */
	exit_reason: string;
	via: CloseLiveResult['via'];
	message: string;
}

export interface NotClosed {
	position_id: number;
	symbol: string;
	reason: string;
}

export interface CloseOutcome {
	closed: ClosedByOperator[];
	skipped: NotClosed[];
	/** LIVE mode only: each LIVE position closed on the exchange, or why not (null in PAPER). */
	live: { closed: ClosedLiveByOperator[]; failed: NotClosed[] } | null;
}

export interface CloseRequest {
	/** Which positions: one symbol (any spelling; a bare base such as `BTC` matches every quote), or all. */
	symbol: string | 'all';
	actor: string;
	exitReason: OperatorExitReason;
	prices?: Record<string, number>;
	slippageRatio?: number;
	feeRatio?: number;
}

/** True when the open position's symbol is the one the operator named. */
export function positionMatches(positionSymbol: string, wanted: string): boolean {
	const w = wanted.trim().toUpperCase();
	if (w === 'ALL') return true;
	if (positionSymbol.toUpperCase() === w) return true;
	if (!/[/:_-]/.test(w) && baseAsset(positionSymbol) === w) return true;
	try {
		return normalizeSymbol(w).symbol === positionSymbol.toUpperCase();
	} catch {
		return false;
	}
}

/** Closes the matching open positions; runs in the pipeline queue (never beside a decision batch). */
export async function closeOpenPositions(p: Pipeline, req: CloseRequest): Promise<CloseOutcome> {
	const slip = req.slippageRatio ?? DEFAULT_BROKER_OPTIONS.slippageRatio;
	const broker = p.paperBroker(req.feeRatio ?? DEFAULT_THRESHOLDS.feeRatio);
	const armed = p.config.mode === 'LIVE' && p.liveExchange !== null;
	return p.serialize(async () => {
		const { result, live } = await p.storage.transaction(async (tx) => {
			const nowMs = p.now();
			const open = (await tx.paperLedger.openPositions()).filter((pos) => req.symbol === 'all' || positionMatches(pos.symbol, req.symbol));
			const result: CloseOutcome = { closed: [], skipped: [], live: null };
			const live: PaperPosition[] = [];
			for (const pos of open) {
				if (await isLivePosition(tx, pos.id)) {
					if (armed) live.push(pos);
					else result.skipped.push({ position_id: pos.id, symbol: pos.symbol, reason: 'LIVE position, but LIVE is not armed in this process: nothing sent, left open; close it on the exchange' });
					continue;
				}
				const closed = await closePaperPosition(tx, pos, { ...req, slip, nowMs, broker });
				if ('reason' in closed) result.skipped.push(closed);
				else result.closed.push(closed);
			}
			for (const c of result.closed) {
				await tx.desk.recordEvent({ at: nowMs, action: 'close', actor: req.actor, detail: c });
			}
			return { result, live };
		});
		if (p.config.mode === 'LIVE') result.live = await closeLivePositions(p, live, req);
		return result;
	});
}

async function closePaperPosition(
	tx: Repositories,
	pos: PaperPosition,
	o: CloseRequest & { slip: number; nowMs: number; broker: ReturnType<Pipeline['paperBroker']> },
): Promise<ClosedByOperator | { position_id: number; symbol: string; reason: string }> {
	const fromRequest = o.prices?.[pos.symbol];
	const mark = fromRequest ?? (await latestClose(tx, pos.symbol));
	if (mark === null || !Number.isFinite(mark) || mark <= 0) {
		return { position_id: pos.id, symbol: pos.symbol, reason: 'no price: none in the request and no stored candle close; left open' };
	}
	const exitPrice = mark * (1 - o.slip);
	const fill = await o.broker.closeLong(tx, { positionId: pos.id, price: exitPrice, exitReason: o.exitReason, atMs: o.nowMs });
	return {
		position_id: pos.id,
		symbol: pos.symbol,
		strategy: pos.strategy,
		quantity: pos.quantity,
		entry_price: pos.entryPrice,
		mark_price: mark,
		price_source: fromRequest !== undefined ? 'request' : 'candle',
		exit_price: exitPrice,
		pnl: fill.trade.pnl,
		return_ratio: fill.trade.returnRatio,
		fees: fill.trade.fees,
		trade_id: fill.trade.id,
		exit_reason: o.exitReason,
	};
}

/**
 * LIVE: each position closed on the exchange (closeLivePosition), booked with its desk event in one
 * transaction; a failure leaves that position open and is reported with its reason.
 */
async function closeLivePositions(p: Pipeline, positions: PaperPosition[], req: CloseRequest): Promise<{ closed: ClosedLiveByOperator[]; failed: NotClosed[] }> {
	const out: { closed: ClosedLiveByOperator[]; failed: NotClosed[] } = { closed: [], failed: [] };
	for (const pos of positions) {
		try {
			const closed = await p.storage.transaction(async (tx) => {
				const c = await closeLivePosition(p, { positionId: pos.id, exitReason: req.exitReason, repos: tx });
				const row: ClosedLiveByOperator = {
					position_id: pos.id,
					symbol: pos.symbol,
					strategy: pos.strategy,
					quantity: c.quantity,
					entry_price: pos.entryPrice,
					exit_price: c.price,
					pnl: c.trade.pnl,
					return_ratio: c.trade.returnRatio,
					fees: c.trade.fees,
					trade_id: c.trade.id,
					exit_reason: c.exitReason,
					via: c.via,
					message: c.message,
				};
				await tx.desk.recordEvent({ at: p.now(), action: 'close', actor: req.actor, detail: row });
				return row;
			});
			out.closed.push(closed);
		} catch (error) {
			log.error({ err: error, positionId: pos.id }, 'operator close: closing the LIVE position on the exchange failed');
			out.failed.push({
				position_id: pos.id,
				symbol: pos.symbol,
				reason: `not closed: ${(error as Error).message.slice(0, 200)}; left open and guarded by the risk monitor. Closing again finds a sell that reached the exchange by its client order id (never a second sell)`,
			});
		}
	}
	return out;
}
