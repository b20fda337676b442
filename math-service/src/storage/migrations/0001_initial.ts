/**
 * @module storage/migrations/0001_initial
 * The first schema: market data (candles), the alert → decision trail (signals, decisions,
 * callback_events), the paper ledger (orders, fills, positions, cash), closed trades for
 * performance and Kelly statistics (trade_log), and the risk engine's state (risk_state,
 * equity_snapshots). See ../schema.ts for units and meanings.
 *
 * Never edit this file once released: add 0002_….ts instead (see ../README.md).
 */
import { sql, type Kysely } from 'kysely';
import { isMysql, jsonTextType, tableOptions } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	const options = await tableOptions(db);
	const json = jsonTextType(db);
	const candleOptions = isMysql(db) ? options : sql`WITHOUT ROWID`;

	// Candles are clustered by their natural key so a backtest's range read is one sequential scan.
	await db.schema
		.createTable('candles')
		.addColumn('exchange', 'varchar(32)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('timeframe', 'varchar(16)', (c) => c.notNull())
		.addColumn('open_time', 'bigint', (c) => c.notNull())
		.addColumn('open', 'double precision', (c) => c.notNull())
		.addColumn('high', 'double precision', (c) => c.notNull())
		.addColumn('low', 'double precision', (c) => c.notNull())
		.addColumn('close', 'double precision', (c) => c.notNull())
		.addColumn('volume', 'double precision', (c) => c.notNull())
		.addPrimaryKeyConstraint('candles_pk', ['exchange', 'symbol', 'timeframe', 'open_time'])
		.modifyEnd(candleOptions)
		.execute();

	await db.schema
		.createTable('signals')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('alert_id', 'varchar(255)', (c) => c.notNull())
		.addColumn('source', 'varchar(32)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('action', 'varchar(32)', (c) => c.notNull())
		.addColumn('payload_json', json, (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('signal_time', 'bigint')
		.addUniqueConstraint('signals_alert_id_unique', ['alert_id'])
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('signals_symbol_received_at').on('signals').columns(['symbol', 'received_at']).execute();

	await db.schema
		.createTable('decisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('signal_id', 'integer', (c) => c.references('signals.id'))
		.addColumn('alert_id', 'varchar(255)', (c) => c.notNull())
		.addColumn('status', 'varchar(16)', (c) => c.notNull())
		.addColumn('reason_code', 'varchar(64)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('receipt_json', json, (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('decisions_alert_id_unique', ['alert_id'])
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('decisions_created_at').on('decisions').column('created_at').execute();

	await db.schema
		.createTable('paper_orders')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('decision_id', 'integer', (c) => c.references('decisions.id'))
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('side', 'varchar(8)', (c) => c.notNull())
		.addColumn('type', 'varchar(16)', (c) => c.notNull())
		.addColumn('quantity', 'double precision', (c) => c.notNull())
		.addColumn('limit_price', 'double precision')
		.addColumn('stop_price', 'double precision')
		.addColumn('status', 'varchar(16)', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.modifyEnd(options)
		.execute();

	await db.schema
		.createTable('paper_fills')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('order_id', 'integer', (c) => c.notNull().references('paper_orders.id'))
		.addColumn('price', 'double precision', (c) => c.notNull())
		.addColumn('quantity', 'double precision', (c) => c.notNull())
		.addColumn('fee', 'double precision', (c) => c.notNull())
		.addColumn('filled_at', 'bigint', (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('paper_fills_order_id').on('paper_fills').column('order_id').execute();

	await db.schema
		.createTable('paper_positions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('strategy', 'varchar(64)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('quantity', 'double precision', (c) => c.notNull())
		.addColumn('entry_price', 'double precision', (c) => c.notNull())
		.addColumn('stop_price', 'double precision')
		.addColumn('target_price', 'double precision')
		.addColumn('fees', 'double precision', (c) => c.notNull())
		.addColumn('opened_at', 'bigint', (c) => c.notNull())
		.addColumn('closed_at', 'bigint')
		.addColumn('exit_price', 'double precision')
		.addColumn('exit_reason', 'varchar(64)')
		.addColumn('realized_pnl', 'double precision')
		.addColumn('status', 'varchar(16)', (c) => c.notNull())
		.addColumn('decision_id', 'integer', (c) => c.references('decisions.id'))
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('paper_positions_status_symbol').on('paper_positions').columns(['status', 'symbol']).execute();

	await db.schema
		.createTable('paper_cash')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('amount', 'double precision', (c) => c.notNull())
		.addColumn('reason', 'varchar(64)', (c) => c.notNull())
		.addColumn('ref', 'varchar(128)')
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('paper_cash_reason_ref_unique', ['reason', 'ref'])
		.modifyEnd(options)
		.execute();

	await db.schema
		.createTable('trade_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('strategy', 'varchar(64)', (c) => c.notNull())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('mode', 'varchar(8)', (c) => c.notNull())
		.addColumn('entry_time', 'bigint', (c) => c.notNull())
		.addColumn('entry_price', 'double precision', (c) => c.notNull())
		.addColumn('exit_time', 'bigint', (c) => c.notNull())
		.addColumn('exit_price', 'double precision', (c) => c.notNull())
		.addColumn('exit_reason', 'varchar(64)', (c) => c.notNull())
		.addColumn('quantity', 'double precision', (c) => c.notNull())
		.addColumn('pnl', 'double precision', (c) => c.notNull())
		.addColumn('return_ratio', 'double precision', (c) => c.notNull())
		.addColumn('fees', 'double precision', (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('trade_log_strategy_symbol_exit').on('trade_log').columns(['strategy', 'symbol', 'exit_time']).execute();
	await db.schema.createIndex('trade_log_exit_time').on('trade_log').column('exit_time').execute();

	await db.schema
		.createTable('risk_state')
		.addColumn('key', 'varchar(128)', (c) => c.primaryKey())
		.addColumn('value', json, (c) => c.notNull())
		.addColumn('updated_at', 'bigint', (c) => c.notNull())
		.modifyEnd(options)
		.execute();

	await db.schema
		.createTable('equity_snapshots')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('taken_at', 'bigint', (c) => c.notNull())
		.addColumn('equity', 'double precision', (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('equity_snapshots_taken_at').on('equity_snapshots').column('taken_at').execute();

	await db.schema
		.createTable('callback_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('decision_id', 'integer', (c) => c.notNull().references('decisions.id'))
		.addColumn('action', 'varchar(16)', (c) => c.notNull())
		.addColumn('callback_query_id', 'varchar(128)')
		.addColumn('user', 'varchar(128)', (c) => c.notNull())
		.addColumn('received_at', 'bigint', (c) => c.notNull())
		.addColumn('raw_json', json, (c) => c.notNull())
		.addUniqueConstraint('callback_events_query_id_unique', ['callback_query_id'])
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('callback_events_decision_id').on('callback_events').column('decision_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of [
		'callback_events',
		'equity_snapshots',
		'risk_state',
		'trade_log',
		'paper_cash',
		'paper_positions',
		'paper_fills',
		'paper_orders',
		'decisions',
		'signals',
		'candles',
	]) {
		await db.schema.dropTable(table).ifExists().execute();
	}
}
