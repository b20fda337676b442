/**
 * @module storage/migrations/0007_latest_close_index
 * Marking to market reads "the latest stored close of a symbol, any exchange or timeframe" for every
 * symbol held, on every risk-monitor tick (every 10 s) and every decision. The candles' primary key
 * starts with the exchange, so that read scanned every candle of the symbol; this index answers it
 * from its last entry.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.createIndex('candles_symbol_open_time').ifNotExists().on('candles').columns(['symbol', 'open_time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropIndex('candles_symbol_open_time').on('candles').execute();
}
