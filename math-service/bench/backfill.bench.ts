/**
 * @module bench/backfill.bench
 * `npm run backfill` end to end: two years of BTC/USDT 1-minute candles (2023-01-01 00:00 to
 * 2024-12-31 23:59 UTC, 1,052,640 bars) from a loopback exchange fake, through the real ccxt client
 * (rate limiter on, as a user runs it) and the crawler, into a fresh database. Prints candles stored
 * per second (target ≥ 50,000 into MariaDB), the process CPU per 1,000 candles (the fake serves
 * from this same process), and the request count against ceil(missing / 1000), which must be exact.
 * Runs: Bybit fake → MariaDB (127.0.0.1:3306), Bybit fake → SQLite file, Binance fake → MariaDB.
 *
 * ccxt's limiter spaces requests by `rateLimit × cost` of the kline endpoint: Bybit 20 ms × 5 =
 * 100 ms (10 requests/s, so at most 10,000 candles/s), Binance 50 ms × 0.4 = 20 ms (50 requests/s,
 * Binance's own 6,000 weight/minute at weight 2, so at most 50,000 candles/s). Each run prints
 * that ceiling beside its figure.
 *
 * The candle files hold a few real weeks of 1-minute bars, not two years, so the fakes serve a
 * complete two-year series built from them: the committed real BTC/USDT 1m slices laid end to end
 * and repeated, each copy rescaled to open where the previous one closed (real bar shapes, no
 * hole). Building that file is not timed. BENCH_QUICK=1 backfills the first 60 days.
 *
 * Runs alone: `npx tsx math-service/bench/backfill.bench.ts`, or `npm run bench -- backfill`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import ccxt from 'ccxt';
import { loadCandles } from '../../test/fakes/binanceCandles';
import { startFakeBinance, type FakeBinance } from '../../test/fakes/fakeBinance';
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

type BenchExchange = 'bybit' | 'binance';

/** Candles/s ccxt's rate limiter allows one client: 1,000 bars per `rateLimit × cost` ms of the kline endpoint. */
function limiterCeiling(exchange: BenchExchange): number {
	const client = exchange === 'bybit' ? new ccxt.bybit() : new ccxt.binance();
	const api = client.api as Record<string, Record<string, Record<string, { cost?: number }>>>;
	const cost = exchange === 'bybit' ? api.public!.get!['v5/market/kline']!.cost! : api.public!.get!.klines!.cost!;
	return 1000 / (((client.rateLimit ?? 0) * cost) / 1000);
}

/** One timed `backfill` run of [SINCE, until) from the `exchange` fake serving `dir` into `databaseUrl`. */
async function timedBackfill(dir: string, bars: number, until: number, exchange: BenchExchange, target: { name: string; url: string }): Promise<void> {
	const silent = { write: () => true };
	const fake = exchange === 'bybit' ? await startFakeBybit({ ohlcvDir: dir }) : await startFakeBinance({ ohlcvDir: dir });
	try {
		const baseUrl = exchange === 'bybit' ? fake.url : (fake as FakeBinance).apiV3;
		const klinePath = exchange === 'bybit' ? '/v5/market/kline' : '/api/v3/klines';
		// The fake parses its file on the first kline request: ask once before the clock starts, so
		// the exchange's stand-in answers at once.
		const warmUrl = exchange === 'bybit' ? `${baseUrl}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&start=${SINCE}&limit=1` : `${baseUrl}/klines?symbol=BTCUSDT&interval=1m&startTime=${SINCE}&limit=1`;
		const warm = await fetch(warmUrl);
		if (!warm.ok) throw new Error(`the ${exchange} fake answered ${warm.status} to the warm-up request`);
		const warmRequests = fake.requests.length;
		const env = exchange === 'bybit' ? { BYBIT_BASE_URL: baseUrl } : { BINANCE_BASE_URL: baseUrl };
		const cpu0 = process.cpuUsage();
		const t0 = performance.now();
		const summary = await backfill(
			['--symbol', 'BTC/USDT', '--exchange', exchange, '--since', String(SINCE), '--until', String(until - MINUTE), '--db', target.url],
			{ stdout: silent, stderr: silent },
			{ env },
		);
		const seconds = (performance.now() - t0) / 1000;
		const cpu = process.cpuUsage(cpu0);
		const expected = Math.ceil(summary.missing / 1000);
		const klineRequests = fake.requests.slice(warmRequests).filter((r) => r.path === klinePath).length;
		console.log(
			`${exchange} fake → ${target.name}: ${summary.missing.toLocaleString('en-US')} missing, ${summary.inserted.toLocaleString('en-US')} stored, ` +
				`${summary.gaps.length} gaps, ${summary.requests} requests (fake saw ${klineRequests}; ceil(missing/1000) = ${expected}${summary.requests === expected && klineRequests === expected ? ', exact' : ', WRONG'}) in ${seconds.toFixed(1)} s; ` +
				`ccxt's limiter allows at most ${limiterCeiling(exchange).toLocaleString('en-US', { maximumFractionDigits: 0 })} candles/s`,
		);
		printFigure({ label: `backfill ${exchange} fake → ${target.name}, candles stored per second`, value: summary.inserted / seconds, unit: 'candles/s', target: target.name === 'MariaDB' ? { kind: 'atLeast', value: 50_000 } : undefined, digits: 0 });
		printFigure({ label: `backfill ${exchange} fake → ${target.name}, process CPU per 1,000 candles`, value: (cpu.user + cpu.system) / 1000 / (summary.inserted / 1000), unit: 'ms', digits: 1 });
		if (summary.inserted !== bars) throw new Error(`backfill stored ${summary.inserted} of the ${bars} bars the fake serves`);
		if (summary.requests !== expected || klineRequests !== expected) throw new Error(`backfill made ${summary.requests} requests (the fake saw ${klineRequests}), expected ceil(${summary.missing} / 1000) = ${expected}`);
	} finally {
		await fake.close();
	}
}

export async function runBackfillBench(): Promise<void> {
	const until = process.env.BENCH_QUICK ? SINCE + 60 * 1_440 * MINUTE : UNTIL;
	const dir = mkdtempSync(join(tmpdir(), 'hfq-bench-backfill-'));
	try {
		const bars = writeTwoYearSeries(dir, SINCE, until);
		console.log(`backfill ${(bars / 525_600).toFixed(2)} years of 1m bars (${bars.toLocaleString('en-US')}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
		for (const exchange of ['bybit', 'binance'] as const) {
			const targets = exchange === 'bybit' ? ['MariaDB', 'SQLite'] : ['MariaDB'];
			for (const name of targets) {
				const database = name === 'MariaDB' ? await createMysqlTestDatabase('hfq_bench_backfill') : { url: `sqlite:${join(dir, `backfill-${exchange}.db`)}`, drop: async () => {} };
				try {
					await timedBackfill(dir, bars, until, exchange, { name, url: database.url });
				} finally {
					await database.drop();
				}
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) void runBackfillBench();
