/**
 * Who may send a LIVE order. The exchange is really wired here: the real ccxt client talks to the
 * loopback Binance spot account fake (signed endpoints verified), so every "no order" assertion
 * below counts the orders the fake received and would go red if the guard let one through.
 * - every process switch on + the latest recorded backtest passing → exactly one order;
 * - HFQ_LIVE_CONFIRM, EXCHANGE_API_KEY or EXCHANGE_API_SECRET missing → the service runs PAPER, each
 *   receipt names the refusal (`live_refused`), and no order reaches the exchange even with an
 *   exchange client handed to the pipeline;
 * - no backtest, or a failing latest one → `live_not_permitted` with the failing gates, no order;
 * - the operator override HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 → the order goes out, `live.override: true`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinanceAccount, type FakeBinanceAccount } from '../../../test/fakes/fakeBinanceAccount';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { evaluateKpiGates, type KpiInput } from '../core/gates/kpiGates';
import { createLiveExchange } from '../execution/liveExchange';
import { gatesJson } from '../report/backtestJson';
import { openStorage, type Storage } from '../storage/openStorage';
import type { PipelineSettings } from './pipelineSettings';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
let storage: Storage;
let fake: FakeBinanceAccount;
let alertNo = 0;

const armedEnv = (): Record<string, string> => ({
	HFQ_MODE: 'LIVE',
	HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY',
	EXCHANGE_API_KEY: fake.apiKey,
	EXCHANGE_API_SECRET: fake.apiSecret,
	HFQ_LIVE_BASE_URL: fake.origin,
});

function liveApp(env: Record<string, string | undefined> = armedEnv(), pipeline: Partial<PipelineSettings> = {}) {
	return createApp({
		config: loadConfig(env),
		storage,
		clock: { now: () => T0 },
		logError: () => {},
		pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null, ...pipeline },
		// A real exchange client on the fake: only the LIVE guard stands between a decision and an order.
		liveExchange: createLiveExchange({ exchange: 'binance', baseUrl: fake.origin, apiKey: fake.apiKey, apiSecret: fake.apiSecret }),
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
	const alert = { secret: SECRET, alert_id: `BINANCE:ETHUSDT-60-live-${++alertNo}`, action: 'buy', ticker: 'BINANCE:ETHUSDT', interval: '60', time: T0 - 1_000, close: 2000, vwap: 2080, stop: 1960, target: 2080 };
	const v = (await (await app.request('/v1/signals/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert) })).json()) as Record<string, any>;
	expect(v.status).toBe('accepted');
	const res = await app.request('/v1/decisions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alert_id: v.alert_id }) });
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, any>;
}

beforeAll(async () => {
	fake = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000 }, symbols: ['ETHUSDT', 'BTCUSDT'] });
});
afterAll(async () => fake?.close());
beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	fake.orders.length = 0;
	fake.placedOrders().length = 0;
	fake.setBalance('USDT', 10_000);
	fake.setBalance('ETH', 0);
});
afterEach(async () => {
	await storage.close();
});

describe('LIVE switches: any missing one runs PAPER and no order reaches the exchange', () => {
	it.each([
		['HFQ_LIVE_CONFIRM', /HFQ_LIVE_CONFIRM is not set/],
		['EXCHANGE_API_KEY', /EXCHANGE_API_KEY is not set/],
		['EXCHANGE_API_SECRET', /EXCHANGE_API_SECRET is not set/],
	])('without %s: PAPER decision, the refusal on the receipt, zero orders at the exchange', async (name, reason) => {
		await recordRun(PASSING);
		const d = await decideAlert(liveApp({ ...armedEnv(), [name]: undefined }));
		expect(d).toMatchObject({ status: 'approved', mode: 'PAPER' });
		expect(d.receipt.live_refused).toMatch(/^LIVE REFUSED: /);
		expect(d.receipt.live_refused).toMatch(reason);
		expect(d.receipt.execution).toMatchObject({ broker: 'paper' });
		expect(fake.placedOrders()).toEqual([]);
	});

	it('with a wrong confirmation phrase: PAPER as well', async () => {
		await recordRun(PASSING);
		const d = await decideAlert(liveApp({ ...armedEnv(), HFQ_LIVE_CONFIRM: 'i understand' }));
		expect(d.mode).toBe('PAPER');
		expect(d.receipt.live_refused).toMatch(/HFQ_LIVE_CONFIRM is not exactly I_UNDERSTAND_REAL_MONEY/);
		expect(fake.placedOrders()).toEqual([]);
	});

	it('with every switch on and a passing backtest: exactly one order, filled and booked', async () => {
		const run = await recordRun(PASSING);
		const d = await decideAlert(liveApp());
		expect(d).toMatchObject({ status: 'approved', mode: 'LIVE' });
		expect(d.receipt.live).toMatchObject({ allowed: true, reason_code: 'backtest_passed', run_id: run.id, order_placed: true, state: 'filled' });
		expect(d.receipt.execution).toMatchObject({ broker: 'live', state: 'filled', average_price: 2000, protection: 'oco' });
		expect(fake.placedOrders()).toHaveLength(1);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
	});
});

describe('LIVE mode: the latest recorded backtest decides', () => {
	it('refuses live_not_permitted with no_backtest when none is recorded, and sends nothing', async () => {
		const d = await decideAlert(liveApp());
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted', mode: 'LIVE' });
		expect(d.receipt.live).toMatchObject({ allowed: false, reason_code: 'no_backtest', run_id: null, override: false, order_placed: false });
		expect(d.receipt.execution).toBeNull();
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(fake.placedOrders()).toEqual([]);
	});

	it('refuses live_not_permitted when the latest run fails, listing the failing gates with their numbers, and sends nothing', async () => {
		await recordRun(PASSING, 'ETH/USDT', T0 - 120_000);
		const run = await recordRun({ ...PASSING, profitFactor: 1.1 });
		const d = await decideAlert(liveApp());
		expect(d).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted' });
		expect(d.receipt.live).toMatchObject({ allowed: false, reason_code: 'backtest_failed', run_id: run.id, override: false });
		expect(d.receipt.live.failed_gates).toEqual([{ name: 'profit_factor', passed: false, value: 1.1, threshold: 1.4, comparator: '>=' }]);
		expect(d.receipt.reason).toMatch(/profit_factor 1.1 \(needs >= 1.4\)/);
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(fake.placedOrders()).toEqual([]);
	});

	it('with the operator override a failing run is permitted, visibly: live.override true, the failing gates kept, the order sent', async () => {
		await recordRun({ ...PASSING, winRate: 0.4 });
		const d = await decideAlert(liveApp(armedEnv(), { liveAllowFailingBacktest: true }));
		expect(d.receipt.live).toMatchObject({ allowed: true, reason_code: 'override', override: true, order_placed: true });
		expect(d.receipt.live.failed_gates.map((g: { name: string }) => g.name)).toEqual(['win_rate']);
		expect(d).toMatchObject({ status: 'approved', mode: 'LIVE' });
		expect(fake.placedOrders()).toHaveLength(1);
	});

	it('reads the override from HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 (or true); anything but a boolean stops the start', async () => {
		const { pipelineSettingsFromEnv } = await import('./pipelineSettings');
		for (const v of ['1', 'true']) expect(pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v }).liveAllowFailingBacktest).toBe(true);
		for (const v of [undefined, '', '0', 'false']) expect(pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v }).liveAllowFailingBacktest).toBe(false);
		for (const v of ['yes', 'on', '2']) expect(() => pipelineSettingsFromEnv({ HFQ_LIVE_ALLOW_FAILING_BACKTEST: v })).toThrow(/HFQ_LIVE_ALLOW_FAILING_BACKTEST/);
	});
});
