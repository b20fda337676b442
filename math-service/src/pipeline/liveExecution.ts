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
 *    `allOrders` and one `myTrades` per symbol, batched), settled as above (every position booked
 *    first, then each protected); a row the exchange never saw is
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
/** Fills booked per transaction at reconciliation. */
const RECONCILE_BATCH = 250;

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
		if (!('result' in o) || o.result.duplicate) continue;
		if (o.result.liveExits !== undefined) {
			await closeForExitAlert(p, o.result);
			continue;
		}
		if (o.result.liveOrder === undefined) continue;
		try {
			const row = await sendLiveOrder(p, o.result.liveOrder);
			await writeOutcome(p, o.result, row);
		} catch (error) {
			log.error({ err: error, decisionId: o.result.decision.id }, 'LIVE order: recording its outcome failed; reconciliation settles it at the next start');
		}
	}
}

/** A sell/exit alert in LIVE: each of the strategy's open positions in the symbol is sold on the exchange. */
async function closeForExitAlert(p: Pipeline, result: DecideResult): Promise<void> {
	const closed: Record<string, unknown>[] = [];
	const messages: string[] = [];
	for (const positionId of result.liveExits ?? []) {
		try {
			const c = await closeLivePosition(p, { positionId, exitReason: 'signal_exit' });
			closed.push({ position_id: positionId, trade_id: c.trade.id, exit_price: c.price, pnl: c.trade.pnl, return_ratio: c.trade.returnRatio, via: c.via });
			messages.push(c.message);
		} catch (error) {
			const reason = `not closed: ${(error as Error).message.slice(0, 200)}`;
			closed.push({ position_id: positionId, error: reason });
			messages.push(`⚠️ LIVE position ${positionId} ${reason}; the risk monitor tries again`);
			log.error({ err: error, positionId }, 'LIVE exit alert: closing the position on the exchange failed');
		}
	}
	try {
		const receipt = { ...(result.receipt ?? {}) };
		const done = closed.filter((c) => c.error === undefined).length;
		receipt.reason = `closed ${done} of ${closed.length} LIVE position(s) on the exchange`;
		receipt.closed = closed;
		receipt.execution = { broker: 'live', closed, message: messages.join('\n') };
		const text = stringifyReceipt(receipt);
		await p.storage.db.updateTable('decisions').set({ receiptJson: text.json }).where('id', '=', result.decision.id).execute();
		result.decision = { ...result.decision, receiptJson: text.json };
		result.receipt = receipt;
		result.receiptText = text;
	} catch (error) {
		log.error({ err: error, decisionId: result.decision.id }, 'LIVE exit alert: recording the closes on the receipt failed');
	}
}

const DECISION_OF_STATE: Partial<Record<LiveOrderState, { status: 'rejected'; reasonCode: string }>> = {
	rejected: { status: 'rejected', reasonCode: 'live_order_rejected' },
	insufficient_balance: { status: 'rejected', reasonCode: 'live_insufficient_balance' },
};

async function writeOutcome(p: Pipeline, result: DecideResult, row: LiveOrderRow, repos: Pick<Repositories, 'db'> = p.storage): Promise<void> {
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
	await repos.db.updateTable('decisions').set({ status, reasonCode, receiptJson: text.json }).where('id', '=', result.decision.id).execute();
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
export async function settleFromExchange(p: Pipeline, row: LiveOrderRow, order: ExchangeOrder, opts: { fills?: ExchangeFill[]; protect?: boolean } = {}): Promise<LiveOrderRow> {
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
	let fills = order.fills.length > 0 ? order.fills : (opts.fills ?? []);
	if (fills.length === 0) fills = await exchange.orderFills(row.symbol, order.id).catch(() => []);
	const booked = await p.storage.transaction(async (tx) => {
		await tx.paperLedger.ensureInitialDeposit(p.settings.paperInitialCash, row.createdAt);
		return bookFill(tx, row, order, fills, now);
	});
	const settled = booked?.row ?? (await orders.byId(row.id))!;
	if (booked !== null && opts.protect !== false) return protect(p, settled, booked.quantity);
	return settled;
}

/**
 * Books a filled order once, in the caller's transaction: the position (net of a base-asset
 * commission, fee in quote) and the outbox row's new state, moved only from pending/sent (the
 * compare-and-set that makes a second settlement a no-op: null). The book starts from the same
 * deposit as the decisions' (the caller ensures it: a restart may reconcile before any decision).
 */
async function bookFill(tx: Repositories, row: LiveOrderRow, order: ExchangeOrder, fills: ExchangeFill[], now: number, current?: LiveOrderRow | null): Promise<{ row: LiveOrderRow; quantity: number } | null> {
	const average = order.average ?? (order.filled > 0 ? order.cost / order.filled : row.referencePrice);
	const net = netOfFees(row.symbol, order.filled, average, fills);
	const state: LiveOrderState = order.filled >= row.quantity - FILLED_EPSILON ? 'filled' : 'partially_filled';
	const reason = state === 'filled' ? `filled ${order.filled} at ${average}` : `partially filled: ${order.filled} of ${row.quantity} at ${average} (the rest ${order.status})`;
	const txOrders = liveOrders(tx.db);
	const fresh = current !== undefined ? current : await txOrders.byId(row.id);
	if (fresh === null || !['pending', 'sent'].includes(fresh.state)) return null;
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
	const fields = { state, reason, exchangeOrderId: order.id, filledQuantity: order.filled, averagePrice: average, feeQuote: net.feeQuote, positionId: opened.position.id, protection: 'monitor' as const };
	await txOrders.update(row.id, fields, now);
	return { row: { ...fresh, ...fields, updatedAt: now }, quantity: net.quantity };
}

/** Places the OCO (stop + target) on the exchange when it supports it; else the risk monitor guards the position. */
export async function protect(p: Pipeline, row: LiveOrderRow, quantity: number): Promise<LiveOrderRow> {
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
	let exit: { price: number; fee: number; sold: number; via: CloseLiveResult['via']; reason: string } | null = null;
	if (row.protection === 'oco' && row.protectionId !== null) {
		const state = await exchange.protectionState(row.symbol, row.protectionId);
		if (state.filled !== null) {
			const fee = state.filled.price * state.filled.amount * 0.001; // Binance's taker/maker fee without BNB, in quote
			const fills = await exchange.orderFills(row.symbol, state.filled.orderId).catch(() => []);
			const quoteFee = fills.length > 0 ? fills.reduce((s, f) => s + (f.feeCurrency === row.symbol.split('/')[1] ? f.fee : 0), 0) : fee;
			exit = { price: state.filled.price, fee: quoteFee, sold: state.filled.amount, via: state.filled.leg === 'target' ? 'oco_target' : 'oco_stop', reason: state.filled.leg };
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
		exit = { price, fee: netOfFees(row.symbol, order.filled, price, fills).feeQuote, sold: order.filled, via: 'market', reason: input.exitReason };
	}
	const nowMs = input.nowMs ?? p.now();
	// The ledger books what the exchange sold. The rest (the lot step's dust, or what a market order
	// could not fill) stays on the exchange; its cost is counted in the P&L, never as proceeds.
	const sold = exit.sold > FILLED_EPSILON ? Math.min(exit.sold, position.quantity) : position.quantity;
	const left = position.quantity - sold;
	const closed = await repos.paperLedger.closePosition({ positionId: input.positionId, price: exit.price, fee: exit.fee, soldQuantity: sold, exitReason: exit.via === 'market' ? input.exitReason : exit.reason, closedAt: nowMs, mode: 'LIVE' });
	await liveOrders(repos.db).update(row.id, { closedAt: nowMs, protection: 'cancelled' }, nowMs);
	const leftover = left > FILLED_EPSILON ? { quantity: left, dust: isDust(rules, left, exit.price) } : null;
	const message = liveCloseMessage({ symbol: row.symbol, quantity: sold, price: exit.price, pnl: closed.trade.pnl, exitReason: closed.trade.exitReason, via: exit.via, leftover });
	if (leftover !== null && !leftover.dust) log.warn({ positionId: input.positionId, left }, message);
	else log.info({ positionId: input.positionId, via: exit.via }, message);
	return { positionId: input.positionId, exitReason: closed.trade.exitReason, price: exit.price, quantity: sold, via: exit.via, trade: closed.trade, message };
}

/** True when `quantity` is below what the market lets anyone sell (its minimum amount or notional). */
function isDust(rules: MarketRules, quantity: number, price: number): boolean {
	let sellable: number;
	try {
		sellable = rules.amount(quantity);
	} catch {
		return true; // below one lot step: ccxt refuses to round it to anything
	}
	return sellable <= 0 || (rules.minAmount !== null && sellable < rules.minAmount) || (rules.minNotional !== null && sellable * price < rules.minNotional);
}

export interface ReconcileSummary {
	looked_up: number;
	filled: number;
	rejected: number;
	/** Open on the exchange without a fill, or not found yet but younger than STALE_SENT_MS (left for later). */
	still_open: number;
	/** Rows the exchange never saw: marked rejected, not sent late. */
	never_sent: number;
	errors: string[];
}

/**
 * Settles pending/sent outbox rows from the exchange (one allOrders and one myTrades per symbol).
 * At start: every such row. While running (`staleBeforeMs`): only rows last touched before then, so
 * an order still on its way (ccxt times out after 10 s) is never judged "never received".
 */
export async function reconcileLiveOutbox(p: Pipeline, opts: { staleBeforeMs?: number } = {}): Promise<ReconcileSummary> {
	const summary: ReconcileSummary = { looked_up: 0, filled: 0, rejected: 0, still_open: 0, never_sent: 0, errors: [] };
	if (p.config.mode !== 'LIVE' || p.liveExchange === null) return summary;
	const exchange = p.liveExchange;
	const orders = liveOrders(p.storage.db);
	const stale = opts.staleBeforeMs;
	const rows = (await orders.unsettled()).filter((r) => stale === undefined || r.updatedAt < stale);
	if (rows.length === 0) return summary;
	const bySymbol = new Map<string, LiveOrderRow[]>();
	for (const r of rows) bySymbol.set(r.symbol, [...(bySymbol.get(r.symbol) ?? []), r]);
	const toProtect: LiveOrderRow[] = [];
	for (const [symbol, group] of bySymbol) {
		let known: Map<string, ExchangeOrder>;
		const fillsByOrder = new Map<string, ExchangeFill[]>();
		try {
			const since = Math.min(...group.map((r) => r.createdAt)) - 60_000;
			const [list, fills] = await Promise.all([exchange.ordersSince(symbol, since), exchange.fillsSince(symbol, since)]);
			for (const f of fills) fillsByOrder.set(f.orderId, [...(fillsByOrder.get(f.orderId) ?? []), f]);
			known = new Map(list.filter((o) => o.clientOrderId !== null).map((o) => [o.clientOrderId!, o]));
			// allOrders answers 1,000 at most: past that, the rest are asked one by one.
			if (list.length >= 1000) for (const r of group) if (!known.has(r.clientOrderId)) { const o = await exchange.orderByClientId(symbol, r.clientOrderId); if (o) known.set(r.clientOrderId, o); }
		} catch (error) {
			summary.errors.push(`${symbol}: ${(error as Error).message}`);
			continue;
		}
		const filled: { row: LiveOrderRow; order: ExchangeOrder; fills: ExchangeFill[] }[] = [];
		for (const r of group) {
			summary.looked_up++;
			const order = known.get(r.clientOrderId);
			try {
				if (order === undefined && r.updatedAt >= p.now() - STALE_SENT_MS) {
					// Young and not (yet) at the exchange: another process may be sending it right now. Left for
					// the risk monitor's next look, once it is older than STALE_SENT_MS.
					summary.still_open++;
				} else if (order === undefined) {
					await orders.update(r.id, { state: 'rejected', reason: 'the exchange never received it (not found by its client order id); not sent late: the signal is stale' }, p.now(), ['pending', 'sent']);
					await writeReconciledReceipt(p, (await orders.byId(r.id))!);
					summary.never_sent++;
				} else if (order.filled > FILLED_EPSILON) {
					const fills = order.fills.length > 0 ? order.fills : (fillsByOrder.get(order.id) ?? (await exchange.orderFills(symbol, order.id).catch(() => [])));
					filled.push({ row: r, order, fills });
				} else {
					const settled = await settleFromExchange(p, r, order, { protect: false });
					if (settled.state === 'rejected') summary.rejected++;
					else summary.still_open++;
					await writeReconciledReceipt(p, settled);
				}
			} catch (error) {
				summary.errors.push(`${r.clientOrderId}: ${(error as Error).message}`);
			}
		}
		// The fills are booked in a few transactions (RECONCILE_BATCH rows each), receipts included.
		for (let i = 0; i < filled.length; i += RECONCILE_BATCH) {
			const chunk = filled.slice(i, i + RECONCILE_BATCH);
			try {
				const now = p.now();
				const booked = await p.storage.transaction(async (tx) => {
					await tx.paperLedger.ensureInitialDeposit(p.settings.paperInitialCash, Math.min(...chunk.map((c) => c.row.createdAt)));
					const out: LiveOrderRow[] = [];
					// The rows and their decisions are read once per chunk (inside the transaction).
					const ids = chunk.map((c) => c.row.id);
					const current = new Map((await liveOrders(tx.db).byIds(ids)).map((r) => [r.id, r]));
					const decisions = new Map((await tx.db.selectFrom('decisions').selectAll().where('id', 'in', chunk.map((c) => c.row.decisionId)).execute()).map((d) => [d.id, d]));
					for (const { row, order, fills } of chunk) {
						try {
							const b = await bookFill(tx, row, order, fills, now, current.get(row.id) ?? null);
							if (b === null) continue;
							const decision = decisions.get(row.decisionId);
							if (decision !== undefined) await writeOutcome(p, { decision, duplicate: false, receipt: parseReceipt(decision.receiptJson) }, b.row, tx);
							out.push(b.row);
						} catch (error) {
							// Refused before writing (e.g. the book's cash): this row stays `sent` for the next start.
							if (!(error instanceof InvalidInputError)) throw error;
							summary.errors.push(`${row.clientOrderId}: ${error.message}`);
						}
					}
					return out;
				});
				summary.filled += booked.length;
				toProtect.push(...booked);
			} catch (error) {
				summary.errors.push(`${symbol}: booking ${chunk.length} fills: ${(error as Error).message}`);
			}
		}
	}
	// Every position is booked first; then each gets its exchange-side stop and target (one order each).
	for (const row of toProtect) {
		try {
			await writeReconciledReceipt(p, await protect(p, row, (await p.storage.paperLedger.getPosition(row.positionId!))?.quantity ?? 0));
		} catch (error) {
			summary.errors.push(`${row.clientOrderId}: protection: ${(error as Error).message}`);
		}
	}
	return summary;
}

function parseReceipt(json: string): Record<string, unknown> {
	try {
		const parsed = JSON.parse(json) as unknown;
		return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

async function writeReconciledReceipt(p: Pipeline, row: LiveOrderRow, repos: Pick<Repositories, 'db' | 'decisions'> = p.storage): Promise<void> {
	const decision = await repos.decisions.getById(row.decisionId);
	if (decision === null) return;
	await writeOutcome(p, { decision, duplicate: false, receipt: parseReceipt(decision.receiptJson) }, row, repos);
}

/** How long a `sent` row may wait for its answer before the risk monitor looks it up on the exchange. */
export const STALE_SENT_MS = 60_000;

/**
 * The risk monitor's other hook: an order whose answer was lost while the service kept running is
 * looked up (after STALE_SENT_MS) and settled, in the pipeline's queue (never beside a send), so
 * its position is booked and protected without waiting for a restart. Never throws.
 */
export async function settleStaleLiveOrders(p: Pipeline): Promise<void> {
	if (p.config.mode !== 'LIVE' || p.liveExchange === null) return;
	try {
		const summary = await p.serialize(() => reconcileLiveOutbox(p, { staleBeforeMs: p.now() - STALE_SENT_MS }));
		if (summary.looked_up > 0) log.warn({ summary }, 'LIVE: orders whose answer was lost were settled from the exchange');
	} catch (error) {
		log.error({ err: error }, 'LIVE: looking up orders whose answer was lost failed; the next check tries again');
	}
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
