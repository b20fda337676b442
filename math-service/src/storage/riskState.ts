/**
 * @module storage/riskState
 * The risk engine's durable state as key/value text, e.g. `halt_until` (Unix ms until which new
 * entries are halted after a −5% day) or `day_start_equity:2026-01-01` (the equity a UTC day's
 * drawdown is measured against). Values are strings; store JSON for structured values.
 */
import type { Kysely } from 'kysely';
import type { Database, RiskStateEntry } from './schema.js';
import type { Dialect } from './insertOnce.js';

export function riskStateRepository(db: Kysely<Database>, dialect: Dialect) {
	return {
		/** The entry for a key, or null when it was never set (or deleted). */
		async get(key: string): Promise<RiskStateEntry | null> {
			return (await db.selectFrom('riskState').selectAll().where('key', '=', key).executeTakeFirst()) ?? null;
		},

		/** Sets a key (insert or overwrite), stamping when it changed. */
		async set(key: string, value: string, updatedAt: number): Promise<void> {
			const insert = db.insertInto('riskState').values({ key, value, updatedAt });
			if (dialect === 'mysql') {
				await insert.onDuplicateKeyUpdate({ value, updatedAt }).execute();
			} else {
				await insert.onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt })).execute();
			}
		},

		async delete(key: string): Promise<void> {
			await db.deleteFrom('riskState').where('key', '=', key).execute();
		},
	};
}

export type RiskStateRepository = ReturnType<typeof riskStateRepository>;
