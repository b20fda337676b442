/**
 * @module bench/backfill.bench
 * `npm run backfill` end to end: two years of BTC/USDT 1-minute candles (2023-01-01 to 2025-01-01,
 * every bar the shared candle files hold in that span) from the loopback Bybit fake, through the
 * real ccxt client and the crawler, into a fresh MariaDB database (127.0.0.1:3306). Prints candles
 * stored per second (target ≥ 50,000) and checks the request count is exactly ceil(missing / 1000).
 * Runs alone: `npx tsx math-service/bench/backfill.bench.ts`. Needs MariaDB and the shared candles.
 * Not yet in bench/index.ts: its first run did not finish in 5 minutes on a shared machine (unexplained).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadCandles } from '../../test/fakes/binanceCandles';
import { startFakeBybit } from '../../test/fakes/fakeBybit';
import { backfill } from '../src/cli/backfill';
import { createMysqlTestDatabase } from '../src/storage/testDatabases';
import { printFigure } from './report';

export async function runBackfillBench(): Promise<void> {
	loadCandles('BTCUSDT', '1m'); // parse the files before the clock starts: the fake stands in for the exchange
	const fake = await startFakeBybit();
	const database = await createMysqlTestDatabase();
	const silent = { write: () => true };
	try {
		const t0 = performance.now();
		const summary = await backfill(['--symbol', 'BTC/USDT', '--exchange', 'bybit', '--since', '2023-01-01', '--until', '2024-12-31T23:59', '--db', database.url], { stdout: silent, stderr: silent }, { env: { BYBIT_BASE_URL: fake.url } });
		const seconds = (performance.now() - t0) / 1000;
		const expected = Math.ceil(summary.missing / 1000);
		console.log(`backfill 2 years of 1m bars: ${summary.missing} missing, ${summary.inserted} stored (the rest are gaps in the candle files), ${summary.requests} requests (ceil(missing/1000) = ${expected}${summary.requests === expected ? ', exact' : ', WRONG'})`);
		printFigure({ label: 'backfill Bybit fake → MariaDB, candles stored per second', value: summary.inserted / seconds, unit: 'candles/s', target: { kind: 'atLeast', value: 50_000 }, digits: 0 });
		if (summary.requests !== expected) throw new Error(`backfill made ${summary.requests} requests, expected ${expected}`);
	} finally {
		await database.drop();
		await fake.close();
	}
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) void runBackfillBench();
