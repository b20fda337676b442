/**
 * backtest_runs on SQLite (in memory) and on the real MariaDB/MySQL (a fresh hfq_test_<random>
 * database, dropped afterwards): insert, latestFor by strategy and symbol, canonical names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateKpiGates, type KpiInput } from '../core/gates/kpiGates.js';
import { gatesJson } from '../report/backtestJson.js';
import type { BacktestRunInput } from './backtestRuns.js';
import { openStorage, type Storage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase } from './testDatabases.js';

const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
const T0 = Date.UTC(2026, 0, 1);

function run(kpi: KpiInput, over: Partial<BacktestRunInput> = {}): BacktestRunInput {
	const seed1 = gatesJson(evaluateKpiGates(kpi, 'seed1'));
	return {
		strategy: 'vwap_mean_reversion',
		exchange: 'binance',
		symbol: 'BTC/USDT',
		timeframe: '1h',
		fromTime: T0,
		toTime: T0 + 3_600_000 * 20_000,
		params: { stdev_length: 50, deviation_threshold: 2 },
		metrics: { sharpe_ratio: kpi.sharpeRatio, win_rate: kpi.winRate },
		gates: { seed1, seed2: gatesJson(evaluateKpiGates(kpi, 'seed2')) },
		gatesProfile: 'seed1',
		gatesPassed: seed1.passed,
		createdAt: T0,
		...over,
	};
}

describe.each([
	['sqlite', createSqliteTestDatabase],
	['mysql', createMysqlTestDatabase],
] as const)('backtest runs on %s', (_dialect, createDatabase) => {
	let database: TestDatabase;
	let storage: Storage;

	beforeAll(async () => {
		database = await createDatabase();
		storage = await openStorage(database.url);
	});
	afterAll(async () => {
		await storage?.close();
		await database?.drop();
	});

	it('returns null when no run is recorded for the strategy and symbol', async () => {
		await expect(storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'SOL/USDT' })).resolves.toBeNull();
	});

	it('stores a run and reads it back with its JSON, times and verdict', async () => {
		const stored = await storage.backtestRuns.insert(run(PASSING));
		expect(stored.id).toBeGreaterThan(0);
		expect(stored).toMatchObject({ strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', timeframe: '1h', fromTime: T0, gatesProfile: 'seed1', gatesPassed: true, createdAt: T0 });
		expect(stored.params).toEqual({ stdev_length: 50, deviation_threshold: 2 });
		expect(stored.gates.seed1?.gates.find((g) => g.name === 'sharpe_ratio')).toMatchObject({ value: 1.3, passed: true });
		expect(stored.gates.seed2?.passed).toBe(false);
		await expect(storage.backtestRuns.getById(stored.id)).resolves.toEqual(stored);
	});

	it('latestFor returns the newest run, canonicalising strategy and symbol spellings', async () => {
		const failing = await storage.backtestRuns.insert(run({ ...PASSING, winRate: 0.5 }, { symbol: 'BINANCE:BTCUSDT', strategy: 'vwap-mean-reversion', createdAt: T0 + 1000 }));
		expect(failing).toMatchObject({ symbol: 'BTC/USDT', strategy: 'vwap_mean_reversion', gatesPassed: false });
		const latest = await storage.backtestRuns.latestFor({ strategy: 'VWAP-Mean-Reversion', symbol: 'btcusdt' });
		expect(latest?.id).toBe(failing.id);
		expect(latest?.gates.seed1?.gates.find((g) => g.name === 'win_rate')).toMatchObject({ passed: false, value: 0.5 });
	});

	it('latestFor filters by timeframe when given', async () => {
		const minute = await storage.backtestRuns.insert(run(PASSING, { timeframe: '1m', createdAt: T0 + 2000 }));
		expect((await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT' }))?.id).toBe(minute.id);
		const hourly = await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', timeframe: '1h' });
		expect(hourly).toMatchObject({ timeframe: '1h', gatesPassed: false });
	});

	it('breaks a tie on created_at by the higher id and keeps other symbols apart', async () => {
		const a = await storage.backtestRuns.insert(run(PASSING, { symbol: 'ETH/USDT', createdAt: T0 + 5000 }));
		const b = await storage.backtestRuns.insert(run({ ...PASSING, tradeCount: 10 }, { symbol: 'ETH/USDT', createdAt: T0 + 5000 }));
		expect(b.id).toBeGreaterThan(a.id);
		expect((await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'ETH/USDT' }))?.id).toBe(b.id);
		expect((await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT' }))?.symbol).toBe('BTC/USDT');
	});
});
