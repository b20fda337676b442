/**
 * The three CLIs run in-process (their main functions with a captured stdout/stderr): exit codes,
 * the JSON they write, the CSV → database → backtest round trip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKTEST_USAGE, backtestMain } from './backtest.js';
import { IMPORT_USAGE, importCandlesMain } from './importCandles.js';
import { runCliMain, type CliMain } from './runCli.js';
import { SWEEP_USAGE, sweepMain } from './sweep.js';
import { createMysqlTestDatabase } from '../storage/testDatabases.js';
import { FIXTURE_OHLCV_DIR } from '../data/realCandles.test-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'hfq-cli-'));
// Bare --csv names resolve in the candle folder: here the committed real slices (test/fixtures/ohlcv).
const savedOhlcvDir = process.env.HFQ_OHLCV_DIR;
beforeAll(() => {
	process.env.HFQ_OHLCV_DIR = FIXTURE_OHLCV_DIR;
});
afterAll(() => {
	if (savedOhlcvDir === undefined) delete process.env.HFQ_OHLCV_DIR;
	else process.env.HFQ_OHLCV_DIR = savedOhlcvDir;
});

async function run(main: CliMain, usage: string, argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const io = { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0, isTTY: false } };
	const code = await runCliMain(main, usage, argv, io);
	return { code, stdout: out.join(''), stderr: err.join('') };
}
const backtest = (argv: string[]) => run(backtestMain, BACKTEST_USAGE, argv);
const sweep = (argv: string[]) => run(sweepMain, SWEEP_USAGE, argv);

const WEEK = ['--csv', 'BTCUSDT-1m-2023-09.csv', '--timeframe', '1m', '--from', '2023-10-02', '--to', '2023-10-09'];

describe('npm run backtest', () => {
	it('exits 2 with the reason and the usage for bad arguments', async () => {
		for (const argv of [
			['--csv', 'BTCUSDT-1h.csv', '--fee', 'lots'],
			['--csv', 'BTCUSDT-1h.csv', '--stop', '1.5'],
			['--csv', 'BTCUSDT-1h.csv', '--bogus'],
			['--csv', 'does-not-exist.csv'],
			[],
			['--csv', 'BTCUSDT-1h.csv', '--from', '2024-01-01', '--to', '2023-01-01'],
			['--csv', 'BTCUSDT-1h.csv', '--from', '2031-01-01'],
			['--db', 'sqlite::memory:'],
			['--csv', 'BTCUSDT-1h.csv', '--timeframe', 'hourly'],
		]) {
			const r = await backtest(argv);
			expect(r.code, argv.join(' ')).toBe(2);
			expect(r.stderr, argv.join(' ')).toMatch(/^error: .+\n\nusage: npm run backtest/);
		}
	});

	it('writes the JSON with trades, metrics and gates, and the summary on stdout', async () => {
		const out = join(dir, 'bt.json');
		const r = await backtest([...WEEK, '--out', out]);
		expect(r.code, r.stderr).toBe(0);
		const json = JSON.parse(readFileSync(out, 'utf8'));
		expect(json.params).toEqual({ stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_ratio: 0.03, min_reward_risk: 0 });
		expect(json.broker).toMatchObject({ fee_ratio: 0.001, slippage_ratio: 0.0002 });
		expect(json.data).toMatchObject({ file: 'BTCUSDT-1m-2023-09.csv', symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02T00:00:00Z', to: '2023-10-09T00:00:00Z', bars: 7 * 1440 });
		expect(json.trades.length).toBeGreaterThan(0);
		expect(Object.keys(json.trades[0])).toEqual(expect.arrayContaining(['entry_time', 'entry_price', 'exit_time', 'exit_price', 'exit_reason', 'pnl', 'return_ratio']));
		expect(json.metrics.trade_count).toBe(json.trades.length);
		expect(json.gates.seed1.gates.map((g: { name: string }) => g.name)).toEqual(['trade_count', 'span_years', 'win_rate', 'profit_factor', 'max_drawdown', 'sharpe_ratio']);
		expect(r.stdout).toContain(`trades ${json.trades.length} ·`);
	});

	it('charges the fee it is given: doubling the fee doubles the commission per unit and lowers the pnl per unit by it', async () => {
		const a = JSON.parse((await backtest([...WEEK])).stdout);
		const b = JSON.parse((await backtest([...WEEK, '--fee', '0.002'])).stdout);
		expect(b.trades.length).toBe(a.trades.length);
		const t0a = a.trades[0];
		const t0b = b.trades[0];
		// Per unit held (the quantity shrinks slightly: percent-of-equity sizing reserves the entry commission).
		expect(t0b.fees / t0b.quantity).toBeCloseTo((2 * t0a.fees) / t0a.quantity, 9);
		expect(t0b.pnl / t0b.quantity).toBeCloseTo((t0a.pnl - t0a.fees) / t0a.quantity, 9);
	});

	it('reports compute_seconds: the engine time, a positive number below the whole run', async () => {
		const started = performance.now();
		const json = JSON.parse((await backtest([...WEEK])).stdout);
		const wallSeconds = (performance.now() - started) / 1000;
		expect(json.compute_seconds).toBeGreaterThan(0);
		expect(json.compute_seconds).toBeLessThan(wallSeconds);
	});

	it('switches every broker rule: --time-stop-hours 0 turns the 48 h time stop off, --tie-break and --tick-size reach the broker', async () => {
		const defaults = JSON.parse((await backtest([...WEEK, '--stop', '0.2', '--threshold', '1'])).stdout);
		expect(defaults.broker).toMatchObject({ time_stop_ms: 48 * 3_600_000, tie_break: 'low_first', tick_size: null });
		expect(defaults.trades.some((t: { exit_reason: string }) => t.exit_reason === 'time')).toBe(true);
		const off = JSON.parse((await backtest([...WEEK, '--stop', '0.2', '--threshold', '1', '--time-stop-hours', '0', '--tie-break', 'high_first', '--tick-size', '0.01'])).stdout);
		expect(off.broker).toMatchObject({ time_stop_ms: null, tie_break: 'high_first', tick_size: 0.01 });
		expect(off.trades.some((t: { exit_reason: string }) => t.exit_reason === 'time')).toBe(false);
		const sixHours = JSON.parse((await backtest([...WEEK, '--time-stop-hours', '6'])).stdout);
		expect(sixHours.broker.time_stop_ms).toBe(6 * 3_600_000);
		for (const bad of [['--tie-break', 'random'], ['--time-stop-hours', '-1'], ['--tick-size', '0']]) {
			const r = await backtest([...WEEK, ...bad]);
			expect(r.code, bad.join(' ')).toBe(2);
		}
	});

	it('gives the same trades from the database after npm run import-candles as from the CSV', async () => {
		const db = `sqlite:${join(dir, 'candles.db')}`;
		const imp = await run(importCandlesMain, IMPORT_USAGE, ['--csv', 'BTCUSDT-1m-2023-09.csv', '--db', db, '--to', '2023-10-09']);
		expect(imp.code, imp.stderr).toBe(0);
		expect(imp.stdout).toMatch(/^imported \d+ binance BTC\/USDT 1m candles from 2023-09-30T14:48:00Z/);
		const fromDb = JSON.parse((await backtest(['--db', db, '--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1m', '--from', '2023-10-02', '--to', '2023-10-09'])).stdout);
		const fromCsv = JSON.parse((await backtest(WEEK)).stdout);
		expect(fromDb.trades).toEqual(fromCsv.trades);
		expect(fromDb.metrics).toEqual(fromCsv.metrics);
		expect(fromDb.data).toMatchObject({ file: null, db, exchange: 'binance' });
		const missing = await backtest(['--db', db, '--symbol', 'ETH/USDT', '--timeframe', '1m']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/no binance ETH\/USDT 1m candles .* import-candles/);
	});

	it('does the same round trip on MariaDB', async () => {
		const mysql = await createMysqlTestDatabase('hfq_cli');
		try {
			const imp = await run(importCandlesMain, IMPORT_USAGE, ['--csv', 'BTCUSDT-1m-2023-09.csv', '--db', mysql.url, '--symbol', 'BTC/USDT', '--to', '2023-10-09']);
			expect(imp.code, imp.stderr).toBe(0);
			const again = await run(importCandlesMain, IMPORT_USAGE, ['--csv', 'BTCUSDT-1m-2023-09.csv', '--db', mysql.url, '--symbol', 'BTC/USDT', '--to', '2023-10-09']);
			expect(again.stdout, 'importing twice upserts the same rows').toBe(imp.stdout);
			const fromDb = JSON.parse((await backtest(['--db', mysql.url, '--symbol', 'BTC/USDT', '--timeframe', '1m', '--from', '2023-10-02', '--to', '2023-10-09'])).stdout);
			const fromCsv = JSON.parse((await backtest(WEEK)).stdout);
			expect(fromDb.trades).toEqual(fromCsv.trades);
			expect(fromDb.metrics).toEqual(fromCsv.metrics);
		} finally {
			await mysql.drop();
		}
	}, 120_000);
});

describe('npm run sweep', () => {
	it('writes one row per combination with its parameters, trade count, total return and metrics', async () => {
		const r = await sweep([...WEEK, '--lookback', '20:60:20', '--threshold', '0.5:2:0.75', '--ema', '50:100:50', '--stop', '0.02:0.03:0.01']);
		expect(r.code, r.stderr).toBe(0);
		const json = JSON.parse(r.stdout);
		expect(json.combinations).toBe(3 * 3 * 2 * 2);
		expect(json.rows).toHaveLength(36);
		expect(json.grid.deviation_threshold).toEqual([0.5, 1.25, 2]);
		const seen = new Set(json.rows.map((row: { params: object }) => JSON.stringify(row.params)));
		expect(seen.size).toBe(36);
		for (const row of json.rows) {
			expect(row.trade_count).toBe(row.metrics.trade_count);
			expect(typeof row.total_return).toBe('number');
		}
		expect(json.best.gates.seed1.passed).toBe(false);
		expect(json.overfitting).toMatchObject({ objective: 'sharpe_ratio' });
		expect(json.overfitting.pbo.splits).toBe(12870); // C(16, 8)
		expect(r.stderr).toContain('combinations: 100% (36/36)');
	});

	it('reports compute_seconds and passes the broker rules on (--time-stop-hours 0)', async () => {
		const json = JSON.parse((await sweep([...WEEK, '--lookback', '20:60:20', '--pbo-blocks', '0', '--time-stop-hours', '0'])).stdout);
		expect(json.compute_seconds).toBeGreaterThan(0);
		expect(json.best.broker?.time_stop_ms ?? json.broker?.time_stop_ms).toBeNull();
	});

	it('matches the backtest CLI on the best row', async () => {
		const json = JSON.parse((await sweep([...WEEK, '--lookback', '20:60:20', '--threshold', '0.5:2:0.75'])).stdout);
		const p = json.best.params;
		const bt = JSON.parse((await backtest([...WEEK, '--stdev-length', String(p.stdev_length), '--threshold', String(p.deviation_threshold)])).stdout);
		expect(json.best.trade_count).toBe(bt.trades.length);
		expect(json.best.full_metrics.sharpe_ratio).toBe(bt.metrics.sharpe_ratio);
		expect(json.best.total_return).toBeCloseTo(bt.metrics.total_return_ratio, 12);
	});

	it('runs a walk-forward and reports the stitched out-of-sample trades, metrics and gates', async () => {
		const json = JSON.parse((await sweep([...WEEK, '--lookback', '20:60:20', '--threshold', '0.5:2:0.75', '--pbo-blocks', '0', '--walk-forward', '--train', '2880', '--test', '1440'])).stdout);
		const wf = json.walk_forward;
		expect(wf.windows).toHaveLength(Math.ceil((7 * 1440 - 2880) / 1440));
		expect(wf.windows[0].in_sample.bars).toBe(2880);
		expect(wf.trade_count).toBe(wf.windows.reduce((s: number, w: { out_of_sample_trade_count: number }) => s + w.out_of_sample_trade_count, 0));
		expect(wf.metrics.trade_count).toBe(wf.trade_count);
		expect(wf.gates.seed1.passed).toBe(false);
		expect(json.overfitting.pbo).toBeNull();
	});

	it('exits 2 for a malformed range or walk-forward options without --walk-forward', async () => {
		for (const argv of [[...WEEK, '--lookback', '10:100'], [...WEEK, '--threshold', '2:1:0.5'], [...WEEK, '--train', '100'], [...WEEK, '--lookback', '10.5'], [...WEEK, '--pbo-blocks', '7']]) {
			const r = await sweep(argv);
			expect(r.code, argv.join(' ')).toBe(2);
			expect(r.stderr).toMatch(/^error: /);
		}
	});
});

describe('the npm scripts as processes', () => {
	const root = resolve(__dirname, '../../..');
	const npmRun = (script: string, args: string[], cwd: string) =>
		spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: undefined } });

	it('runs only the script asked for: each compiled CLI answers --help with its own usage, once', () => {
		for (const [script, usage] of [['backtest', 'usage: npm run backtest'], ['sweep', 'usage: npm run sweep'], ['import-candles', 'usage: npm run import-candles'], ['results', 'usage: npm run results']]) {
			const help = npmRun(script!, ['--help'], root);
			expect(help.status, script).toBe(0);
			expect(help.stdout.startsWith(usage!), `${script}: ${help.stdout.slice(0, 80)}`).toBe(true);
			expect(help.stdout.match(/^usage: /gm), script).toHaveLength(1);
		}
	});

	it('exits with code 2 and a clear message for a bad argument, and 0 for --help', () => {
		const bad = npmRun('backtest', ['--csv', 'BTCUSDT-1h.csv', '--threshold', 'two'], root);
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('error: --threshold "two" is not a number');
		const help = npmRun('sweep', ['--help'], root);
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('usage: npm run sweep');
	}, 60_000);

	it('resolves a relative --csv against the directory npm was run from', () => {
		// From docs/, "../test/fixtures/ohlcv/X" is the committed slice; from the repo root it is not.
		const r = npmRun('backtest', ['--csv', '../test/fixtures/ohlcv/BTCUSDT-1m-2023-09.csv', '--timeframe', '1m', '--to', '2023-10-02'], join(root, 'docs'));
		expect(r.status, r.stderr).toBe(0);
		expect(JSON.parse(r.stdout).data.file).toBe('../test/fixtures/ohlcv/BTCUSDT-1m-2023-09.csv');
	}, 60_000);
});
