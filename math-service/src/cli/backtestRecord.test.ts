/**
 * `npm run backtest` records its run in backtest_runs when the candles come from `--db`, or with
 * `--record` (into --db or DATABASE_URL), and prints the run id.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_OHLCV_DIR } from '../data/realCandles.test-helper.js';
import { openStorage } from '../storage/openStorage.js';
import { BACKTEST_USAGE, backtestMain } from './backtest.js';
import { IMPORT_USAGE, importCandlesMain } from './importCandles.js';
import { runCliMain, type CliMain } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'hfq-cli-record-'));
const savedUrl = process.env.DATABASE_URL;
// Bare --csv names resolve in the candle folder: here the committed real slices (test/fixtures/ohlcv).
const savedOhlcvDir = process.env.HFQ_OHLCV_DIR;
beforeAll(() => {
	process.env.HFQ_OHLCV_DIR = FIXTURE_OHLCV_DIR;
});
afterAll(() => {
	if (savedOhlcvDir === undefined) delete process.env.HFQ_OHLCV_DIR;
	else process.env.HFQ_OHLCV_DIR = savedOhlcvDir;
});
afterEach(() => {
	if (savedUrl === undefined) delete process.env.DATABASE_URL;
	else process.env.DATABASE_URL = savedUrl;
});

async function run(main: CliMain, usage: string, argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const io = { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0, isTTY: false } };
	const code = await runCliMain(main, usage, argv, io);
	return { code, stdout: out.join(''), stderr: err.join('') };
}
const backtest = (argv: string[]) => run(backtestMain, BACKTEST_USAGE, argv);
const DAYS = ['--timeframe', '1m', '--from', '2023-10-01', '--to', '2023-10-03'];

async function latestRun(db: string) {
	const storage = await openStorage(db);
	try {
		return await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT' });
	} finally {
		await storage.close();
	}
}

describe('npm run backtest records runs', () => {
	it('records a --db backtest and prints its run id', async () => {
		const db = `sqlite:${join(dir, 'db.db')}`;
		expect((await run(importCandlesMain, IMPORT_USAGE, ['--csv', 'BTCUSDT-1m-2023-09.csv', '--db', db, '--to', '2023-10-03'])).code).toBe(0);
		const r = await backtest(['--db', db, '--symbol', 'BTC/USDT', ...DAYS]);
		expect(r.code, r.stderr).toBe(0);
		const id = Number(/recorded backtest run #(\d+)/.exec(r.stderr)?.[1]);
		const json = JSON.parse(r.stdout);
		const stored = await latestRun(db);
		expect(stored).toMatchObject({ id, strategy: 'vwap_mean_reversion', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', fromTime: Date.UTC(2023, 9, 1), toTime: Date.UTC(2023, 9, 3), gatesProfile: 'seed1', gatesPassed: json.gates.seed1.passed });
		expect(stored!.gates).toEqual(json.gates);
	});

	it('does not record a CSV backtest unless --record is given; --record writes into DATABASE_URL', async () => {
		const db = `sqlite:${join(dir, 'csv.db')}`;
		process.env.DATABASE_URL = db;
		const plain = await backtest(['--csv', 'BTCUSDT-1m-2023-09.csv', ...DAYS]);
		expect(plain.code, plain.stderr).toBe(0);
		expect(plain.stderr).not.toMatch(/recorded backtest run/);
		expect(await latestRun(db)).toBeNull();
		const recorded = await backtest(['--csv', 'BTCUSDT-1m-2023-09.csv', ...DAYS, '--record', '--gates-profile', 'seed2']);
		expect(recorded.code, recorded.stderr).toBe(0);
		const id = Number(/recorded backtest run #(\d+)/.exec(recorded.stderr)?.[1]);
		expect(await latestRun(db)).toMatchObject({ id, symbol: 'BTC/USDT', exchange: null, gatesProfile: 'seed2' });
	});

	it('refuses --record without a database and an unknown gates profile (exit 2)', async () => {
		delete process.env.DATABASE_URL;
		expect((await backtest(['--csv', 'BTCUSDT-1m-2023-09.csv', ...DAYS, '--record'])).stderr).toMatch(/--record needs --db or DATABASE_URL/);
		expect((await backtest(['--csv', 'BTCUSDT-1m-2023-09.csv', ...DAYS, '--gates-profile', 'seed9'])).code).toBe(2);
	});
});
