// The Bybit fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCandles } from '../../../test/fakes/binanceCandles';
import { startFakeBybit, type FakeBybit } from '../../../test/fakes/fakeBybit';
import { RetryableError } from '../errors';
import { openStorage, type Storage } from '../storage/openStorage';
import { createExchangeClient } from './createExchangeClient';
import type { ExchangeClient } from './ExchangeClient';
import { syncCandles } from './syncCandles';

const MIN = 60_000;
const key = { exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1m' };
/** 2025-06-02 12:00:30 UTC: inside the real BTCUSDT 1m data the fake serves; the 12:00 bar is still open. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);
const LAST_CLOSED = Date.UTC(2025, 5, 2, 11, 59);

describe('syncCandles against the Bybit v5 fake with the real ccxt client', () => {
	let fake: FakeBybit;
	let client: ExchangeClient;
	let storage: Storage;
	const clock = { now: () => T0 };
	const klineRequests = () => fake.requests.filter((r) => r.path === '/v5/market/kline');

	beforeAll(async () => {
		fake = await startFakeBybit();
		loadCandles('BTCUSDT', '1m'); // parse the year of 1m candles once, before any request's 10 s timeout runs
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		client = createExchangeClient('bybit', { baseUrl: fake.url });
		storage = await openStorage('sqlite::memory:');
		return () => storage.close();
	});

	it('stores the closed 1m bars since `sinceMs` under exchange bybit, equal to the real candles', async () => {
		const since = Date.UTC(2025, 5, 2, 7, 0);
		const result = await syncCandles({ ...key, sinceMs: since }, { storage, exchangeClient: client, clock });
		expect(result).toMatchObject({ exchange: 'bybit', inserted: 300, droppedOpen: 0, pages: 1, complete: true, latestOpenTime: LAST_CLOSED, gaps: [] });
		expect(klineRequests()[0]!.query).toMatchObject({ category: 'spot', symbol: 'BTCUSDT', interval: '1', start: String(since), end: String(T0 - MIN), limit: '1000' });
		const stored = await storage.candles.range(key, 0, Number.MAX_SAFE_INTEGER);
		const csv = loadCandles('BTCUSDT', '1m')!;
		const first = csv.time.indexOf(since);
		expect(stored).toHaveLength(300);
		stored.forEach((c, i) => expect([c.openTime, c.open, c.high, c.low, c.close, c.volume]).toEqual([csv.time[first + i], csv.open[first + i], csv.high[first + i], csv.low[first + i], csv.close[first + i], csv.volume[first + i]]));
		expect(await storage.candles.count({ ...key, exchange: 'binance' }), 'keyed by exchange').toBe(0);
	});

	it('backfills 2,500 missing bars with exactly ceil(2500 / 1000) = 3 windowed requests, then resumes with none', async () => {
		const since = LAST_CLOSED - 2499 * MIN;
		const result = await syncCandles({ ...key, sinceMs: since }, { storage, exchangeClient: client, clock });
		expect(result).toMatchObject({ inserted: 2500, pages: 3, complete: true });
		expect(klineRequests().map((r) => [Number(r.query.start), Number(r.query.end)])).toEqual([
			[since, since + 999 * MIN],
			[since + 1000 * MIN, since + 1999 * MIN],
			[since + 2000 * MIN, T0 - MIN],
		]);
		expect(await storage.candles.count(key)).toBe(2500);
		const again = await syncCandles(key, { storage, exchangeClient: client, clock });
		expect(again).toMatchObject({ inserted: 0, pages: 0 });
	});

	it('records bars the exchange does not have as a gap and stores nothing in their place', async () => {
		const holeFrom = Date.UTC(2025, 5, 2, 9, 10);
		const holeTo = Date.UTC(2025, 5, 2, 9, 14);
		const missing: ExchangeClient = {
			id: 'bybit',
			fetchOHLCV: async (...args) => (await client.fetchOHLCV(...args)).filter((row) => Number(row[0]) < holeFrom || Number(row[0]) > holeTo),
		};
		const result = await syncCandles({ ...key, sinceMs: Date.UTC(2025, 5, 2, 7, 0) }, { storage, exchangeClient: missing, clock });
		expect(result.inserted).toBe(295);
		expect(result.gaps).toEqual([{ fromOpenTime: holeFrom, toOpenTime: holeTo, missingBars: 5 }]);
		expect(await storage.candles.range(key, holeFrom, holeTo + MIN)).toEqual([]);
	});

	it('turns retCode 10006 into a RetryableError until the X-Bapi-Limit-Reset-Timestamp, and an HTTP 403 into a 10-minute wait', async () => {
		fake.failNext('kline', 'rate_limit_10006', { resetInMs: 20_000 });
		const limited = await syncCandles({ ...key, sinceMs: LAST_CLOSED - 9 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(limited).toBeInstanceOf(RetryableError);
		expect((limited as RetryableError).retryAfterMs).toBeGreaterThan(15_000);
		expect((limited as RetryableError).retryAfterMs).toBeLessThanOrEqual(20_000);
		fake.failNext('kline', 'ip_rate_limit_403');
		const banned = await syncCandles({ ...key, sinceMs: LAST_CLOSED - 9 * MIN }, { storage, exchangeClient: client, clock }).catch((e: unknown) => e);
		expect(banned).toBeInstanceOf(RetryableError);
		expect((banned as RetryableError).retryAfterMs, (banned as Error).message).toBe(600_000);
		expect(await storage.candles.count(key)).toBe(0);
	});

	it('survives a rate-limit storm (retCode 10006, then HTTP 403) in the middle of a backfill: runs in the storm store nothing, later runs catch up without a hole', async () => {
		let now = T0;
		const moving = { now: () => now };
		const since = LAST_CLOSED - 2499 * MIN;
		const first = await syncCandles({ ...key, sinceMs: since, maxPages: 1 }, { storage, exchangeClient: client, clock: moving });
		expect(first).toMatchObject({ inserted: 1000, complete: false });
		fake.failNext('kline', 'rate_limit_10006', { times: 4, resetInMs: 1_000 });
		fake.failNext('kline', 'ip_rate_limit_403', { times: 2 });
		// the heartbeat fires every minute through the storm: each run fails retryably and stores nothing
		for (let run = 0; run < 6; run++) {
			now += MIN;
			const failed = await syncCandles(key, { storage, exchangeClient: client, clock: moving }).catch((e: unknown) => e);
			expect(failed, `run ${run} in the storm`).toBeInstanceOf(RetryableError);
			expect(await storage.candles.count(key)).toBe(1000);
		}
		// after the storm the next runs catch up to the bar closed last, every minute stored once
		now += MIN;
		let result = await syncCandles(key, { storage, exchangeClient: client, clock: moving });
		while (!result.complete) result = await syncCandles(key, { storage, exchangeClient: client, clock: moving });
		const lastClosed = Math.floor(now / MIN) * MIN - MIN;
		expect(result.latestOpenTime).toBe(lastClosed);
		const stored = await storage.candles.range(key, 0, Number.MAX_SAFE_INTEGER);
		expect(stored).toHaveLength((lastClosed - since) / MIN + 1);
		const csv = loadCandles('BTCUSDT', '1m')!;
		const at = csv.time.indexOf(since);
		stored.forEach((c, i) => expect([c.openTime, c.close], `bar ${i}`).toEqual([csv.time[at + i], csv.close[at + i]]));
		expect(await storage.candles.gaps(key, MIN, since, lastClosed + 1)).toEqual([]);
	});
});
