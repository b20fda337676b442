// The Binance fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCandles } from '../../../test/fakes/binanceCandles';
import { startFakeBinance, type FakeBinance } from '../../../test/fakes/fakeBinance';
import { InvalidInputError, OperatorError, RetryableError } from '../errors';
import { openStorage, type Storage } from '../storage/openStorage';
import { createMysqlTestDatabase } from '../storage/testDatabases';
import { createExchangeClient } from './createExchangeClient';
import type { ExchangeClient } from './ExchangeClient';
import { syncCandles } from './syncCandles';

const MIN = 60_000;
const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };
/** 2025-06-02 12:00:30 UTC: inside the real BTCUSDT 1m data the fake serves; the 12:00 bar is still open. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);

describe('syncCandles against the Binance fake with the real ccxt client', () => {
	let fake: FakeBinance;
	let client: ExchangeClient;
	let storage: Storage;
	let nowMs = T0;
	const clock = { now: () => nowMs };
	const klineRequests = () => fake.requests.filter((r) => r.path === '/api/v3/klines');

	beforeAll(async () => {
		fake = await startFakeBinance();
		loadCandles('BTCUSDT', '1m'); // parse the year of 1m candles once, before any request's 10 s timeout runs
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		nowMs = T0;
		client = createExchangeClient('binance', { baseUrl: fake.apiV3 });
		storage = await openStorage('sqlite::memory:');
		return () => storage.close();
	});

	it('first sync stores the closed candles since `sinceMs`, equal to the CSV, asking only for closed bars', async () => {
		const since = Date.UTC(2025, 5, 2, 7, 0);
		const result = await syncCandles({ ...key, sinceMs: since }, { storage, exchangeClient: client, clock });
		expect(result).toMatchObject({ inserted: 300, fetched: 300, droppedOpen: 0, complete: true, latestOpenTime: T0 - 30_000 - MIN });
		const endTime = Number(klineRequests()[0]!.query.endTime);
		expect(endTime, 'asks only for closed bars: endTime before the forming 12:00 bar').toBeLessThan(Date.UTC(2025, 5, 2, 12, 0));
		expect(endTime).toBeGreaterThanOrEqual(Date.UTC(2025, 5, 2, 11, 59));
		const stored = await storage.candles.range(key, 0, Number.MAX_SAFE_INTEGER);
		expect(stored).toHaveLength(300);
		const csv = loadCandles('BTCUSDT', '1m')!;
		const first = csv.time.indexOf(since);
		stored.forEach((c, i) => {
			expect(c.openTime).toBe(csv.time[first + i]);
			expect([c.open, c.high, c.low, c.close, c.volume]).toEqual([csv.open[first + i], csv.high[first + i], csv.low[first + i], csv.close[first + i], csv.volume[first + i]]);
		});
		expect(fake.requests.every((r) => r.path.startsWith('/api/v3/')), 'only the fake is contacted').toBe(true);
	});

	it('drops the still-open bar when the exchange ignores `until`', async () => {
		const real = client;
		const ignoresUntil: ExchangeClient = { id: 'binance', fetchOHLCV: (symbol, timeframe, since, limit) => real.fetchOHLCV(symbol, timeframe, since, limit) };
		const result = await syncCandles({ ...key, sinceMs: Date.UTC(2025, 5, 2, 7, 0) }, { storage, exchangeClient: ignoresUntil, clock });
		expect(result).toMatchObject({ fetched: 1000, inserted: 300, droppedOpen: 700, complete: true, latestOpenTime: Date.UTC(2025, 5, 2, 11, 59) });
		expect(await storage.candles.latestOpenTime(key)).toBe(Date.UTC(2025, 5, 2, 11, 59));
	});

	it('second sync fetches only the candles after the stored ones once the clock moves on', async () => {
		await syncCandles({ ...key, sinceMs: Date.UTC(2025, 5, 2, 7, 0) }, { storage, exchangeClient: client, clock });
		const before = klineRequests().length;
		nowMs = T0 + 5 * MIN;
		const result = await syncCandles(key, { storage, exchangeClient: client, clock });
		expect(result).toMatchObject({ inserted: 5, fetched: 5, latestOpenTime: Date.UTC(2025, 5, 2, 12, 4) });
		const requests = klineRequests().slice(before);
		expect(requests).toHaveLength(1);
		expect(Number(requests[0]!.query.startTime)).toBe(Date.UTC(2025, 5, 2, 12, 0));
		expect(await storage.candles.count(key)).toBe(305);
	});

	it('does not call the exchange when no new candle has closed, and re-syncing changes nothing', async () => {
		await syncCandles({ ...key, sinceMs: T0 - 30_000 - 10 * MIN }, { storage, exchangeClient: client, clock });
		const before = fake.requests.length;
		const again = await syncCandles(key, { storage, exchangeClient: client, clock });
		expect(again).toMatchObject({ fetched: 0, inserted: 0, pages: 0, complete: true });
		expect(fake.requests.length).toBe(before);
		expect(await storage.candles.count(key)).toBe(10);
	});

	it('pages by 1000 and stops after maxPages, resuming on the next call', async () => {
		const since = T0 - 30_000 - 2500 * MIN;
		const partial = await syncCandles({ ...key, sinceMs: since, maxPages: 2 }, { storage, exchangeClient: client, clock });
		expect(partial).toMatchObject({ inserted: 2000, pages: 2, complete: false });
		expect(klineRequests().map((r) => r.query.limit)).toEqual(['1000', '1000']);
		const rest = await syncCandles(key, { storage, exchangeClient: client, clock });
		expect(rest).toMatchObject({ inserted: 500, pages: 1, complete: true });
		expect(await storage.candles.count(key)).toBe(2500);
	});

	it('stops at untilMs', async () => {
		const result = await syncCandles({ ...key, sinceMs: T0 - 30_000 - 60 * MIN, untilMs: T0 - 30_000 - 31 * MIN }, { storage, exchangeClient: client, clock });
		expect(result.inserted).toBe(30);
		expect(result.latestOpenTime).toBe(T0 - 30_000 - 31 * MIN);
	});

	it('turns a 429 into a RetryableError carrying Retry-After, storing nothing', async () => {
		fake.failNext('klines', 'rate_limited_429');
		const error = await syncCandles({ ...key, sinceMs: T0 - 30_000 - 10 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableError);
		expect((error as RetryableError).retryAfterMs).toBe(17_000);
		expect(await storage.candles.count(key)).toBe(0);
	});

	it('turns a 418 IP ban into a RetryableError with the ban length', async () => {
		fake.failNext('klines', 'ip_banned_418');
		const error = await syncCandles({ ...key, sinceMs: T0 - 30_000 - 10 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableError);
		expect((error as RetryableError).retryAfterMs).toBe(120_000);
	});

	it('turns a 451 region block into an OperatorError (use a mirror) and a WAF 403 into a RetryableError', async () => {
		fake.failNext('klines', 'unavailable_451');
		const blocked = await syncCandles({ ...key, sinceMs: T0 - 30_000 - 10 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(blocked).toBeInstanceOf(OperatorError);
		expect((blocked as Error).message).toMatch(/BINANCE_BASE_URL/);
		fake.failNext('klines', 'waf_403');
		const waf = await syncCandles({ ...key, sinceMs: T0 - 30_000 - 10 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(waf).toBeInstanceOf(RetryableError);
	});

	it('refuses symbols outside the whitelist before contacting the exchange', async () => {
		for (const symbol of ['DOGE/USDT', 'BASE/USDT', 'BTC.D', '../../etc']) {
			const error = await syncCandles({ ...key, symbol }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
			expect(error, symbol).toBeInstanceOf(InvalidInputError);
		}
		expect(fake.requests).toHaveLength(0);
	});

	it('reports a whitelisted market the exchange does not list as invalid input', async () => {
		const error = await syncCandles({ ...key, symbol: 'NEAR/USDT' }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as Error).message).toMatch(/NEAR\/USDT/);
	});

	it('normalises the symbol (BTCUSDT → BTC/USDT, MATIC → POL) and rejects unknown timeframes', async () => {
		const result = await syncCandles({ ...key, symbol: 'BINANCE:BTCUSDT', sinceMs: T0 - 30_000 - 3 * MIN }, { storage, exchangeClient: client, clock });
		expect(result).toMatchObject({ symbol: 'BTC/USDT', inserted: 3 });
		const hourly = { exchange: 'binance', symbol: 'MATIC/USDT', timeframe: '1h' };
		const pol = await syncCandles({ ...hourly, sinceMs: Date.UTC(2025, 0, 1) }, { storage, exchangeClient: client, clock });
		expect(pol.symbol).toBe('POL/USDT');
		expect(pol.inserted).toBeGreaterThan(0);
		await expect(syncCandles({ ...key, timeframe: '7m' }, { storage, exchangeClient: client, clock })).rejects.toBeInstanceOf(InvalidInputError);
	});

	it('runs overlapping syncs of one series one after the other (no duplicate downloads)', async () => {
		const since = T0 - 30_000 - 100 * MIN;
		const [a, b] = await Promise.all([
			syncCandles({ ...key, sinceMs: since }, { storage, exchangeClient: client, clock }),
			syncCandles({ ...key, sinceMs: since }, { storage, exchangeClient: client, clock }),
		]);
		expect(a.inserted + b.inserted).toBe(100);
		expect(klineRequests()).toHaveLength(1);
	});
});

describe('syncCandles on MariaDB', () => {
	it('stores the first sync and then only the new candles, as on SQLite', async () => {
		const fake = await startFakeBinance();
		const db = await createMysqlTestDatabase('hfq_crawler');
		const storage = await openStorage(db.url);
		try {
			let nowMs = T0;
			const deps = { storage, exchangeClient: createExchangeClient('binance', { baseUrl: fake.apiV3 }), clock: { now: () => nowMs } };
			expect((await syncCandles({ ...key, sinceMs: Date.UTC(2025, 5, 2, 7, 0) }, deps)).inserted).toBe(300);
			nowMs += 5 * MIN;
			expect(await syncCandles(key, deps)).toMatchObject({ inserted: 5, latestOpenTime: Date.UTC(2025, 5, 2, 12, 4) });
			expect(await storage.candles.count(key)).toBe(305);
			const csv = loadCandles('BTCUSDT', '1m')!;
			const last = (await storage.candles.range(key, Date.UTC(2025, 5, 2, 12, 4), Date.UTC(2025, 5, 2, 12, 5)))[0]!;
			expect(last.close).toBe(csv.close[csv.time.indexOf(Date.UTC(2025, 5, 2, 12, 4))]);
		} finally {
			await storage.close();
			await db.drop();
			await fake.close();
		}
	});
});
