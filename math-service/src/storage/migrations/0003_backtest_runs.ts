/**
 * @module storage/migrations/0003_backtest_runs
 * `backtest_runs`: one row per recorded backtest (POST /v1/backtests on stored candles,
 * `npm run backtest -- --db …`). The LIVE gate reads the latest row of a strategy and symbol and
 * refuses LIVE execution when its KPI gates failed (execution/livePermission).
 * Columns and units: ../schema.ts (BacktestRunsTable).
 */
import type { Kysely } from 'kysely';
import { isMysql, jsonTextType, tableOptions } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	const json = jsonTextType(db);
	await db.schema
		.createTable('backtest_runs')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('strategy', 'varchar(64)', (c) => c.notNull())
		.addColumn('exchange', 'varchar(32)')
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('timeframe', 'varchar(16)', (c) => c.notNull())
		.addColumn('from_time', 'bigint', (c) => c.notNull())
		.addColumn('to_time', 'bigint', (c) => c.notNull())
		.addColumn('params_json', json, (c) => c.notNull())
		.addColumn('metrics_json', json, (c) => c.notNull())
		.addColumn('gates_json', json, (c) => c.notNull())
		.addColumn('gates_profile', 'varchar(16)', (c) => c.notNull())
		// 0/1: better-sqlite3 cannot bind JavaScript booleans, and MySQL's BOOLEAN is TINYINT(1) anyway.
		.addColumn('gates_passed', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'bigint', (c) => c.notNull())
		.modifyEnd(await tableOptions(db))
		.execute();
	await db.schema.createIndex('backtest_runs_latest').ifNotExists().on('backtest_runs').columns(['strategy', 'symbol', 'timeframe', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	if (isMysql(db)) await db.schema.dropIndex('backtest_runs_latest').on('backtest_runs').execute();
	else await db.schema.dropIndex('backtest_runs_latest').execute();
	await db.schema.dropTable('backtest_runs').execute();
}
