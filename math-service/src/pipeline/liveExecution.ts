/**
 * @module pipeline/liveExecution
 * LIVE orders through the outbox (storage/liveOrderOutbox), armed only when every LIVE switch is on
 * (execution/liveSettings) and the strategy's latest backtest passes (decide.ts asks
 * execution/livePermission first).
 *
 * 1. Before the decision queue: the market's rules (step, tick, min notional) are read once (ccxt
 *    `loadMarkets`, cached), so the decision itself never waits on the network.
 * 2. In the decision transaction: the approved size is truncated to the step (`amountToPrecision`);
 *    below the minimum quantity or notional → a recorded rejection (`live_min_notional`), never an
 *    order. Otherwise the outbox row (state `pending`, client order id derived from the decision)
 *    commits together with the decision.
 * 3. After the commit, still inside the pipeline's queue (so the next decision sees the position):
 *    the row moves pending → sent (compare-and-set: only one sender ever), the MARKET order goes out
 *    with that client order id, and the answer settles it: `filled` / `partially_filled` (the
 *    position is booked in the ledger at the exchange's average price, net of a base-asset
 *    commission, fee in quote) / `rejected` / `insufficient_balance` (decision turned `rejected`
 *    with `live_order_rejected` / `live_insufficient_balance`). No answer (network) → the order is
 *    looked up by its client order id; still unknown → it stays `sent` for reconciliation. Never a
 *    second order.
 * 4. A filled position is protected on the exchange by an OCO sell (target LIMIT_MAKER, stop
 *    STOP_LOSS_LIMIT 0.5 % below the stop) where the exchange supports it (Binance spot), otherwise
 *    by the risk monitor (pipeline/checkPositions).
 * 5. `closeLivePosition`: an OCO leg that already filled is recorded as the exit; otherwise the OCO
 *    is cancelled and the position sold at market (client order id `…-x`, looked up first so a
 *    repeated close never sells twice); the close is booked in the ledger and the trade log
 *    (mode LIVE), so the Kelly statistics grow.
 * 6. `reconcileLiveOutbox` at start: every `pending`/`sent` row is looked up on the exchange (one
 *    `allOrders` per symbol, batched), then settled as above; a row the exchange never saw is
 *    marked `rejected` (never sent late: the signal is stale).
 * Every state change carries its reason and a Telegram-ready text (execution/liveMessages) on the
 * decision's receipt (`execution`).
 */
import { InvalidInputError } from '../errors.js';
import { closeOrderIdFor, clientOrderIdFor, protectionIdFor } from '../execution/clientOrderId.js';
import { classifyOrderError, type ExchangeFill, type ExchangeOrder, type LiveExchange, type MarketRules } from '../execution/liveExchange.js';
import { liveCloseMessage, liveOrderMessage } from '../execution/liveMessages.js';
import { log } from '../observability/logger.js';
import { insertLiveOrder, liveOrders, type LiveOrderRow, type LiveOrderState } from '../storage/liveOrderOutbox.js';
import type { Repositories } from '../storage/openStorage.js';
import type { Trade } from '../storage/schema.js';
import type { Pipeline } from './createPipeline.js';
import type { BatchContext } from './decisionBatch.js';
import type { DecideResult } from './decide.js';
import { stringifyReceipt } from './receipt.js';

/** The stop-limit leg's limit below its stop: room to fill in a fast fall. */
export const STOP_LIMIT_OFFSET_RATIO = 0.005;
const FILLED_EPSILON = 1e-9;

function exchangeOf(p: Pipeline): LiveExchange {
	if (p.config.mode !== 'LIVE' || p.liveExchange === null) throw new InvalidInputError('LIVE is not armed: no order can reach the exchange');
	return p.liveExchange;
}

/** The market's rounding and limits, or why they could not be read (read before the decision queue). */
export async function liveRulesFor(p: Pipeline, symbol: string): Promise<MarketRules | { error: string }> {
	try {
		return await exchangeOf(p).rules(symbol);
	} catch (error) {
		return { error: `the market rules of ${symbol} could not be read from the exchange: ${(error as Error).message}` };
	}
}

export type LiveSizing = { quantity: number } | { reasonCode: 'live_min_notional' | 'live_exchange_unavailable'; reason: string };

/** The approved quantity rounded to the market's step, or the recorded reason it cannot be ordered. */
export function liveOrderQuantity(rules: MarketRules | { error: string } | undefined, quantity: number, price: number): LiveSizing {
	if (rules === undefined) return { reasonCode: 'live_exchange_unavailable', reason: 'the market rules were not read before the decision' };
	if ('error' in rules) return { reasonCode: 'live_exchange_unavailable', reason: rules.error };
	const rounded = rules.amount(quantity);
	if (!(rounded > 0) || (rules.minAmount !== null && rounded < rules.minAmount)) {
		return { reasonCode: 'live_min_notional', reason: `${quantity} rounds to ${rounded} at the market's step, below its minimum quantity ${rules.minAmount ?? 'n/a'}: no order sent` };
	}
	if (rules.minNotional !== null && rounded * price < rules.minNotional) {
		return { reasonCode: 'live_min_notional', reason: `order value ${Number((rounded * price).toFixed(8))} is below the market's minimum notional ${rules.minNotional}: no order sent` };
	}
	return { quantity: rounded };
}

/** Writes the outbox row in the decision's transaction (state pending); the order is sent after the commit. */
export async function recordLiveEntry(
	ctx: BatchContext,
	o: { decisionId: number; alertId: string; strategy: string; symbol: string; quantity: number; price: number; stop: number | null; target: number | null; timeStopMs: number | null },
): Promise<LiveOrderRow> {
	const exchange = exchangeOf(ctx.p);
	const { row } = await insertLiveOrder(ctx.st.connection, {
		decisionId: o.decisionId,
		clientOrderId: clientOrderIdFor(o.decisionId, o.alertId),
		exchange: exchange.id,
		strategy: o.strategy,
		symbol: o.symbol,
		side: 'buy',
		quantity: o.quantity,
		referencePrice: o.price,
		stopPrice: o.stop,
		targetPrice: o.target,
		timeStopMs: o.timeStopMs,
		reason: 'recorded with the decision; not yet sent',
		createdAt: ctx.nowMs,
	});
	return row;
}

/** The receipt's `execution` block of a LIVE order. */
export function liveExecutionBlock(row: LiveOrderRow): Record<string, unknown> {
	return {
		broker: 'live',
		exchange: row.exchange,
		state: row.state,
		reason: row.reason,
		client_order_id: row.clientOrderId,
		exchange_order_id: row.exchangeOrderId,
		quantity: row.quantity,
		filled_quantity: row.filledQuantity,
		average_price: row.averagePrice,
		fee: row.feeQuote,
		position_id: row.positionId,
		protection: row.protection,
		protection_id: row.protectionId,
		message: liveOrderMessage(row),
	};
}

/** Sends the orders of the decisions just committed and writes their outcome on each receipt; never throws. */
export async function settleLiveDecisions(p: Pipeline, outcomes: ({ result: DecideResult } | { error: unknown })[]): Promise<void> {
	for (const o of outcomes) {
		if (!('result' in o) || o.result.liveOrder === undefined || o.result.duplicate) continue;
		try {
			const row = await sendLiveOrder(p, o.result.liveOrder);
			await writeOutcome(p, o.result, row);
		} catch (error) {
			log.error({ err: error, decisionId: o.result.decision.id }, 'LIVE order: recording its outcome failed; reconciliation settles it at the next start');
		}
	}
}

const DECISION_OF_STATE: Partial<Record<LiveOrderState, { status: 'rejected'; reasonCode: string }>> = {
	rejected: { status: 'rejected', reasonCode: 'live_order_rejected' },
	insufficient_balance: { status: 'rejected', reasonCode: 'live_insufficient_balance' },
};

async function writeOutcome(p: Pipeline, result: DecideResult, row: LiveOrderRow): Promise<void> {
	const receipt = { ...(result.receipt ?? {}) };
	receipt.execution = liveExecutionBlock(row);
	receipt.live = { ...((receipt.live as Record<string, unknown>) ?? {}), order_placed: row.exchangeOrderId !== null, state: row.state };
	const change = DECISION_OF_STATE[row.state];
	if (change) {
		receipt.status = change.status;
		receipt.reason_code = change.reasonCode;
		receipt.reason = row.reason;
	}
	const text = stringifyReceipt(receipt);
	const status = change?.status ?? result.decision.status;
	const reasonCode = change?.reasonCode ?? result.decision.reasonCode;
	await p.storage.db.updateTable('decisions').set({ status, reasonCode, receiptJson: text.json }).where('id', '=', result.decision.id).execute();
	result.decision = { ...result.decision, status, reasonCode, receiptJson: text.json };
	result.receipt = receipt;
	result.receiptText = text;
}

/** pending → sent → the exchange's answer, settled. Only the writer that moves the row to `sent` sends. */
export async function sendLiveOrder(p: Pipeline, row: LiveOrderRow): Promise<LiveOrderRow> {
	const exchange = exchangeOf(p);
	const orders = liveOrders(p.storage.db);
	const now = p.now();
	if (!(await orders.update(row.id, { state: 'sent', sentAt: now, reason: 'sent to the exchange; answer not yet stored' }, now, ['pending']))) {
		return (await orders.byId(row.id)) ?? row;
	}
	let order: ExchangeOrder | null = null;
	try {
		order = await exchange.marketOrder({ symbol: row.symbol, side: row.side, amount: row.quantity, clientOrderId: row.clientOrderId });
	} catch (error) {
		const failure = classifyOrderError(error);
		if (failure.kind === 'unknown') {
			try {
				order = await exchange.orderByClientId(row.symbol, row.clientOrderId);
			} catch {
				order = null;
			}
			if (order === null) {
				await orders.update(row.id, { reason: failure.reason }, p.now(), ['sent']);
				return (await orders.byId(row.id))!;
			}
		} else {
			await orders.update(row.id, { state: failure.kind, reason: failure.reason }, p.now(), ['sent']);
			return (await orders.byId(row.id))!;
		}
	}
	return settleFromExchange(p, { ...row, state: 'sent' }, order);
}

/** Quantity received net of a base-asset commission, and every fee in quote currency. */
function netOfFees(symbol: string, filled: number, average: number, fills: ExchangeFill[]): { quantity: number; feeQuote: number } {
	const [base, quote] = symbol.split('/');
	let baseFee = 0;
	let quoteFee = 0;
	for (const f of fills) {
		if (f.feeCurrency === base) baseFee += f.fee;
		else if (f.feeCurrency === quote) quoteFee += f.fee;
	}
	return { quantity: filled - baseFee, feeQuote: quoteFee + baseFee * average };
}

/** Settles a row from the exchange's view of its order: books the fill (once) and protects it. */
export async function settleFromExchange(p: Pipeline, row: LiveOrderRow, order: ExchangeOrder): Promise<LiveOrderRow> {
	const exchange = exchangeOf(p);
	const orders = liveOrders(p.storage.db);
	const now = p.now();
	if (order.filled <= FILLED_EPSILON) {
		if (order.status === 'open') {
			await orders.update(row.id, { exchangeOrderId: order.id, reason: 'open on the exchange, not yet filled' }, now, ['pending', 'sent']);
		} else {
			await orders.update(row.id, { state: 'rejected', exchangeOrderId: order.id, reason: `the exchange ${order.status} the order without a fill` }, now, ['pending', 'sent']);
		}
		return (await orders.byId(row.id))!;
	}
	const average = order.average ?? (order.filled > 0 ? order.cost / order.filled : row.referencePrice);
	let fills = order.fills;
	if (fills.length === 0) fills = await exchange.orderFills(row.symbol, order.id).catch(() => []);
	const net = netOfFees(row.symbol, order.filled, average, fills);
	const state: LiveOrderState = order.filled >= row.quantity - FILLED_EPSILON ? 'filled' : 'partially_filled';
	const reason = state === 'filled' ? `filled ${order.filled} at ${average}` : `partially filled: ${order.filled} of ${row.quantity} at ${average} (the rest ${order.status})`;
	const booked = await p.storage.transaction(async (tx) => {
		const txOrders = liveOrders(tx.db);
		const fresh = await txOrders.byId(row.id);
		if (fresh === null || !['pending', 'sent'].includes(fresh.state)) return false;
		const opened = await tx.paperLedger.openPosition({
			strategy: row.strategy,
			symbol: row.symbol,
			quantity: net.quantity,
			price: average,
			fee: net.feeQuote,
			stopPrice: row.stopPrice,
			targetPrice: row.targetPrice,
			openedAt: row.createdAt, // the decision's time on the service clock (the time stop counts from it)
			decisionId: row.decisionId,
			timeStopMs: row.timeStopMs,
		});
		await txOrders.update(row.id, { state, reason, exchangeOrderId: order.id, filledQuantity: order.filled, averagePrice: average, feeQuote: net.feeQuote, positionId: opened.position.id, protection: 'monitor' }, now);
		return true;
	});
	const settled = (await orders.byId(row.id))!;
	if (booked) return protect(p, settled, net.quantity);
	return settled;
}

/** Places the OCO (stop + target) on the exchange when it supports it; else the risk monitor guards the position. */
async function protect(p: Pipeline, row: LiveOrderRow, quantity: number): Promise<LiveOrderRow> {
	const exchange = exchangeOf(p);
	const orders = liveOrders(p.storage.db);
	if (!exchange.supportsOco || row.stopPrice === null || row.targetPrice === null) return row;
	try {
		const rules = await exchange.rules(row.symbol);
		const oco = await exchange.placeProtection({
			symbol: row.symbol,
			amount: rules.amount(quantity),
			stop: rules.price(row.stopPrice),
			stopLimit: rules.price(row.stopPrice * (1 - STOP_LIMIT_OFFSET_RATIO)),
			target: rules.price(row.targetPrice),
			listClientOrderId: protectionIdFor(row.clientOrderId),
		});
		await orders.update(row.id, { protection: 'oco', protectionId: oco.listId }, p.now());
	} catch (error) {
		await orders.update(row.id, { reason: `${row.reason}; OCO not placed (${(error as Error).message.slice(0, 200)}): the risk monitor guards stop and target` }, p.now());
	}
	return (await orders.byId(row.id))!;
}

export interface CloseLiveInput {
	positionId: number;
	/** 'stop' | 'target' | 'time_stop' | 'signal_exit' | 'flatten' | … */
	exitReason: string;
	nowMs?: number;
	/** Book the close in the caller's transaction (the risk monitor's); default its own. */
	repos?: Repositories;
}

export interface CloseLiveResult {
	positionId: number;
	exitReason: string;
	price: number;
	quantity: number;
	/** How it closed: an OCO leg the exchange filled, or our market sell. */
	via: 'oco_target' | 'oco_stop' | 'market';
	trade: Trade;
	message: string;
}

/** True when the position was opened by a LIVE order (its outbox row names it). */
export async function isLivePosition(repos: Pick<Repositories, 'db'>, positionId: number): Promise<boolean> {
	return (await liveOrders(repos.db).byPosition(positionId)) !== null;
}

/**
 * Closes a LIVE position on the exchange and books it: an OCO leg that already filled is the exit
 * (no order); otherwise the OCO is cancelled and the position sold at market.
 */
export async function closeLivePosition(p: Pipeline, input: CloseLiveInput): Promise<CloseLiveResult> {
	const exchange = exchangeOf(p);
	const repos = input.repos ?? p.storage;
	const row = await liveOrders(repos.db).byPosition(input.positionId);
	if (row === null) throw new InvalidInputError(`position ${input.positionId} was not opened by a LIVE order`, ['positionId']);
	const position = await repos.paperLedger.getPosition(input.positionId);
	if (position === null || position.status !== 'open') throw new InvalidInputError(`position ${input.positionId} is not open`, ['positionId']);
	const rules = await exchange.rules(row.symbol);
	let exit: { price: number; fee: number; via: CloseLiveResult['via']; reason: string } | null = null;
	if (row.protection === 'oco' && row.protectionId !== null) {
		const state = await exchange.protectionState(row.symbol, row.protectionId);
		if (state.filled !== null) {
			const fee = state.filled.price * state.filled.amount * 0.001; // Binance's taker/maker fee without BNB, in quote
			const fills = await exchange.orderFills(row.symbol, state.filled.orderId).catch(() => []);
			const quoteFee = fills.length > 0 ? fills.reduce((s, f) => s + (f.feeCurrency === row.symbol.split('/')[1] ? f.fee : 0), 0) : fee;
			exit = { price: state.filled.price, fee: quoteFee, via: state.filled.leg === 'target' ? 'oco_target' : 'oco_stop', reason: state.filled.leg };
		} else if (state.status === 'executing') {
			await exchange.cancelProtection(row.symbol, row.protectionId);
		}
	}
	if (exit === null) {
		const amount = rules.amount(position.quantity);
		const clientOrderId = closeOrderIdFor(row.clientOrderId);
		// A close that was sent before (and whose answer was lost) is found, never sent twice.
		let order = await exchange.orderByClientId(row.symbol, clientOrderId);
		order ??= await exchange.marketOrder({ symbol: row.symbol, side: 'sell', amount, clientOrderId });
		const price = order.average ?? (order.filled > 0 ? order.cost / order.filled : position.entryPrice);
		let fills = order.fills;
		if (fills.length === 0) fills = await exchange.orderFills(row.symbol, order.id).catch(() => []);
		exit = { price, fee: netOfFees(row.symbol, order.filled, price, fills).feeQuote, via: 'market', reason: input.exitReason };
	}
	const nowMs = input.nowMs ?? p.now();
	const closed = await repos.paperLedger.closePosition({ positionId: input.positionId, price: exit.price, fee: exit.fee, exitReason: exit.via === 'market' ? input.exitReason : exit.reason, closedAt: nowMs, mode: 'LIVE' });
	await liveOrders(repos.db).update(row.id, { closedAt: nowMs, protection: 'cancelled' }, nowMs);
	const message = liveCloseMessage({ symbol: row.symbol, quantity: position.quantity, price: exit.price, pnl: closed.trade.pnl, exitReason: closed.trade.exitReason, via: exit.via });
	log.info({ positionId: input.positionId, via: exit.via }, message);
	return { positionId: input.positionId, exitReason: closed.trade.exitReason, price: exit.price, quantity: position.quantity, via: exit.via, trade: closed.trade, message };
}

export interface ReconcileSummary {
	looked_up: number;
	filled: number;
	rejected: number;
	still_open: number;
	/** Rows the exchange never saw: marked rejected, not sent late. */
	never_sent: number;
	errors: string[];
}

/** At start: settles every pending/sent outbox row from the exchange (one allOrders per symbol). */
export async function reconcileLiveOutbox(p: Pipeline): Promise<ReconcileSummary> {
	const summary: ReconcileSummary = { looked_up: 0, filled: 0, rejected: 0, still_open: 0, never_sent: 0, errors: [] };
	if (p.config.mode !== 'LIVE' || p.liveExchange === null) return summary;
	const exchange = p.liveExchange;
	const orders = liveOrders(p.storage.db);
	const rows = await orders.unsettled();
	const bySymbol = new Map<string, LiveOrderRow[]>();
	for (const r of rows) bySymbol.set(r.symbol, [...(bySymbol.get(r.symbol) ?? []), r]);
	for (const [symbol, group] of bySymbol) {
		let known: Map<string, ExchangeOrder>;
		try {
			const since = Math.min(...group.map((r) => r.createdAt)) - 60_000;
			const list = await exchange.ordersSince(symbol, since);
			known = new Map(list.filter((o) => o.clientOrderId !== null).map((o) => [o.clientOrderId!, o]));
			// allOrders answers 1,000 at most: past that, the rest are asked one by one.
			if (list.length >= 1000) for (const r of group) if (!known.has(r.clientOrderId)) { const o = await exchange.orderByClientId(symbol, r.clientOrderId); if (o) known.set(r.clientOrderId, o); }
		} catch (error) {
			summary.errors.push(`${symbol}: ${(error as Error).message}`);
			continue;
		}
		for (const r of group) {
			summary.looked_up++;
			const order = known.get(r.clientOrderId);
			try {
				let settled: LiveOrderRow;
				if (order === undefined) {
					await orders.update(r.id, { state: 'rejected', reason: 'the exchange never received it (not found by its client order id at start); not sent late: the signal is stale' }, p.now(), ['pending', 'sent']);
					settled = (await orders.byId(r.id))!;
					summary.never_sent++;
				} else {
					settled = await settleFromExchange(p, r, order);
					if (settled.state === 'filled' || settled.state === 'partially_filled') summary.filled++;
					else if (settled.state === 'rejected') summary.rejected++;
					else summary.still_open++;
				}
				await writeReconciledReceipt(p, settled);
			} catch (error) {
				summary.errors.push(`${r.clientOrderId}: ${(error as Error).message}`);
			}
		}
	}
	return summary;
}

async function writeReconciledReceipt(p: Pipeline, row: LiveOrderRow): Promise<void> {
	const decision = await p.storage.decisions.getById(row.decisionId);
	if (decision === null) return;
	let receipt: Record<string, unknown> = {};
	try {
		receipt = JSON.parse(decision.receiptJson) as Record<string, unknown>;
	} catch {
		receipt = {};
	}
	await writeOutcome(p, { decision, duplicate: false, receipt }, row);
}

/**
 * The risk monitor's hook (pipeline/checkPositions): a LIVE position is closed through the exchange
 * (closeLivePosition, booked in the monitor's transaction); null for a paper position; `not_armed`
 * when the position is LIVE but this process has no armed exchange (it is left open, listed as skipped).
 */
export async function closeIfLive(p: Pipeline, tx: Repositories, positionId: number, exitReason: string, atMs: number): Promise<CloseLiveResult | 'not_armed' | null> {
	if (!(await isLivePosition(tx, positionId))) return null;
	if (p.config.mode !== 'LIVE' || p.liveExchange === null) return 'not_armed';
	return closeLivePosition(p, { positionId, exitReason, nowMs: atMs, repos: tx });
}
