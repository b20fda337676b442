// The Bybit fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCandles } from '../../../test/fakes/binanceCandles';
import { startFakeBybit, type FakeBybit } from '../../../test/fakes/fakeBybit';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { createExchangeClient } from '../crawler/createExchangeClient';
import type { ExchangeClient } from '../crawler/ExchangeClient';
import type { MarketDataDepsExtension } from '../crawler/marketDataFor';
import { openStorage, type Storage } from '../storage/openStorage';

const MIN = 60_000;
/** 2025-06-02 12:00:30 UTC, inside the real BTCUSDT 1m candles the fake serves. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);
const SINCE = Date.UTC(2025, 5, 2, 7, 0);

describe('/v1/candles on Bybit: exchange default, gaps, resampling on read, ticker', () => {
	let fake: FakeBybit;
	let storage: Storage;
	let app: ReturnType<typeof createApp>;
	let client: ExchangeClient;
	const post = async (path: string, body: unknown) => {
		const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	const get = async (path: string) => {
		const res = await app.request(path);
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	const appWith = (exchangeClient: ExchangeClient) => {
		const deps: AppDeps & MarketDataDepsExtension = { config: loadConfig({}), storage, clock: { now: () => T0 }, logError: () => {}, exchangeClient };
		return createApp(deps);
	};

	beforeAll(async () => {
		fake = await startFakeBybit();
		loadCandles('BTCUSDT', '1m'); // parse the 1m file before any request's timeout runs
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		storage = await openStorage('sqlite::memory:');
		client = createExchangeClient('bybit', { baseUrl: fake.url });
		app = appWith(client);
		return () => storage.close();
	});

	it('syncs the injected exchange when the request names none, and stores under bybit', async () => {
		const res = await post('/v1/candles/sync', { symbol: 'BTC/USDT', since: SINCE });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ exchange: 'bybit', inserted: 300, gaps: [] });
		expect(fake.requests.some((r) => r.path === '/v5/market/kline')).toBe(true);
		expect((await get('/v1/candles?exchange=binance&symbol=BTC/USDT&limit=10')).body.count).toBe(0);
		expect((await get('/v1/candles?exchange=bybit&symbol=BTC/USDT&limit=10')).body.count).toBe(10);
	});

	it('reports bars the exchange lacks as gaps in the sync answer and GET /gaps, without inventing them', async () => {
		const hole = [Date.UTC(2025, 5, 2, 8, 30), Date.UTC(2025, 5, 2, 8, 32)];
		const holed: ExchangeClient = { id: 'bybit', fetchOHLCV: async (...a) => (await client.fetchOHLCV(...a)).filter((r) => Number(r[0]) < hole[0]! || Number(r[0]) > hole[1]!) };
		app = appWith(holed);
		const res = await post('/v1/candles/sync', { exchange: 'bybit', symbol: 'BTC/USDT', since: SINCE });
		const gap = { from_open_time: hole[0], to_open_time: hole[1], missing_bars: 3 };
		expect(res.body.gaps).toEqual([gap]);
		expect((await get('/v1/candles/gaps?exchange=bybit&symbol=BTC/USDT&timeframe=1m')).body).toMatchObject({ count: 1, gaps: [gap] });
		const after = (await get(`/v1/candles?exchange=bybit&symbol=BTC/USDT&from=${hole[0]}&limit=4`)).body;
		expect(after.candles.map((c: { open_time: number }) => c.open_time), "nothing stored in the hole").toEqual([hole[1]! + MIN]);
	});

	it('serves 1h bars resampled from stored 1m bars, equal to the hand aggregate, without the unfinished hour', async () => {
		await post('/v1/candles/sync', { exchange: 'bybit', symbol: 'BTC/USDT', since: SINCE, until: Date.UTC(2025, 5, 2, 11, 29) });
		const res = await get('/v1/candles?exchange=bybit&symbol=BTC/USDT&timeframe=1h&limit=10');
		expect(res.status).toBe(200);
		expect(res.body.source).toBe('resampled_1m');
		expect(res.body.candles.map((c: { open_time: number }) => c.open_time)).toEqual([7, 8, 9, 10].map((h) => Date.UTC(2025, 5, 2, h)));
		const csv = loadCandles('BTCUSDT', '1m')!;
		const i = csv.time.indexOf(Date.UTC(2025, 5, 2, 9));
		const hour = { open: csv.open[i], high: Math.max(...csv.high.slice(i, i + 60)), low: Math.min(...csv.low.slice(i, i + 60)), close: csv.close[i + 59] };
		expect(res.body.candles[2]).toMatchObject({ ...hour, missing_bars: 0 });
		expect(res.body.candles[2].volume).toBeCloseTo(csv.volume.slice(i, i + 60).reduce((a, b) => a + b, 0), 8);
	});

	it('gives the latest stored close as the ticker, and null with a reason before any sync', async () => {
		const empty = await get('/v1/candles/ticker?symbol=BTC/USDT');
		expect(empty.body).toMatchObject({ exchange: 'bybit', price: null });
		expect(empty.body.reason).toMatch(/sync/);
		await post('/v1/candles/sync', { symbol: 'BTC/USDT', since: SINCE });
		const csv = loadCandles('BTCUSDT', '1m')!;
		const last = csv.time.indexOf(Date.UTC(2025, 5, 2, 11, 59));
		expect((await get('/v1/candles/ticker?symbol=BTCUSDT')).body).toMatchObject({ symbol: 'BTC/USDT', price: csv.close[last], as_of: Date.UTC(2025, 5, 2, 12, 0) });
	});
});
