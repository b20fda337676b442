/**
 * POST /v1/backtests records every backtest of stored candles in backtest_runs (the evidence the
 * LIVE gate reads) and answers its `run_id`; inline candles are not recorded (run_id null).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { realCandleSlice } from '../data/realCandles.test-helper';
import { liveTradingPermission } from '../execution/livePermission';
import { openStorage, type Storage } from '../storage/openStorage';

const candles = realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 3) });
const NOW = Date.UTC(2026, 10, 22, 1, 0);
let storage: Storage;

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	const rows = Array.from({ length: candles.length }, (_, i) => ({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: candles.openTime[i], open: candles.open[i], high: candles.high[i], low: candles.low[i], close: candles.close[i], volume: candles.volume[i] }));
	await storage.candles.upsertMany(rows);
});
afterAll(async () => {
	await storage?.close();
});

async function post(body: unknown) {
	const app = createApp({ config: loadConfig({ DATABASE_URL: 'sqlite::memory:' }), storage, clock: { now: () => NOW }, logError: () => {} });
	const res = await app.request('/v1/backtests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('POST /v1/backtests records runs', () => {
	it('records a backtest of stored candles with its params, metrics and gates, and answers run_id', async () => {
		const { status, body } = await post({ symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-01', to: '2023-10-03', params: { deviation_threshold: 1.5 } });
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.run_id).toEqual(expect.any(Number));
		const run = await storage.backtestRuns.getById(body.run_id);
		expect(run).toMatchObject({ strategy: 'vwap_mean_reversion', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', fromTime: Date.UTC(2023, 9, 1), toTime: Date.UTC(2023, 9, 3), gatesProfile: 'seed1', createdAt: NOW });
		expect(run!.gates).toEqual(body.gates);
		expect(run!.gatesPassed).toBe(body.gates.seed1.passed);
		expect(run!.metrics).toEqual(body.metrics);
		expect(run!.params).toMatchObject({ ...body.params, broker: body.broker });
		expect(run!.params.deviation_threshold).toBe(1.5);
		// Two days of one-minute bars cannot pass "≥ 2 years": the LIVE gate now refuses with the numbers.
		const permission = await liveTradingPermission({ storage, strategy: 'vwap-mean-reversion', symbol: 'BINANCE:BTCUSDT', overrideFailingBacktest: false });
		expect(permission).toMatchObject({ allowed: false, reason_code: 'backtest_failed', run_id: body.run_id });
		expect(permission.failed_gates.map((g) => g.name)).toContain('span_years');
	});

	it('judges the run by the requested gates profile', async () => {
		const { body } = await post({ symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-01', gates_profile: 'seed2' });
		expect((await storage.backtestRuns.getById(body.run_id))?.gatesProfile).toBe('seed2');
	});

	it('does not record a backtest of inline candles', async () => {
		const before = await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'ETH/USDT' });
		const inline = Array.from({ length: 300 }, (_, i) => [candles.openTime[i], candles.open[i], candles.high[i], candles.low[i], candles.close[i], candles.volume[i]]);
		const { status, body } = await post({ symbol: 'ETH/USDT', timeframe: '1m', candles: inline });
		expect(status).toBe(200);
		expect(body.run_id).toBeNull();
		expect(before).toBeNull();
		expect(await storage.backtestRuns.latestFor({ strategy: 'vwap_mean_reversion', symbol: 'ETH/USDT' })).toBeNull();
	});
});
