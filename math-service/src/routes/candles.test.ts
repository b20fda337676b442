// The Binance fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinance, type FakeBinance } from '../../../test/fakes/fakeBinance';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { createExchangeClient } from '../crawler/createExchangeClient';
import type { MarketDataDepsExtension } from '../crawler/marketDataFor';
import { openStorage, type Storage } from '../storage/openStorage';

const MIN = 60_000;
/** 2025-06-02 12:00:30 UTC, inside the real BTCUSDT 1m candles the fake serves. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);

describe('/v1/candles routes (Binance fake, real ccxt)', () => {
	let fake: FakeBinance;
	let storage: Storage;
	let nowMs = T0;
	let app: ReturnType<typeof createApp>;

	const post = async (path: string, body: unknown) => {
		const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
	};
	const get = async (path: string) => {
		const res = await app.request(path);
		return { status: res.status, body: (await res.json()) as Record<string, unknown> };
	};

	beforeAll(async () => {
		fake = await startFakeBinance();
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		nowMs = T0;
		storage = await openStorage('sqlite::memory:');
		const deps: AppDeps & MarketDataDepsExtension = {
			config: loadConfig({}),
			storage,
			clock: { now: () => nowMs },
			logError: () => {},
			exchangeClient: createExchangeClient('binance', { baseUrl: fake.apiV3 }),
		};
		app = createApp(deps);
		return () => storage.close();
	});

	it('POST /sync stores the closed candles, then only the new ones after the clock advances', async () => {
		const first = await post('/v1/candles/sync', { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', since: new Date(Date.UTC(2025, 5, 2, 7)).toISOString() });
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({
			exchange: 'binance',
			symbol: 'BTC/USDT',
			timeframe: '1m',
			fetched: 300,
			inserted: 300,
			complete: true,
			latest_open_time: Date.UTC(2025, 5, 2, 11, 59),
			latest_open_time_iso: '2025-06-02T11:59:00.000Z',
		});
		nowMs += 5 * MIN;
		const second = await post('/v1/candles/sync', { symbol: 'BTCUSDT', timeframe: '1m' });
		expect(second.body).toMatchObject({ fetched: 5, inserted: 5, latest_open_time: Date.UTC(2025, 5, 2, 12, 4) });
		expect(await storage.candles.count({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' })).toBe(305);
	});

	it('GET / returns the newest `limit` bars oldest first, or the bars from `from`', async () => {
		await post('/v1/candles/sync', { symbol: 'BTC/USDT', timeframe: '1m', since: T0 - 30_000 - 60 * MIN });
		const latest = await get('/v1/candles?symbol=BTC/USDT&timeframe=1m&limit=10');
		expect(latest.status).toBe(200);
		const candles = latest.body.candles as { open_time: number; close: number }[];
		expect(candles).toHaveLength(10);
		expect(candles.at(-1)!.open_time).toBe(Date.UTC(2025, 5, 2, 11, 59));
		expect(candles[0]!.open_time).toBe(Date.UTC(2025, 5, 2, 11, 50));
		const stored = await storage.candles.range({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, Date.UTC(2025, 5, 2, 11, 50), Date.UTC(2025, 5, 2, 12));
		expect(candles.map((c) => c.close)).toEqual(stored.map((c) => c.close));
		const fromStart = await get(`/v1/candles?symbol=btcusdt&timeframe=1m&from=${Date.UTC(2025, 5, 2, 11, 0)}&limit=3`);
		expect((fromStart.body.candles as { open_time: number }[]).map((c) => c.open_time)).toEqual([0, 1, 2].map((k) => Date.UTC(2025, 5, 2, 11, k)));
		const window = await get(`/v1/candles?symbol=BTC/USDT&timeframe=1m&from=2025-06-02T11:10:00Z&to=2025-06-02T11:20:00Z`);
		expect(window.body.count).toBe(10);
	});

	it('refuses a symbol outside the whitelist with 422 before contacting the exchange', async () => {
		const res = await post('/v1/candles/sync', { symbol: 'DOGE/USDT', timeframe: '1m' });
		expect(res.status).toBe(422);
		expect(JSON.stringify(res.body)).toMatch(/not_whitelisted/);
		expect(fake.requests).toHaveLength(0);
	});

	it('answers 422 for a bad timeframe, limit or time', async () => {
		expect((await post('/v1/candles/sync', { symbol: 'BTC/USDT', timeframe: '7m' })).status).toBe(422);
		expect((await post('/v1/candles/sync', { symbol: 'BTC/USDT', since: 'yesterday' })).status).toBe(422);
		expect((await get('/v1/candles?symbol=BTC/USDT&limit=0')).status).toBe(422);
		expect((await get('/v1/candles?symbol=BTC/USDT&from=soon')).status).toBe(422);
		expect((await get('/v1/candles?timeframe=1m')).status).toBe(422);
	});

	it('builds the real ccxt client from BINANCE_BASE_URL when none is injected', async () => {
		process.env.BINANCE_BASE_URL = fake.url; // bare origin: /api/v3 is appended
		try {
			const envApp = createApp({ config: loadConfig({}), storage, clock: { now: () => nowMs }, logError: () => {} });
			const res = await envApp.request('/v1/candles/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'ETH/USDT', timeframe: '1h', since: '2025-06-01' }) });
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ symbol: 'ETH/USDT', inserted: 36 }); // 2025-06-01 00:00 … 06-02 11:00 (closed at 11:59:59.999); the 12:00 bar is still open
			expect(fake.requests.some((r) => r.path === '/api/v3/klines' && r.query.symbol === 'ETHUSDT')).toBe(true);
		} finally {
			delete process.env.BINANCE_BASE_URL;
		}
	});

	it('turns an exchange 429 into 503 with Retry-After', async () => {
		fake.failNext('klines', 'rate_limited_429');
		const res = await post('/v1/candles/sync', { symbol: 'BTC/USDT', timeframe: '1m', since: T0 - 30_000 - 10 * MIN });
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('17');
	});
});
