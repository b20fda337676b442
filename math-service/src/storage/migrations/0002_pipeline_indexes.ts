/**
 * @module storage/migrations/0002_pipeline_indexes
 * Indexes and one constraint the alert → decision → paper-trade pipeline relies on:
 * - `candles (symbol, timeframe, open_time)`: the pipeline marks open positions at the latest
 *   stored close of their symbol and reads an asset's recent returns for the VaR budget without
 *   knowing the exchange; the primary key starts with `exchange`, so those reads would scan.
 * - UNIQUE `paper_positions (decision_id)`: one decision opens at most one paper position, even if
 *   two processes raced past every other check (NULL decision ids stay unconstrained on both
 *   dialects).
 * - `paper_positions (strategy, symbol, status)`: exits and position checks per strategy and symbol.
 */
import type { Kysely } from 'kysely';
import { isMysql } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.createIndex('candles_symbol_timeframe_time').on('candles').columns(['symbol', 'timeframe', 'open_time']).execute();
	await db.schema.createIndex('paper_positions_decision_unique').unique().on('paper_positions').column('decision_id').execute();
	await db.schema.createIndex('paper_positions_strategy_symbol_status').on('paper_positions').columns(['strategy', 'symbol', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	const drop = (name: string, table: string) => (isMysql(db) ? db.schema.dropIndex(name).on(table) : db.schema.dropIndex(name));
	await drop('paper_positions_strategy_symbol_status', 'paper_positions').execute();
	await drop('paper_positions_decision_unique', 'paper_positions').execute();
	await drop('candles_symbol_timeframe_time', 'candles').execute();
}
