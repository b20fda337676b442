// The Binance fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinance, type FakeBinance } from '../../../test/fakes/fakeBinance';
import { createApp, type AppDeps } from '../app';
import { decodePng, pixelAt } from '../chart/decodePng';
import { CHART_COLORS } from '../chart/renderSignalChart';
import { loadConfig } from '../config';
import { createExchangeClient } from '../crawler/createExchangeClient';
import type { MarketDataDepsExtension } from '../crawler/marketDataFor';
import type { PipelineDepsExtension } from '../pipeline/createPipeline';
import { syncCandles } from '../crawler/syncCandles';
import { openStorage, type Storage } from '../storage/openStorage';

const MIN = 60_000;
/** 2025-06-02 12:00:30 UTC, inside the real BTCUSDT 1m candles the fake serves. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);
const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };

describe('GET /v1/decisions/:id/chart.png', () => {
	let fake: FakeBinance;
	let storage: Storage;
	const clock = { now: () => T0 };

	const appWith = (extra: MarketDataDepsExtension) => {
		const deps: AppDeps & MarketDataDepsExtension = { config: loadConfig({}), storage, clock, logError: () => {}, ...extra };
		return createApp(deps);
	};
	const client = () => createExchangeClient('binance', { baseUrl: fake.apiV3 });

	/** A stored BTC/USDT 1m buy decision like the pipeline writes (receipt + signal with the normalised alert). */
	async function storeDecision(entry: number, symbol = 'BTC/USDT'): Promise<number> {
		const { signal } = await storage.signals.insert({
			alertId: `a-${symbol}-${entry}`,
			source: 'tradingview',
			symbol,
			action: 'buy',
			payload: { alert: { ticker: symbol }, normalized: { symbol, interval: '1', exchange: 'BINANCE', timeMs: T0 - 30_000, action: 'buy' } }, // time_close of the 11:59 bar
			receivedAt: T0,
			signalTime: T0 - 30_000 - MIN,
		});
		const { decision } = await storage.decisions.insert({
			signalId: signal.id,
			alertId: signal.alertId,
			status: 'approved',
			reasonCode: 'approved',
			symbol,
			receipt: { symbol, action: 'buy', status: 'approved', entry, stop: entry * 0.97, target: entry * 1.045, reward_risk: 1.5 },
			createdAt: T0,
		});
		return decision.id;
	}

	/** Rows of the image whose pixels at x = 400 have exactly `rgb`. */
	const rowsWithColor = (png: Uint8Array, rgb: readonly number[]) => {
		const img = decodePng(png);
		const rows: number[] = [];
		for (let y = 0; y < img.height; y++) {
			const p = pixelAt(img, 400, y);
			if (p[0] === rgb[0] && p[1] === rgb[1] && p[2] === rgb[2]) rows.push(y);
		}
		return rows;
	};

	beforeAll(async () => {
		fake = await startFakeBinance();
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		storage = await openStorage('sqlite::memory:');
		return () => storage.close();
	});

	it('answers 404 for an unknown decision and 422 for a malformed id', async () => {
		const app = appWith({ exchangeClient: null });
		const res = await app.request('/v1/decisions/999/chart.png');
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ detail: 'decision 999 not found' });
		expect((await app.request('/v1/decisions/abc/chart.png')).status).toBe(422);
	});

	it('returns an 800×450 PNG of the stored candles with the entry, stop and target lines', async () => {
		await syncCandles({ ...key, sinceMs: T0 - 30_000 - 300 * MIN }, { storage, exchangeClient: client(), clock });
		const entry = (await storage.candles.range(key, T0 - 30_000 - MIN, T0)).at(-1)!.close;
		const id = await storeDecision(entry);
		const requestsBefore = fake.requests.length;
		const res = await appWith({ exchangeClient: client() }).request(`/v1/decisions/${id}/chart.png`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(res.headers.get('x-chart-bars')).toBe('150');
		expect(fake.requests.length, 'enough bars stored: no sync').toBe(requestsBefore);
		const png = new Uint8Array(await res.arrayBuffer());
		const img = decodePng(png);
		expect([img.width, img.height]).toEqual([800, 450]);
		const out = join(__dirname, '..', '..', '..', 'test-results', 'chart');
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'decision-chart.png'), png);
		const entryRows = rowsWithColor(png, CHART_COLORS.entry);
		const stopRows = rowsWithColor(png, CHART_COLORS.stop);
		const targetRows = rowsWithColor(png, CHART_COLORS.target);
		expect(entryRows.length).toBeGreaterThanOrEqual(2);
		expect(stopRows.length).toBeGreaterThanOrEqual(2);
		expect(targetRows.length).toBeGreaterThanOrEqual(2);
		expect(Math.min(...targetRows)).toBeLessThan(Math.min(...entryRows));
		expect(Math.min(...stopRows)).toBeGreaterThan(Math.max(...entryRows));
	});

	it('syncs candles first when fewer than 60 are stored and an exchange is configured', async () => {
		const id = await storeDecision(105_000);
		const res = await appWith({ exchangeClient: client() }).request(`/v1/decisions/${id}/chart.png`);
		expect(res.status).toBe(200);
		expect(Number(res.headers.get('x-chart-bars'))).toBe(150);
		expect(fake.requests.some((r) => r.path === '/api/v3/klines')).toBe(true);
		expect(await storage.candles.count(key)).toBeGreaterThanOrEqual(150);
	});

	it('draws the levels alone and says so when no market data is stored and no exchange is configured', async () => {
		const id = await storeDecision(105_000);
		const res = await appWith({ exchangeClient: null }).request(`/v1/decisions/${id}/chart.png`);
		expect(res.status).toBe(200);
		expect(res.headers.get('x-chart-bars')).toBe('0');
		expect(res.headers.get('x-chart-note')).toMatch(/no exchange configured/);
		const png = new Uint8Array(await res.arrayBuffer());
		writeFileSync(join(__dirname, '..', '..', '..', 'test-results', 'chart', 'decision-chart-no-data.png'), png);
		expect(rowsWithColor(png, CHART_COLORS.entry).length).toBeGreaterThanOrEqual(2);
		expect(fake.requests).toHaveLength(0);
	});

	it('still renders when the exchange rate-limits the sync, noting why', async () => {
		const id = await storeDecision(105_000);
		fake.failNext('klines', 'rate_limited_429');
		const res = await appWith({ exchangeClient: client() }).request(`/v1/decisions/${id}/chart.png`);
		expect(res.status).toBe(200);
		expect(res.headers.get('x-chart-note')).toMatch(/market data unavailable: rate limited/);
	});

	it('charts a decision the real pipeline made from a TradingView alert, on the alert interval (60 → 1h)', async () => {
		const secret = 'chart-test-secret-0123456789';
		const deps: AppDeps & MarketDataDepsExtension & PipelineDepsExtension = {
			config: loadConfig({}),
			storage,
			clock,
			logError: () => {},
			exchangeClient: client(),
			pipeline: { webhookSecret: secret, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null },
		};
		const app = createApp(deps);
		const alert = { secret, alert_id: 'chart-e2e-1', action: 'buy', ticker: 'BINANCE:BTCUSDT', interval: '60', time: Date.UTC(2025, 5, 2, 12), close: 105_000, stop: 104_000, target: 106_600 };
		const intake = await app.request('/v1/signals/tradingview', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(alert) });
		expect(intake.status).toBe(200);
		const { decision_id: id } = (await intake.json()) as { decision_id: number };
		const res = await app.request(`/v1/decisions/${id}/chart.png`);
		expect(res.status).toBe(200);
		expect(res.headers.get('x-chart-bars')).toBe('150');
		expect(await storage.candles.count({ ...key, timeframe: '1h' })).toBeGreaterThanOrEqual(150);
		const png = new Uint8Array(await res.arrayBuffer());
		expect(rowsWithColor(png, CHART_COLORS.entry).length).toBeGreaterThanOrEqual(2);
		writeFileSync(join(__dirname, '..', '..', '..', 'test-results', 'chart', 'decision-chart-1h.png'), png);
	});
});
