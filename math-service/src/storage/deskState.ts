/**
 * @module storage/deskState
 * The operator's kill switch (`desk_state`, one row, id 1) and the audit trail of operator actions
 * (`desk_events`). A desk never halted has no row: it reads as trading. Halting again keeps the
 * first halt's time and author (a halt is not restarted by a second /halt); resuming clears them.
 */
import type { Kysely } from 'kysely';
import { insertedId, type Dialect } from './insertOnce.js';
import type { Database, DeskEvent } from './schema.js';

export interface DeskHalt {
	halted: boolean;
	/** Unix ms the current halt started; null when trading. */
	sinceMs: number | null;
	by: string | null;
	reason: string | null;
	updatedAt: number | null;
}

export const NOT_HALTED: DeskHalt = Object.freeze({ halted: false, sinceMs: null, by: null, reason: null, updatedAt: null });

const DESK_ROW = 1;

export function deskStateRepository(db: Kysely<Database>, dialect: Dialect) {
	async function write(values: { halted: number; haltedSince: number | null; haltedBy: string | null; reason: string | null; updatedAt: number }): Promise<void> {
		const insert = db.insertInto('deskState').values({ id: DESK_ROW, ...values });
		if (dialect === 'mysql') await insert.onDuplicateKeyUpdate(values).execute();
		else await insert.onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
	}
	return {
		async get(): Promise<DeskHalt> {
			const row = await db.selectFrom('deskState').selectAll().where('id', '=', DESK_ROW).executeTakeFirst();
			if (row === undefined) return NOT_HALTED;
			return { halted: Number(row.halted) === 1, sinceMs: row.haltedSince === null ? null : Number(row.haltedSince), by: row.haltedBy, reason: row.reason, updatedAt: Number(row.updatedAt) };
		},

		/** Halts the desk; an already halted desk keeps its first halt. Returns the state now and whether this call halted it. */
		async halt(o: { by: string; reason: string | null; atMs: number }): Promise<{ state: DeskHalt; changed: boolean }> {
			const now = await this.get();
			if (now.halted) return { state: now, changed: false };
			await write({ halted: 1, haltedSince: o.atMs, haltedBy: o.by.slice(0, 128), reason: o.reason?.slice(0, 255) ?? null, updatedAt: o.atMs });
			return { state: await this.get(), changed: true };
		},

		/** Lifts the halt. Returns whether the desk was halted. */
		async resume(o: { atMs: number }): Promise<boolean> {
			const was = (await this.get()).halted;
			await write({ halted: 0, haltedSince: null, haltedBy: null, reason: null, updatedAt: o.atMs });
			return was;
		},

		async recordEvent(e: { at: number; action: string; actor: string; detail: unknown }): Promise<DeskEvent> {
			const id = insertedId(
				await db
					.insertInto('deskEvents')
					.values({ at: e.at, action: e.action.slice(0, 32), actor: e.actor.slice(0, 128), detailJson: JSON.stringify(e.detail ?? null) })
					.executeTakeFirstOrThrow(),
			);
			return db.selectFrom('deskEvents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		},

		/** Events with fromTime ≤ at < toTime, oldest first (all when no range). */
		async events(o: { fromTime?: number; toTime?: number; action?: string; limit?: number } = {}): Promise<DeskEvent[]> {
			return db
				.selectFrom('deskEvents')
				.selectAll()
				.$if(o.fromTime !== undefined, (b) => b.where('at', '>=', o.fromTime!))
				.$if(o.toTime !== undefined, (b) => b.where('at', '<', o.toTime!))
				.$if(o.action !== undefined, (b) => b.where('action', '=', o.action!))
				.orderBy('at')
				.orderBy('id')
				.limit(o.limit ?? 1000)
				.execute();
		},
	};
}

export type DeskStateRepository = ReturnType<typeof deskStateRepository>;
