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
 * LIVE positions are closed on the exchange by `closeLivePosition` (the exchange adapter); its one
 * call site is `closeLivePositions` below. Until it is wired, LIVE mode closes nothing there and
 * says so in `live`.
 */
import { DEFAULT_BROKER_OPTIONS } from '../core/backtest/brokerOptions.js';
import { baseAsset } from '../core/risk/RiskGate.js';
import { normalizeSymbol } from '../core/intake/normalizeSymbol.js';
import { latestClose } from '../pipeline/accountState.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
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

export interface CloseOutcome {
	closed: ClosedByOperator[];
	skipped: { position_id: number; symbol: string; reason: string }[];
	/** LIVE mode only: what the exchange adapter did (null in PAPER). */
	live: { closed: number; note: string } | null;
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
	const outcome = await p.serialize(() =>
		p.storage.transaction(async (tx) => {
			const nowMs = p.now();
			const open = (await tx.paperLedger.openPositions()).filter((pos) => req.symbol === 'all' || positionMatches(pos.symbol, req.symbol));
			const result: CloseOutcome = { closed: [], skipped: [], live: null };
			for (const pos of open) {
				const closed = await closePaperPosition(tx, pos, { ...req, slip, nowMs, broker });
				if ('reason' in closed) result.skipped.push(closed);
				else result.closed.push(closed);
			}
			for (const c of result.closed) {
				await tx.desk.recordEvent({ at: nowMs, action: 'close', actor: req.actor, detail: c });
			}
			return result;
		}),
	);
	if (p.config.mode === 'LIVE') outcome.live = await closeLivePositions(p, req);
	return outcome;
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
 * LIVE: the single call site of the exchange adapter's `closeLivePosition` (one market sell per
 * open LIVE position matching `req.symbol`). Not wired in this version: nothing is sent.
 */
async function closeLivePositions(_p: Pipeline, _req: CloseRequest): Promise<{ closed: number; note: string }> {
	return { closed: 0, note: 'LIVE positions are closed on the exchange by closeLivePosition, which is not wired in this version: no order sent' };
}
