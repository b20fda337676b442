/**
 * @module storage/migrations/0006_position_watch
 * What the risk monitor needs on each paper position: its own time stop (the Decide node's time
 * stop when it opened, so a later change of the parameter does not move an open position's exit)
 * and `checked_until`, the end of the last candle the monitor examined, so each check reads only
 * the candles since (a wick between two checks is still seen, and none is examined twice).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('paper_positions').addColumn('time_stop_ms', 'bigint').execute();
	await db.schema.alterTable('paper_positions').addColumn('checked_until', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('paper_positions').dropColumn('checked_until').execute();
	await db.schema.alterTable('paper_positions').dropColumn('time_stop_ms').execute();
}
