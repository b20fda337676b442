/**
 * Storage benchmark (run with `npx tsx math-service/src/storage/benchCandles.ts [sqlite|mysql]`):
 * bulk-upserts 1,000,000 one-minute candles and reads them back with loadColumns and range.
 * Prints timings; no assertions (timing targets live in benchmarks, never in tests).
 */
import { performance } from 'node:perf_hooks';
import { openStorage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase } from './testDatabases.js';

const N = Number(process.env.HFQ_BENCH_CANDLES ?? 1_000_000);
const dialect = process.argv[2] === 'mysql' ? 'mysql' : 'sqlite';

const database = dialect === 'mysql' ? await createMysqlTestDatabase('hfq_bench') : await createSqliteTestDatabase();
const storage = await openStorage(database.url);
try {
	const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };
	const t0 = Date.UTC(2024, 0, 1);
	// Written in crawler-sized batches, generated on the fly (a 1M-object array would measure the GC).
	const BATCH = 50_000;
	let start = performance.now();
	for (let from = 0; from < N; from += BATCH) {
		const rows = Array.from({ length: Math.min(BATCH, N - from) }, (_, j) => {
			const i = from + j;
			const close = 40_000 + Math.sin(i / 500) * 1_000;
			return { ...key, openTime: t0 + i * 60_000, open: close - 3, high: close + 5, low: close - 7, close, volume: 1 + (i % 13) };
		});
		await storage.candles.upsertMany(rows);
	}
	console.log(`${dialect}: upsertMany ${N} candles: ${(performance.now() - start).toFixed(0)} ms`);
	start = performance.now();
	const columns = await storage.candles.loadColumns(key, t0, t0 + N * 60_000);
	console.log(`${dialect}: loadColumns ${columns.close.length} candles: ${(performance.now() - start).toFixed(0)} ms`);
	start = performance.now();
	const read = await storage.candles.range(key, t0, t0 + 100_000 * 60_000);
	console.log(`${dialect}: range ${read.length} candles as objects: ${(performance.now() - start).toFixed(0)} ms`);
} finally {
	await storage.close();
	await database.drop();
}
