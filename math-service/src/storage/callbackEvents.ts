/**
 * @module storage/callbackEvents
 * Callback events are the trader's answers to a signal card in Telegram: "Executed" (they placed
 * the swap) or "Skipped". They tie a human action to a decision, so performance can separate
 * signals that were taken from those that were not. Telegram may redeliver an update; a press is
 * recorded once per callback_query id.
 */
import type { Kysely } from 'kysely';
import { insertedId, insertOnce, LOCKING_READ, needsLockingRead, type Dialect } from './insertOnce.js';
import type { CallbackAction, CallbackEvent, Database } from './schema.js';

export interface CallbackEventInput {
	decisionId: number;
	action: CallbackAction;
	/** Telegram's callback_query.id; null when unknown (then no de-duplication). */
	callbackQueryId: string | null;
	user: string;
	receivedAt: number;
	/** The update as received; stored as JSON text. */
	raw: unknown;
}

export function callbackEventsRepository(db: Kysely<Database>, dialect: Dialect) {
	return {
		/** Records a press; a repeat of its callback_query id returns the first with `inserted: false`. */
		async insert(input: CallbackEventInput): Promise<{ inserted: boolean; event: CallbackEvent }> {
			const result = await insertOnce(
				async () =>
					insertedId(
						await db
							.insertInto('callbackEvents')
							.values({
								decisionId: input.decisionId,
								action: input.action,
								callbackQueryId: input.callbackQueryId,
								user: input.user,
								receivedAt: input.receivedAt,
								rawJson: JSON.stringify(input.raw ?? null),
							})
							.executeTakeFirstOrThrow(),
					),
				(id) => db.selectFrom('callbackEvents').selectAll().where('id', '=', id).executeTakeFirst(),
				() =>
					db
						.selectFrom('callbackEvents')
						.selectAll()
						.where('callbackQueryId', '=', input.callbackQueryId)
						.$if(needsLockingRead(db, dialect), (q) => q.modifyEnd(LOCKING_READ))
						.executeTakeFirst(),
			);
			return { inserted: result.inserted, event: result.row };
		},

		/** A decision's button presses, oldest first. */
		async listForDecision(decisionId: number): Promise<CallbackEvent[]> {
			return db.selectFrom('callbackEvents').selectAll().where('decisionId', '=', decisionId).orderBy('receivedAt').orderBy('id').execute();
		},
	};
}

export type CallbackEventsRepository = ReturnType<typeof callbackEventsRepository>;
