/**
 * @module bench/backfill.bench
 * `npm run backfill` end to end: two years of BTC/USDT 1-minute candles (2023-01-01 00:00 to
 * 2024-12-31 23:59 UTC, 1,051,200 bars) from the loopback Bybit fake, through the real ccxt client
 * and the crawler, into a fresh MariaDB database (127.0.0.1:3306). Prints candles stored per second
 * (target ≥ 50,000) and the request count against ceil(missing / 1000), which must be exact.
 *
 * The candle files hold a few real weeks of 1-minute bars, not two years, so the fake serves a
 * complete two-year series built from them: the committed real BTC/USDT 1m slices laid end to end
 * and repeated, each copy rescaled to open where the previous one closed (real bar shapes, no
 * hole). Building that file is not timed. BENCH_QUICK=1 backfills the first 60 days.
 *
 * Runs alone: `npx tsx math-service/bench/backfill.bench.ts`, or `npm run bench -- backfill`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadCandles } from '../../test/fakes/binanceCandles';
import { startFakeBybit } from '../../test/fakes/fakeBybit';
import { backfill } from '../src/cli/backfill';
import { createMysqlTestDatabase } from '../src/storage/testDatabases';
import { printFigure } from './report';

const MINUTE = 60_000;
const SINCE = Date.UTC(2023, 0, 1);
const UNTIL = Date.UTC(2025, 0, 1); // exclusive

/**
 * Writes `<dir>/BTCUSDT-1m.csv`: every minute from `fromMs` to `toMs` (exclusive), the real 1m bars
 * of the committed slices (their contiguous runs) repeated in order, each run rescaled so its first
 * open is the previous bar's close. Returns the number of bars written.
 */
function writeTwoYearSeries(dir: string, fromMs: number, toMs: number): number {
	const real = loadCandles('BTCUSDT', '1m');
	if (!real || real.length < 2) throw new Error('no real BTCUSDT 1m candles in test/fixtures/ohlcv');
	const runs: [number, number][] = []; // contiguous [start, end) index runs of the real bars
	let start = 0;
	for (let i = 1; i <= real.length; i++) {
		if (i === real.length || real.time[i]! - real.time[i - 1]! !== MINUTE) {
			runs.push([start, i]);
			start = i;
		}
	}
	const lines = ['timestamp,open,high,low,close,volume'];
	let lastClose = real.open[0]!;
	let run = 0;
	let i = runs[0]![0];
	let scale = 1;
	for (let t = fromMs; t < toMs; t += MINUTE) {
		if (i === runs[run]![0]) scale = lastClose / real.open[i]!;
		const close = real.close[i]! * scale;
		lines.push(`${t},${(real.open[i]! * scale).toFixed(2)},${(real.high[i]! * scale).toFixed(2)},${(real.low[i]! * scale).toFixed(2)},${close.toFixed(2)},${real.volume[i]!.toFixed(5)}`);
		lastClose = Number(close.toFixed(2));
		i++;
		if (i === runs[run]![1]) {
			run = (run + 1) % runs.length;
			i = runs[run]![0];
		}
	}
	writeFileSync(join(dir, 'BTCUSDT-1m.csv'), `${lines.join('\n')}\n`);
	return lines.length - 1;
}

export async function runBackfillBench(): Promise<void> {
	const until = process.env.BENCH_QUICK ? SINCE + 60 * 1_440 * MINUTE : UNTIL;
	const dir = mkdtempSync(join(tmpdir(), 'hfq-bench-backfill-'));
	const silent = { write: () => true };
	try {
		const bars = writeTwoYearSeries(dir, SINCE, until);
		const fake = await startFakeBybit({ ohlcvDir: dir });
		const database = await createMysqlTestDatabase('hfq_bench_backfill');
		try {
			// The fake parses its file on the first kline request (its own module instance, its own
			// cache): ask once before the clock starts, so the exchange's stand-in answers at once.
			const warm = await fetch(`${fake.url}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&start=${SINCE}&limit=1`);
			if (!warm.ok) throw new Error(`the Bybit fake answered ${warm.status} to the warm-up request`);
			const warmRequests = fake.requests.length;
			const t0 = performance.now();
			const summary = await backfill(
				['--symbol', 'BTC/USDT', '--exchange', 'bybit', '--since', String(SINCE), '--until', String(until - MINUTE), '--db', database.url],
				{ stdout: silent, stderr: silent },
				{ env: { BYBIT_BASE_URL: fake.url } },
			);
			const seconds = (performance.now() - t0) / 1000;
			const expected = Math.ceil(summary.missing / 1000);
			const klineRequests = fake.requests.slice(warmRequests).filter((r) => r.path === '/v5/market/kline').length;
			console.log(
				`backfill ${(bars / 525_600).toFixed(2)} years of 1m bars: ${summary.missing.toLocaleString('en-US')} missing, ${summary.inserted.toLocaleString('en-US')} stored, ` +
					`${summary.gaps.length} gaps, ${summary.requests} requests (fake saw ${klineRequests}; ceil(missing/1000) = ${expected}${summary.requests === expected && klineRequests === expected ? ', exact' : ', WRONG'}) in ${seconds.toFixed(1)} s`,
			);
			printFigure({ label: 'backfill Bybit fake → MariaDB, candles stored per second', value: summary.inserted / seconds, unit: 'candles/s', target: { kind: 'atLeast', value: 50_000 }, digits: 0 });
			if (summary.inserted !== bars) throw new Error(`backfill stored ${summary.inserted} of the ${bars} bars the fake serves`);
			if (summary.requests !== expected || klineRequests !== expected) throw new Error(`backfill made ${summary.requests} requests (the fake saw ${klineRequests}), expected ceil(${summary.missing} / 1000) = ${expected}`);
		} finally {
			await database.drop();
			await fake.close();
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) void runBackfillBench();
