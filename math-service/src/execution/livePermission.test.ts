import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateKpiGates, type KpiInput } from '../core/gates/kpiGates.js';
import { gatesJson } from '../report/backtestJson.js';
import { openStorage, type Storage } from '../storage/openStorage.js';
import { liveTradingPermission } from './livePermission.js';

const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
const T0 = Date.UTC(2026, 0, 1);

async function record(storage: Storage, kpi: KpiInput, symbol: string, createdAt: number) {
	const seed1 = gatesJson(evaluateKpiGates(kpi, 'seed1'));
	return storage.backtestRuns.insert({
		strategy: 'vwap_mean_reversion', exchange: 'binance', symbol, timeframe: '1h', fromTime: T0, toTime: T0 + 1,
		params: {}, metrics: {}, gates: { seed1, seed2: gatesJson(evaluateKpiGates(kpi, 'seed2')) }, gatesProfile: 'seed1', gatesPassed: seed1.passed, createdAt,
	});
}

describe('liveTradingPermission', () => {
	let storage: Storage;
	beforeAll(async () => {
		storage = await openStorage('sqlite::memory:');
	});
	afterAll(async () => storage?.close());

	it('refuses with no_backtest when nothing is recorded for the strategy and symbol', async () => {
		const p = await liveTradingPermission({ storage, strategy: 'vwap-mean-reversion', symbol: 'ADA/USDT', overrideFailingBacktest: false });
		expect(p).toMatchObject({ allowed: false, reason_code: 'no_backtest', run_id: null, failed_gates: [] });
		expect(p.reason).toMatch(/no backtest/);
	});

	it('refuses with backtest_failed and names the failing gates with their numbers', async () => {
		const run = await record(storage, { ...PASSING, winRate: 0.5, sharpeRatio: 0.4 }, 'XRP/USDT', T0);
		const p = await liveTradingPermission({ storage, strategy: 'vwap-mean-reversion', symbol: 'BINANCE:XRPUSDT', overrideFailingBacktest: false });
		expect(p).toMatchObject({ allowed: false, reason_code: 'backtest_failed', run_id: run.id });
		expect(p.failed_gates.map((g) => g.name)).toEqual(['win_rate', 'sharpe_ratio']);
		expect(p.failed_gates[0]).toMatchObject({ value: 0.5, threshold: 0.55, comparator: '>=' });
		expect(p.reason).toMatch(/win_rate 0.5 \(needs >= 0.55\)/);
	});

	it('allows with backtest_passed when the latest run passes, even though an older one failed', async () => {
		await record(storage, { ...PASSING, tradeCount: 12 }, 'BTC/USDT', T0);
		const passed = await record(storage, PASSING, 'BTC/USDT', T0 + 1000);
		const p = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', overrideFailingBacktest: false });
		expect(p).toMatchObject({ allowed: true, reason_code: 'backtest_passed', run_id: passed.id, failed_gates: [] });
	});

	it('refuses when the latest run fails although an older one passed', async () => {
		await record(storage, PASSING, 'ETH/USDT', T0);
		const latest = await record(storage, { ...PASSING, maxDrawdownRatio: 0.2 }, 'ETH/USDT', T0 + 1000);
		const p = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'ETH/USDT', overrideFailingBacktest: false });
		expect(p).toMatchObject({ allowed: false, reason_code: 'backtest_failed', run_id: latest.id });
		expect(p.failed_gates.map((g) => g.name)).toEqual(['max_drawdown']);
	});

	it('allows with reason override when explicitly overridden, still reporting the failing gates', async () => {
		const failed = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'XRP/USDT', overrideFailingBacktest: true });
		expect(failed).toMatchObject({ allowed: true, reason_code: 'override' });
		expect(failed.failed_gates.map((g) => g.name)).toEqual(['win_rate', 'sharpe_ratio']);
		const none = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'DOGE/USDT', overrideFailingBacktest: true });
		expect(none).toMatchObject({ allowed: true, reason_code: 'override', run_id: null });
	});

	it('does not report an override when the latest backtest passes', async () => {
		const p = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', overrideFailingBacktest: true });
		expect(p.reason_code).toBe('backtest_passed');
	});

	it('filters by timeframe when given', async () => {
		const p = await liveTradingPermission({ storage, strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', timeframe: '1m', overrideFailingBacktest: false });
		expect(p.reason_code).toBe('no_backtest');
	});
});
