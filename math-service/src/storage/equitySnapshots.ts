/**
 * @module storage/equitySnapshots
 * Equity snapshots record the account's total value (cash + marked-to-market positions, quote
 * currency) over time. The daily drawdown rule compares current equity with the equity at the
 * start of the UTC day: the latest snapshot at or before midnight.
 */
import type { Kysely } from 'kysely';
import { insertedId } from './insertOnce.js';
import type { Database, EquitySnapshot } from './schema.js';

export function equitySnapshotsRepository(db: Kysely<Database>) {
	return {
		async record(snapshot: { takenAt: number; equity: number }): Promise<EquitySnapshot> {
			const id = insertedId(await db.insertInto('equitySnapshots').values(snapshot).executeTakeFirstOrThrow());
			return db.selectFrom('equitySnapshots').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		},

		/** The newest snapshot taken at or before `time`; null when there is none. */
		async latestAtOrBefore(time: number): Promise<EquitySnapshot | null> {
			const row = await db
				.selectFrom('equitySnapshots')
				.selectAll()
				.where('takenAt', '<=', time)
				.orderBy('takenAt', 'desc')
				.orderBy('id', 'desc')
				.limit(1)
				.executeTakeFirst();
			return row ?? null;
		},

		/** Snapshots with fromTime ≤ takenAt < toTime, oldest first. */
		async between(fromTime: number, toTime: number): Promise<EquitySnapshot[]> {
			return db
				.selectFrom('equitySnapshots')
				.selectAll()
				.where('takenAt', '>=', fromTime)
				.where('takenAt', '<', toTime)
				.orderBy('takenAt')
				.orderBy('id')
				.execute();
		},
	};
}

export type EquitySnapshotsRepository = ReturnType<typeof equitySnapshotsRepository>;
