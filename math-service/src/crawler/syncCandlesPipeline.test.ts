import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../errors';
import { openStorage, type Storage } from '../storage/openStorage';
import type { Candle } from '../storage/schema';
import type { ExchangeClient } from './ExchangeClient';
import { syncCandles } from './syncCandles';

const MIN = 60_000;
const key = { exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1m' };
const SINCE = Date.UTC(2024, 0, 1);
const clock = { now: () => SINCE + 10_000 * MIN };
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

/** An exchange with every 1m bar, answering after a few ms; `failAt` names request numbers (1-based) that fail. */
function scriptedExchange(events: string[], failAt: number[] = []) {
	let calls = 0;
	const client: ExchangeClient = {
		id: 'bybit',
		async fetchOHLCV(_symbol, _timeframe, since, limit, params) {
			const call = ++calls;
			events.push(`request ${call}`);
			await tick();
			if (failAt.includes(call)) throw new RetryableError(`request ${call} failed`, 1_000);
			const end = Math.min(Number(params?.until), since! + (limit! - 1) * MIN);
			const rows: unknown[][] = [];
			for (let t = since!; t <= end; t += MIN) rows.push([t, 1, 2, 0.5, 1.5, 3]);
			return rows;
		},
	};
	return { client, calls: () => calls };
}

/** Storage whose candle writes are logged and take a few ms (or fail at write number `failAt`). */
function loggedStorage(storage: Storage, events: string[], failAt?: number) {
	let writes = 0;
	const candles = Object.create(storage.candles) as Storage['candles'];
	candles.upsertMany = async (rows: readonly Candle[]) => {
		const write = ++writes;
		events.push(`store ${write} begins`);
		await tick();
		if (write === failAt) throw new Error(`write ${write} failed`);
		const n = await storage.candles.upsertMany(rows);
		events.push(`store ${write} done`);
		return n;
	};
	return { candles };
}

describe('syncCandles keeps the next request in flight while a page is stored', () => {
	let storage: Storage;
	beforeEach(async () => {
		storage = await openStorage('sqlite::memory:');
	});
	afterEach(() => storage.close());

	it('asks for the next page before the current one is stored, in order, with exactly ceil(missing / 1000) requests', async () => {
		const events: string[] = [];
		const exchange = scriptedExchange(events);
		const result = await syncCandles({ ...key, sinceMs: SINCE, untilMs: SINCE + 4_499 * MIN, maxPages: 50 }, { storage: loggedStorage(storage, events), exchangeClient: exchange.client, clock });
		expect(result).toMatchObject({ inserted: 4_500, pages: 5, complete: true, latestOpenTime: SINCE + 4_499 * MIN, gaps: [] });
		expect(exchange.calls()).toBe(5);
		expect(events.indexOf('request 2'), 'request 2 goes out before page 1 is stored').toBeLessThan(events.indexOf('store 1 done'));
		expect(events.indexOf('request 3'), 'request 3 goes out before page 1 is stored').toBeLessThan(events.indexOf('store 1 done'));
		expect(events.filter((e) => e.startsWith('store') && e.endsWith('done'))).toEqual(['store 1 done', 'store 2 done', 'store 3 done', 'store 4 done', 'store 5 done']);
		expect(await storage.candles.count(key)).toBe(4_500);
	});

	it('sends one request only until the exchange has answered once: a failing first request costs one request', async () => {
		const events: string[] = [];
		const exchange = scriptedExchange(events, [1]);
		await expect(syncCandles({ ...key, sinceMs: SINCE, untilMs: SINCE + 4_499 * MIN, maxPages: 50 }, { storage, exchangeClient: exchange.client, clock })).rejects.toThrow(RetryableError);
		expect(exchange.calls()).toBe(1);
		expect(await storage.candles.count(key)).toBe(0);
	});

	it('never asks for more than maxPages pages', async () => {
		const exchange = scriptedExchange([]);
		const result = await syncCandles({ ...key, sinceMs: SINCE, untilMs: SINCE + 4_499 * MIN, maxPages: 2 }, { storage, exchangeClient: exchange.client, clock });
		expect(result).toMatchObject({ inserted: 2_000, pages: 2, complete: false });
		expect(exchange.calls()).toBe(2);
	});

	it('keeps the whole pages before a failed request, nothing after it, and the next call catches up without a hole', async () => {
		const exchange = scriptedExchange([], [3]);
		const until = SINCE + 4_499 * MIN;
		await expect(syncCandles({ ...key, sinceMs: SINCE, untilMs: until, maxPages: 50 }, { storage, exchangeClient: exchange.client, clock })).rejects.toThrow('request 3 failed');
		expect(await storage.candles.count(key)).toBe(2_000);
		expect(await storage.candles.latestOpenTime(key)).toBe(SINCE + 1_999 * MIN);
		const healthy = scriptedExchange([]);
		const rest = await syncCandles({ ...key, sinceMs: SINCE, untilMs: until, maxPages: 50 }, { storage, exchangeClient: healthy.client, clock });
		expect(rest).toMatchObject({ inserted: 2_500, pages: 3, complete: true, gaps: [] });
		expect(await storage.candles.count(key)).toBe(4_500);
		expect(await storage.candles.gaps(key, MIN, SINCE, until + 1)).toEqual([]);
	});

	it('stops at a failed write: the pages after it are not stored, and no request error goes unhandled', async () => {
		const events: string[] = [];
		const exchange = scriptedExchange(events, [4]);
		await expect(syncCandles({ ...key, sinceMs: SINCE, untilMs: SINCE + 4_499 * MIN, maxPages: 50 }, { storage: loggedStorage(storage, events, 2), exchangeClient: exchange.client, clock })).rejects.toThrow('write 2 failed');
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(await storage.candles.count(key)).toBe(1_000);
		expect(exchange.calls(), 'at most the requests already in flight').toBeLessThanOrEqual(4);
	});
});
