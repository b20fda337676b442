/**
 * The decision pipeline in LIVE mode consults the recorded backtests (execution/livePermission):
 * the latest run of the strategy and symbol must pass the KPI gates, or the operator's explicit
 * override HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 must be set. No exchange adapter ships, so even a
 * permitted LIVE decision places no order and opens no paper position. Nothing here touches a network.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { evaluateKpiGates, type KpiInput } from '../core/gates/kpiGates';
import { createLiveBroker } from '../execution/liveBroker';
import { gatesJson } from '../report/backtestJson';
import { openStorage, type Storage } from '../storage/openStorage';
import type { PipelineSettings } from './pipelineSettings';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
let storage: Storage;
const placeOrder = vi.fn(async () => ({ exchangeOrderId: 'never' }));

function liveApp(pipeline: Partial<PipelineSettings> = {}) {
	return createApp({
		config: loadConfig({ HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: 'unit-key-0123', EXCHANGE_API_SECRET: 'unit-secret-0123' }),
		storage,
		clock: { now: () => T0 },
		logError: () => {},
		pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null, ...pipeline },
		// A fake adapter: the pipeline must never call it.
		liveBroker: createLiveBroker({ mode: 'LIVE', latestBacktestKpi: async () => PASSING, placeOrder }),
	} as AppDeps);
}

async function recordRun(kpi: KpiInput, symbol = 'ETH/USDT', createdAt = T0 - 60_000) {
	const seed1 = gatesJson(evaluateKpiGates(kpi, 'seed1'));
	return storage.backtestRuns.insert({
		strategy: 'vwap_mean_reversion', exchange: 'binance', symbol, timeframe: '1h', fromTime: T0 - 3 * 365 * 86_400_000, toTime: T0,
		params: {}, metrics: {}, gates: { seed1, seed2: gatesJson(evaluateKpiGates(kpi, 'seed2')) }, gatesProfile: 'seed1', gatesPassed: seed1.passed, createdAt,
	});
}

async function decideAlert(app: ReturnType<typeof liveApp>) {
	const alert = { secret: SECRET, alert_id: 'BINANCE:ETHUSDT-60-live-1', action: 'buy', ticker: 'BINANCE:ETHUSDT', interval: '60', time: T0 - 1_000, close: 2000, vwap: 2080, stop: 1960, target: 2080 };
	const v = (await (await app.request('/v1/signals/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert) })).json()) as Record<string, any>;
	expect(v.status).toBe('accepted');
	const res = await app.request('/v1/decisions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alert_id: v.alert_id }) });
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, any>;
}

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	placeOrder.mockClear();
});
afterEach(async () => {
	await storage.close();
});

describe('LIVE mode: the latest recorded backtest decides', () => {
	it('refuses live_not_permitted with no_backtest when none is recorded', async () => {
		const d = await decideAlert(liveApp());
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted' });
		expect(d.receipt.live).toMatchObject({ allowed: false, reason_code: 'no_backtest', run_id: null, override: false, order_placed: false });
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('refuses live_not_permitted when the latest run fails, listing the failing gates with their numbers', async () => {
		await recordRun(PASSING, 'ETH/USDT', T0 - 120_000);
		const run = await recordRun({ ...PASSING, profitFactor: 1.1 });
		const d = await decideAlert(liveApp());
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted' });
		expect(d.receipt.live).toMatchObject({ allowed: false, reason_code: 'backtest_failed', run_id: run.id, override: false });
		expect(d.receipt.live.failed_gates).toEqual([{ name: 'profit_factor', passed: false, value: 1.1, threshold: 1.4, comparator: '>=' }]);
		expect(d.receipt.reason).toMatch(/profit_factor 1.1 \(needs >= 1.4\)/);
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('accepts the permission when the latest run passes, but places no order without an exchange adapter', async () => {
		const run = await recordRun(PASSING);
		const d = await decideAlert(liveApp());
		expect(d.receipt.live).toMatchObject({ allowed: true, reason_code: 'backtest_passed', run_id: run.id, failed_gates: [], override: false, order_placed: false });
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted' });
		expect(d.receipt.reason).toMatch(/no exchange adapter/);
		expect(d.receipt.execution).toBeNull();
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('with the operator override a failing run is permitted, visibly: live.override true and the failing gates kept', async () => {
		await recordRun({ ...PASSING, winRate: 0.4 });
		const d = await decideAlert(liveApp({ liveAllowFailingBacktest: true }));
		expect(d.receipt.live).toMatchObject({ allowed: true, reason_code: 'override', override: true, order_placed: false });
		expect(d.receipt.live.failed_gates.map((g: { name: string }) => g.name)).toEqual(['win_rate']);
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted' });
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('reads the override from HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 (or true); anything but a boolean stops the start', async () => {
		const { pipelineSettingsFromEnv } = await import('./pipelineSettings');
		for (const v of ['1', 'true']) expect(pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v }).liveAllowFailingBacktest).toBe(true);
		for (const v of [undefined, '', '0', 'false']) expect(pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v }).liveAllowFailingBacktest).toBe(false);
		for (const v of ['yes', 'on', '2']) expect(() => pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v })).toThrow(/HFQ_LIVE_ALLOW_FAILING_BACKTEST/);
	});
});
