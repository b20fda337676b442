/**
 * @module storage/liveOrderOutbox
 * The LIVE order outbox (migration 0010): inserted with a prepared statement on the decision
 * transaction's `SqlConnection`, once per decision (UNIQUE decision_id and client_order_id:
 * a duplicate returns the row that won); read and moved through its states with Kysely (`liveOrders`,
 * on the database or a transaction), including what start-up reconciliation must settle. Prices quote per base unit, quantities base units, fees quote
 * currency, times Unix ms.
 */
import type { Kysely } from 'kysely';
import { isDuplicateKeyError } from './insertOnce.js';
import type { SqlConnection } from './preparedSql.js';
import type { Database } from './schema.js';

export const LIVE_ORDER_STATES = ['pending', 'sent', 'filled', 'partially_filled', 'rejected', 'insufficient_balance'] as const;
export type LiveOrderState = (typeof LIVE_ORDER_STATES)[number];
/** States that need the exchange asked before anything else happens (the answer was never stored). */
export const UNSETTLED_STATES: readonly LiveOrderState[] = ['pending', 'sent'];

/** Where a filled position's stop and target live: on the exchange (OCO), with the risk monitor, or closed. */
export type LiveProtection = 'oco' | 'monitor' | 'cancelled';

export interface LiveOrderRow {
	id: number;
	decisionId: number;
	clientOrderId: string;
	exchange: string;
	strategy: string;
	symbol: string;
	side: 'buy' | 'sell';
	/** Requested base quantity, already rounded to the market's step. */
	quantity: number;
	/** The alert's close the decision sized the order with. */
	referencePrice: number;
	stopPrice: number | null;
	targetPrice: number | null;
	timeStopMs: number | null;
	state: LiveOrderState;
	reason: string;
	exchangeOrderId: string | null;
	filledQuantity: number | null;
	averagePrice: number | null;
	feeQuote: number | null;
	positionId: number | null;
	protectionId: string | null;
	protection: LiveProtection | null;
	closedAt: number | null;
	createdAt: number;
	sentAt: number | null;
	updatedAt: number;
}

export type NewLiveOrder = Pick<
	LiveOrderRow,
	'decisionId' | 'clientOrderId' | 'exchange' | 'strategy' | 'symbol' | 'side' | 'quantity' | 'referencePrice' | 'stopPrice' | 'targetPrice' | 'timeStopMs' | 'reason' | 'createdAt'
>;

const COLUMNS =
	'id, decision_id as "decisionId", client_order_id as "clientOrderId", exchange, strategy, symbol, side, quantity, reference_price as "referencePrice", ' +
	'stop_price as "stopPrice", target_price as "targetPrice", time_stop_ms as "timeStopMs", state, reason, exchange_order_id as "exchangeOrderId", ' +
	'filled_quantity as "filledQuantity", average_price as "averagePrice", fee_quote as "feeQuote", position_id as "positionId", protection_id as "protectionId", ' +
	'protection, closed_at as "closedAt", created_at as "createdAt", sent_at as "sentAt", updated_at as "updatedAt"';

const numeric = ['id', 'decisionId', 'quantity', 'referencePrice', 'stopPrice', 'targetPrice', 'timeStopMs', 'filledQuantity', 'averagePrice', 'feeQuote', 'positionId', 'closedAt', 'createdAt', 'sentAt', 'updatedAt'] as const;

function rowOf(r: Record<string, unknown>): LiveOrderRow {
	const out = { ...r } as Record<string, unknown>;
	for (const k of numeric) if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
	return out as unknown as LiveOrderRow;
}

export type LiveOrderUpdate = Partial<Pick<LiveOrderRow, 'state' | 'reason' | 'exchangeOrderId' | 'filledQuantity' | 'averagePrice' | 'feeQuote' | 'positionId' | 'protectionId' | 'protection' | 'closedAt' | 'sentAt'>>;


/** Inserts the row once per decision in the caller's transaction; a duplicate (same decision or client order id) returns the stored row. */
export async function insertLiveOrder(c: SqlConnection, o: NewLiveOrder): Promise<{ inserted: boolean; row: LiveOrderRow }> {
	const byDecision = async () => (await c.all<Record<string, unknown>>(`select ${COLUMNS} from live_order_outbox where decision_id = ?`, [o.decisionId])).map(rowOf)[0];
	try {
		await c.run(
			'insert into live_order_outbox (decision_id, client_order_id, exchange, strategy, symbol, side, quantity, reference_price, stop_price, target_price, time_stop_ms, state, reason, created_at, updated_at) ' +
				"values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
			[o.decisionId, o.clientOrderId, o.exchange, o.strategy, o.symbol, o.side, o.quantity, o.referencePrice, o.stopPrice, o.targetPrice, o.timeStopMs, o.reason.slice(0, 1000), o.createdAt, o.createdAt],
		);
		return { inserted: true, row: (await byDecision())! };
	} catch (error) {
		if (!isDuplicateKeyError(error)) throw error;
		const row = (await byDecision()) ?? (await c.all<Record<string, unknown>>(`select ${COLUMNS} from live_order_outbox where client_order_id = ?`, [o.clientOrderId])).map(rowOf)[0];
		if (!row) throw error;
		return { inserted: false, row };
	}
}

/** Reads and state changes through Kysely: on the database, or on a transaction's `tx.db`. */
export function liveOrders(database: Kysely<Database>) {
	// The table is this module's own (not in schema.ts's Database); CamelCasePlugin maps the names.
	const db = database as unknown as Kysely<any>;
	const one = async (column: 'decisionId' | 'id' | 'positionId' | 'clientOrderId', value: number | string) => {
		const r = await db.selectFrom('liveOrderOutbox').selectAll().where(column, '=', value).executeTakeFirst();
		return r === undefined ? null : rowOf(r as Record<string, unknown>);
	};
	return {
		byDecision: (decisionId: number) => one('decisionId', decisionId),
		byId: (id: number) => one('id', id),
		byPosition: (positionId: number) => one('positionId', positionId),
		byClientOrderId: (clientOrderId: string) => one('clientOrderId', clientOrderId),
		/** Rows whose exchange answer was never stored (pending or sent), oldest first. */
		async unsettled(): Promise<LiveOrderRow[]> {
			const rows = await db.selectFrom('liveOrderOutbox').selectAll().where('state', 'in', [...UNSETTLED_STATES]).orderBy('id').execute();
			return rows.map((r) => rowOf(r as Record<string, unknown>));
		},
		/** Filled rows whose position is still open on the exchange (not closed through it). */
		async openPositions(): Promise<LiveOrderRow[]> {
			const rows = await db.selectFrom('liveOrderOutbox').selectAll().where('positionId', 'is not', null).where('closedAt', 'is', null).orderBy('id').execute();
			return rows.map((r) => rowOf(r as Record<string, unknown>));
		},
		/**
		 * Sets the given fields; with `from`, only while the row is still in one of those states
		 * (a compare-and-set: false when another writer moved it first).
		 */
		async update(id: number, fields: LiveOrderUpdate, nowMs: number, from?: readonly LiveOrderState[]): Promise<boolean> {
			const values: Record<string, unknown> = { ...fields, updatedAt: nowMs };
			if (typeof values.reason === 'string') values.reason = values.reason.slice(0, 1000);
			let q = db.updateTable('liveOrderOutbox').set(values).where('id', '=', id);
			if (from !== undefined) q = q.where('state', 'in', [...from]);
			const r = await q.executeTakeFirst();
			return Number(r.numUpdatedRows ?? 0) > 0;
		},
		async count(): Promise<number> {
			const r = await db.selectFrom('liveOrderOutbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
			return Number((r as { n?: number | string } | undefined)?.n ?? 0);
		},
	};
}

export type LiveOrders = ReturnType<typeof liveOrders>;
