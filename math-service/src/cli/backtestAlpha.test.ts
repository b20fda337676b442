/**
 * `npm run backtest -- --strategy alpha-threshold`: seed 2's alpha strategy through the CLI, on the
 * committed real BTC hourly slice; `--onchain` / `--sentiment` read the point-in-time series stored
 * in DATABASE_URL (the real MariaDB), and give exactly the backtest of the same series passed in
 * memory — revisions and publication delays included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnchainVersion, SentimentPoint } from '../core/alpha/alphaScoreColumns.js';
import { FIXTURE_OHLCV_DIR, realCandleSlice } from '../data/realCandles.test-helper.js';
import { runBacktestReport } from '../report/runBacktestReport.js';
import { openStorage } from '../storage/openStorage.js';
import { createMysqlTestDatabase, type TestDatabase } from '../storage/testDatabases.js';
import { BACKTEST_USAGE, backtestMain } from './backtest.js';
import { runCliMain } from './runCli.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const saved = { dir: process.env.HFQ_OHLCV_DIR, db: process.env.DATABASE_URL };
beforeAll(() => {
	process.env.HFQ_OHLCV_DIR = FIXTURE_OHLCV_DIR;
	delete process.env.DATABASE_URL;
});
afterAll(() => {
	for (const [k, v] of [['HFQ_OHLCV_DIR', saved.dir], ['DATABASE_URL', saved.db]] as const) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
});

async function backtest(argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const io = { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: (s: string) => err.push(s) > 0, isTTY: false } };
	const code = await runCliMain(backtestMain, BACKTEST_USAGE, argv, io);
	return { code, stdout: out.join(''), stderr: err.join('') };
}

const WINDOW = ['--csv', 'BTCUSDT-1h.csv', '--from', '2022-06-01', '--to', '2023-06-01'];
const data = { file: 'BTCUSDT-1h.csv', db: null, exchange: null, symbol: 'BTC/USDT', timeframe: '1h' };
const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2023, 5, 1) });
const window = { fromMs: Date.UTC(2022, 5, 1), toMs: Date.UTC(2023, 5, 1) };

describe('npm run backtest -- --strategy alpha-threshold', () => {
	it('backtests the technical score alone when no stored series is asked for, and says the score was partial', async () => {
		const r = await backtest([...WINDOW, '--strategy', 'alpha-threshold', '--entry-score', '70']);
		expect(r.code, r.stderr).toBe(0);
		const json = JSON.parse(r.stdout);
		expect(json.strategy).toBe('alpha_threshold');
		expect(json.params).toEqual({ entry_score: 70, stop_loss_ratio: 0.03, min_reward_risk: 1.5, allow_partial: true });
		expect(json.alpha).toMatchObject({ components_missing_everywhere: ['onchain', 'sentiment'], sources: { technical: 'candles', onchain: 'none', sentiment: 'none' } });
		expect(json.alpha.partial_bars).toBe(json.data.bars);
		expect(json.trade_count).toBeGreaterThan(20);
		expect(json.gates.seed1.gates.map((g: { name: string }) => g.name)).toContain('sharpe_ratio');
		expect(r.stderr).toMatch(/alpha threshold: entry score 70.*partial score: no onchain, sentiment data/);
		// --full-score-only: a partial score never enters.
		const strict = JSON.parse((await backtest([...WINDOW, '--strategy', 'alpha-threshold', '--full-score-only'])).stdout);
		expect(strict.trade_count).toBe(0);
	});

	it('exits 2 with the reason for options of the other strategy, a bad strategy or score, and --onchain without a database', async () => {
		for (const [argv, reason] of [
			[['--strategy', 'momentum'], /--strategy must be/],
			[['--strategy', 'alpha-threshold', '--entry-score', '120'], /entry-score/],
			[['--strategy', 'alpha-threshold', '--threshold', '2'], /--threshold is an option of the other strategy/],
			[['--entry-score', '70'], /--entry-score is an option of the other strategy/],
			[['--strategy', 'alpha-threshold', '--onchain'], /--onchain and --sentiment read the stored series/],
		] as const) {
			const r = await backtest([...WINDOW, ...argv]);
			expect(r.code, argv.join(' ')).toBe(2);
			expect(r.stderr, argv.join(' ')).toMatch(reason);
		}
	});

	describe('with on-chain and sentiment series stored point in time (MariaDB)', () => {
		let db: TestDatabase;
		// Daily netflow / LTH-SOPR published 2 h after the day ends; three days revised a week later.
		const days = Array.from({ length: 500 }, (_, d) => Date.UTC(2022, 0, 1) + d * DAY);
		const netflow: OnchainVersion[] = [];
		const lthSopr: OnchainVersion[] = [];
		const snapshots: SentimentPoint[] = [];
		beforeAll(async () => {
			db = await createMysqlTestDatabase('hfq_alpha_bt');
			const storage = await openStorage(db.url);
			try {
				for (const [d, start] of days.entries()) {
					const learnedAt = start + DAY + 2 * HOUR;
					const obs = [
						{ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', periodStart: start, value: Math.round(Math.sin(d / 2) * 5000) },
						{ asset: 'BTC', metric: 'lth_sopr', resolution: '24h', periodStart: start, value: 1 + Math.cos(d / 5) / 20 },
					];
					if (d % 7 === 6 && d >= 14) obs.push({ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', periodStart: days[d - 7]!, value: -20_000 });
					await storage.onchain.record(obs, learnedAt, 'glassnode');
					for (const o of obs) (o.metric === 'lth_sopr' ? lthSopr : netflow).push({ periodStart: o.periodStart, value: o.value, learnedAt });
					const snap = { computedAt: start + 13 * HOUR + 5 * 60_000, sentimentScore: 30 + (d % 9) * 8, panicScore: d % 4 };
					await storage.news.recordSnapshot({ currency: 'BTC', ...snap, postCount: 3, bullishVotes: 1, bearishVotes: 1, source: 'cryptopanic' });
					snapshots.push(snap);
				}
			} finally {
				await storage.close();
			}
		}, 120_000);
		afterAll(async () => {
			await db?.drop();
		});

		it('reads them from DATABASE_URL and trades exactly as the backtest of the same series in memory', async () => {
			process.env.DATABASE_URL = db.url;
			try {
				const r = await backtest([...WINDOW, '--strategy', 'alpha-threshold', '--onchain', '--sentiment']);
				expect(r.code, r.stderr).toBe(0);
				const json = JSON.parse(r.stdout);
				expect(json.alpha.components_missing).toEqual([]);
				expect(json.alpha.partial_bars).toBe(0);
				expect(json.alpha.sources.onchain).toMatch(/BTC 24h: \d+ netflow, 500 LTH-SOPR versions/);
				expect(json.alpha.sources.sentiment).toMatch(/500 BTC and 0 market snapshots/);
				const expected = runBacktestReport({ strategy: 'alpha_threshold', candles, data, ...window, alphaData: { onchain: { netflow, lthSopr }, sentiment: { asset: snapshots } } }).json;
				expect(json.trades).toEqual(expected.trades);
				expect(json.metrics).toEqual(expected.metrics);
				const technicalOnly = runBacktestReport({ strategy: 'alpha_threshold', candles, data, ...window }).json;
				expect(json.trades).not.toEqual(technicalOnly.trades);
			} finally {
				delete process.env.DATABASE_URL;
			}
		}, 60_000);
	});
});
