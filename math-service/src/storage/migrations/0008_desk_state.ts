/**
 * @module storage/migrations/0008_desk_state
 * The operator's kill switch and its audit trail. `desk_state` holds one row (id 1): whether the
 * desk is halted (no new entries, the operatorHalt gate), since when and by whom; it lives in the
 * database so a halt survives a restart and binds every service process. `desk_events` records
 * every operator action (halt, resume, each position closed, refused commands) with who and when.
 * Columns and units: ../schema.ts.
 */
import type { Kysely } from 'kysely';
import { jsonTextType, tableOptions } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	const options = await tableOptions(db);
	await db.schema
		.createTable('desk_state')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey())
		.addColumn('halted', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('halted_since', 'bigint')
		.addColumn('halted_by', 'varchar(128)')
		.addColumn('reason', 'varchar(255)')
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema
		.createTable('desk_events')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('at', 'bigint', (c) => c.notNull())
		.addColumn('action', 'varchar(32)', (c) => c.notNull())
		.addColumn('actor', 'varchar(128)', (c) => c.notNull())
		.addColumn('detail_json', jsonTextType(db), (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('desk_events_at').ifNotExists().on('desk_events').columns(['at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('desk_events').ifExists().execute();
	await db.schema.dropTable('desk_state').ifExists().execute();
}
