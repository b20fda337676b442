/**
 * @module storage/migrations/0010_live_order_outbox
 * `live_order_outbox`: every LIVE order, written in the decision's transaction BEFORE it is sent to
 * the exchange, keyed by a client order id derived from the decision (UNIQUE, and UNIQUE per
 * decision), so a retry, a duplicate alert or a restart finds the row instead of sending again.
 * States: pending → sent → filled | partially_filled | rejected | insufficient_balance (each with
 * its reason). A filled row names the ledger position it opened and the exchange-side protection
 * (OCO list id) guarding it; `closed_at` is set when the position is closed through the exchange.
 * Columns and units: ../liveOrderOutbox.ts (LiveOrderRow).
 */
import type { Kysely } from 'kysely';
import { isMysql, tableOptions } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('live_order_outbox')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('decision_id', 'integer', (c) => c.notNull().unique().references('decisions.id'))
		.addColumn('client_order_id', 'varchar(40)', (c) => c.notNull().unique())
		.addColumn('exchange', 'varchar(32)', (c) => c.notNull())
		.addColumn('strategy', 'varchar(64)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('side', 'varchar(8)', (c) => c.notNull())
		.addColumn('quantity', 'double precision', (c) => c.notNull())
		.addColumn('reference_price', 'double precision', (c) => c.notNull())
		.addColumn('stop_price', 'double precision')
		.addColumn('target_price', 'double precision')
		.addColumn('time_stop_ms', 'bigint')
		.addColumn('state', 'varchar(24)', (c) => c.notNull())
		.addColumn('reason', 'varchar(1000)', (c) => c.notNull())
		.addColumn('exchange_order_id', 'varchar(64)')
		.addColumn('filled_quantity', 'double precision')
		.addColumn('average_price', 'double precision')
		.addColumn('fee_quote', 'double precision')
		.addColumn('position_id', 'integer')
		.addColumn('protection_id', 'varchar(64)')
		.addColumn('protection', 'varchar(24)')
		.addColumn('closed_at', 'bigint')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('sent_at', 'bigint')
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.modifyEnd(await tableOptions(db))
		.execute();
	await db.schema.createIndex('live_order_outbox_state').ifNotExists().on('live_order_outbox').columns(['state']).execute();
	await db.schema.createIndex('live_order_outbox_position').ifNotExists().on('live_order_outbox').columns(['position_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const name of ['live_order_outbox_state', 'live_order_outbox_position']) {
		if (isMysql(db)) await db.schema.dropIndex(name).on('live_order_outbox').execute();
		else await db.schema.dropIndex(name).execute();
	}
	await db.schema.dropTable('live_order_outbox').execute();
}
