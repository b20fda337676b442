import ccxt from 'ccxt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { bucketStart, closeTime, loadCandles } from './binanceCandles';
import { startFakeBinance, type FakeBinance } from './fakeBinance';
import { loadSample } from './fakeServer';

type Kline = [number, string, string, string, string, string, number, string, number, string, string, string];

describe('fake Binance spot klines', () => {
	let fake: FakeBinance;
	const klines = (query: Record<string, string | number>) =>
		fetch(`${fake.apiV3}/klines?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);

	beforeAll(async () => {
		fake = await startFakeBinance();
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset());

	it('serves the real candles of the api-samples file: columns 0-6 identical, numbers as strings', async () => {
		for (const [file, interval] of [
			['klines_BTCUSDT_1h.json', '1h'],
			['klines_BTCUSDT_1m.json', '1m'],
		] as const) {
			const sample = loadSample<Kline[]>('binance', file);
			const res = await klines({ symbol: 'BTCUSDT', interval, startTime: sample[0][0], endTime: sample.at(-1)![0] });
			expect(res.status).toBe(200);
			const rows = (await res.json()) as Kline[];
			expect(rows.map((row) => row.slice(0, 7))).toEqual(sample.map((row) => row.slice(0, 7)));
			expect(rows.every((row) => row.length === 12 && typeof row[1] === 'string' && typeof row[8] === 'number')).toBe(true);
		}
	});

	it('caps limit at 1000, defaults to 500, and returns the latest candles without a range', async () => {
		const thousand = (await (await klines({ symbol: 'ETHUSDT', interval: '1h', startTime: 0, limit: 5000 })).json()) as Kline[];
		expect(thousand).toHaveLength(1000);
		const latest = (await (await klines({ symbol: 'ETHUSDT', interval: '1h' })).json()) as Kline[];
		expect(latest).toHaveLength(500);
		const all = loadCandles('ETHUSDT', '1h')!;
		expect(latest.at(-1)![0]).toBe(all.time[all.length - 1]);
		const ending = (await (await klines({ symbol: 'ETHUSDT', interval: '1h', endTime: 1_700_000_000_000, limit: 3 })).json()) as Kline[];
		expect(ending).toHaveLength(3);
		expect(ending.at(-1)![0]).toBeLessThanOrEqual(1_700_000_000_000);
	});

	it('builds 4h candles from the 1h file with Binance bucket rules', async () => {
		const start = Date.UTC(2025, 2, 4, 0);
		const rows = (await (await klines({ symbol: 'BTCUSDT', interval: '4h', startTime: start, limit: 1 })).json()) as Kline[];
		const hourly = (await (await klines({ symbol: 'BTCUSDT', interval: '1h', startTime: start, limit: 4 })).json()) as Kline[];
		expect(rows[0][0]).toBe(start);
		expect(rows[0][6]).toBe(start + 4 * 3_600_000 - 1);
		expect(rows[0][1]).toBe(hourly[0][1]);
		expect(Number(rows[0][2])).toBe(Math.max(...hourly.map((h) => Number(h[2]))));
		expect(Number(rows[0][3])).toBe(Math.min(...hourly.map((h) => Number(h[3]))));
		expect(rows[0][4]).toBe(hourly[3][4]);
		expect(Number(rows[0][5])).toBeCloseTo(hourly.reduce((sum, h) => sum + Number(h[5]), 0), 6);
	});

	it('aligns weeks to Monday and months to the 1st, closing 1 ms before the next bucket', () => {
		const wed = Date.UTC(2025, 2, 5, 13); // Wednesday 2025-03-05
		expect(new Date(bucketStart(wed, '1w')).toISOString()).toBe('2025-03-03T00:00:00.000Z');
		expect(new Date(bucketStart(wed, '1M')).toISOString()).toBe('2025-03-01T00:00:00.000Z');
		expect(closeTime(Date.UTC(2025, 1, 1), '1M')).toBe(Date.UTC(2025, 2, 1) - 1);
	});

	it('answers Binance errors for bad symbol, interval and limit', async () => {
		const badSymbol = await klines({ symbol: 'DOGEUSDT', interval: '1h' });
		expect(badSymbol.status).toBe(400);
		expect(await badSymbol.json()).toEqual({ code: -1121, msg: 'Invalid symbol.' });
		expect(await (await klines({ symbol: 'BTCUSDT', interval: '1H' })).json()).toEqual({ code: -1120, msg: 'Invalid interval.' });
		expect((await (await klines({ symbol: 'BTCUSDT', interval: '1h', limit: 'ten' })).json()).code).toBe(-1100);
	});

	it('answers 429 with Retry-After once when told to, and reports used weight', async () => {
		fake.failNext('klines', 'rate_limited_429', { retryAfter: 1 });
		const limited = await klines({ symbol: 'BTCUSDT', interval: '1h', limit: 1 });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('1');
		expect((await limited.json()).code).toBe(-1003);
		const ok = await klines({ symbol: 'BTCUSDT', interval: '1h', limit: 1 });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('x-mbx-used-weight-1m')).toBe('4');
	});

	it('lets the real ccxt binance client load markets and fetchOHLCV against it', async () => {
		const exchange = new ccxt.binance({
			urls: { api: { public: fake.apiV3 } },
			options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
		});
		const since = Date.UTC(2025, 2, 4, 0);
		const ohlcv = await exchange.fetchOHLCV('BTC/USDT', '1h', since, 5);
		const sample = loadSample<Kline[]>('binance', 'klines_BTCUSDT_1h.json');
		expect(ohlcv.slice(0, sample.length)).toEqual(sample.map((row) => [row[0], ...row.slice(1, 6).map(Number)]));
		expect(exchange.markets!['BTC/USDT']).toMatchObject({ spot: true, active: true, base: 'BTC', quote: 'USDT' });
		expect(exchange.markets!['MATIC/USDT'].active).toBe(false);
		expect(fake.requests.every((request) => request.path.startsWith('/api/v3/'))).toBe(true);
	});
});
