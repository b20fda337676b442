/**
 * @module storage/signals
 * Signals are the raw trade ideas we received: one row per TradingView alert (or scanner hit),
 * stored before any risk decision. The alert id is the sender's idempotency key: TradingView
 * retries webhooks, and a repeated delivery must never become a second trade, so `insert` is
 * idempotent on it and returns the first row to every repeat.
 */
import type { Kysely } from 'kysely';
import { insertedId, insertOnce, LOCKING_READ, needsLockingRead, type Dialect } from './insertOnce.js';
import type { Database, Signal, SignalSource } from './schema.js';

export interface SignalInput {
	alertId: string;
	source: SignalSource;
	/** Normalised symbol, e.g. 'BTC/USDT'. */
	symbol: string;
	action: string;
	/** The alert body as received (any JSON value); stored as JSON text. */
	payload: unknown;
	receivedAt: number;
	signalTime: number | null;
}

export type InsertSignalResult = { inserted: true; signal: Signal } | { inserted: false; signal: Signal };

export function signalsRepository(db: Kysely<Database>, dialect: Dialect) {
	const byAlertId = (alertId: string) =>
		db
			.selectFrom('signals')
			.selectAll()
			.where('alertId', '=', alertId)
			.$if(needsLockingRead(db, dialect), (q) => q.modifyEnd(LOCKING_READ))
			.executeTakeFirst();
	const byId = (id: number) => db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirst();

	return {
		/** Stores an alert once; a repeat of its alert id returns the first row with `inserted: false`. */
		async insert(input: SignalInput): Promise<InsertSignalResult> {
			const result = await insertOnce(
				async () =>
					insertedId(
						await db
							.insertInto('signals')
							.values({
								alertId: input.alertId,
								source: input.source,
								symbol: input.symbol,
								action: input.action,
								payloadJson: JSON.stringify(input.payload ?? null),
								receivedAt: input.receivedAt,
								signalTime: input.signalTime,
							})
							.executeTakeFirstOrThrow(),
					),
				byId,
				() => byAlertId(input.alertId),
			);
			return { inserted: result.inserted, signal: result.row } as InsertSignalResult;
		},

		async getByAlertId(alertId: string): Promise<Signal | null> {
			return (await byAlertId(alertId)) ?? null;
		},

		async getById(id: number): Promise<Signal | null> {
			return (await byId(id)) ?? null;
		},

		/** The newest signals first, optionally for one symbol. */
		async listRecent(options: { limit: number; symbol?: string }): Promise<Signal[]> {
			return db
				.selectFrom('signals')
				.selectAll()
				.$if(options.symbol !== undefined, (q) => q.where('symbol', '=', options.symbol!))
				.orderBy('receivedAt', 'desc')
				.orderBy('id', 'desc')
				.limit(options.limit)
				.execute();
		},
	};
}

export type SignalsRepository = ReturnType<typeof signalsRepository>;
