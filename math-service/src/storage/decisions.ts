/**
 * @module storage/decisions
 * A decision is the risk engine's verdict on one alert: approved (with its size, entry, stop and
 * target in the receipt) or rejected with a reason code (not whitelisted, stale, a failed gate).
 * Business rejections are stored too, so every alert has an auditable answer. One decision per
 * alert id: a repeated delivery gets the first decision back, never a second trade.
 */
import type { Kysely } from 'kysely';
import { insertedId, insertOnce, LOCKING_READ, needsLockingRead, type Dialect } from './insertOnce.js';
import type { Database, Decision, DecisionStatus } from './schema.js';

export interface DecisionInput {
	signalId: number | null;
	alertId: string;
	status: DecisionStatus;
	reasonCode: string;
	symbol: string;
	/** The decision receipt (sizes, gates, LLM note); stored as JSON text. */
	receipt: unknown;
	createdAt: number;
}

export type InsertDecisionResult = { inserted: true; decision: Decision } | { inserted: false; decision: Decision };

export function decisionsRepository(db: Kysely<Database>, dialect: Dialect) {
	const byAlertId = (alertId: string) =>
		db
			.selectFrom('decisions')
			.selectAll()
			.where('alertId', '=', alertId)
			.$if(needsLockingRead(db, dialect), (q) => q.modifyEnd(LOCKING_READ))
			.executeTakeFirst();
	const byId = (id: number) => db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();

	return {
		/** Stores the first decision for an alert id; a repeat returns that first decision. */
		async insert(input: DecisionInput): Promise<InsertDecisionResult> {
			const result = await insertOnce(
				async () =>
					insertedId(
						await db
							.insertInto('decisions')
							.values({
								signalId: input.signalId,
								alertId: input.alertId,
								status: input.status,
								reasonCode: input.reasonCode,
								symbol: input.symbol,
								receiptJson: JSON.stringify(input.receipt ?? null),
								createdAt: input.createdAt,
							})
							.executeTakeFirstOrThrow(),
					),
				byId,
				() => byAlertId(input.alertId),
			);
			return { inserted: result.inserted, decision: result.row } as InsertDecisionResult;
		},

		async getById(id: number): Promise<Decision | null> {
			return (await byId(id)) ?? null;
		},

		async getByAlertId(alertId: string): Promise<Decision | null> {
			return (await byAlertId(alertId)) ?? null;
		},

		/** The newest decisions first, optionally only approved or only rejected ones. */
		async listRecent(options: { limit: number; status?: DecisionStatus }): Promise<Decision[]> {
			return db
				.selectFrom('decisions')
				.selectAll()
				.$if(options.status !== undefined, (q) => q.where('status', '=', options.status!))
				.orderBy('createdAt', 'desc')
				.orderBy('id', 'desc')
				.limit(options.limit)
				.execute();
		},
	};
}

export type DecisionsRepository = ReturnType<typeof decisionsRepository>;
