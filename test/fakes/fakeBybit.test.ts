import ccxt from 'ccxt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loadCandles } from './binanceCandles';
import { startFakeBybit, type FakeBybit } from './fakeBybit';

type Row = [string, string, string, string, string, string, string];
interface Envelope {
	retCode: number;
	retMsg: string;
	result: { category?: string; symbol?: string; list: Row[] };
}

const START = Date.UTC(2025, 5, 2, 7, 0);
const MIN = 60_000;

describe('fake Bybit v5 market data', () => {
	let fake: FakeBybit;
	const kline = async (query: Record<string, string | number>) => {
		const res = await fetch(`${fake.url}/v5/market/kline?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);
		return { status: res.status, body: (await res.json()) as Envelope };
	};

	beforeAll(async () => {
		fake = await startFakeBybit();
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset());

	it('serves the real 1m candles newest first, as strings, in [start, end]', async () => {
		const { status, body } = await kline({ category: 'spot', symbol: 'BTCUSDT', interval: '1', start: START, end: START + 4 * MIN, limit: 1000 });
		expect(status).toBe(200);
		expect(body).toMatchObject({ retCode: 0, retMsg: 'OK', result: { category: 'spot', symbol: 'BTCUSDT' } });
		const csv = loadCandles('BTCUSDT', '1m')!;
		const first = csv.time.indexOf(START);
		expect(body.result.list.map((r) => Number(r[0]))).toEqual([4, 3, 2, 1, 0].map((k) => START + k * MIN));
		const oldest = body.result.list.at(-1)!;
		expect(oldest.slice(1, 6).map(Number)).toEqual([csv.open[first], csv.high[first], csv.low[first], csv.close[first], csv.volume[first]]);
		expect(oldest.every((cell) => typeof cell === 'string')).toBe(true);
	});

	it('keeps the newest `limit` bars of a wider window, defaults limit to 200 and refuses limit 1001', async () => {
		const { body } = await kline({ category: 'spot', symbol: 'BTCUSDT', interval: '1', start: START, end: START + 99 * MIN, limit: 10 });
		expect(body.result.list.map((r) => Number(r[0]))).toEqual(Array.from({ length: 10 }, (_, k) => START + (99 - k) * MIN));
		const defaults = await kline({ category: 'spot', symbol: 'BTCUSDT', interval: '1', end: START });
		expect(defaults.body.result.list).toHaveLength(200);
		expect((await kline({ category: 'spot', symbol: 'BTCUSDT', interval: '1', limit: 1001 })).body.retCode).toBe(10001);
		expect((await kline({ category: 'spot', symbol: 'BTCUSDT', interval: '7' })).body.retCode).toBe(10001);
	});

	it('answers a queued 10006 with the reset timestamp header, and a 403 as text', async () => {
		fake.failNext('kline', 'rate_limit_10006', { resetInMs: 5_000 });
		const res = await fetch(`${fake.url}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1`);
		expect(res.status).toBe(200);
		expect(((await res.json()) as Envelope).retCode).toBe(10006);
		expect(Number(res.headers.get('x-bapi-limit-reset-timestamp'))).toBeGreaterThan(Date.now());
		fake.failNext('kline', 'ip_rate_limit_403');
		const banned = await fetch(`${fake.url}/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1`);
		expect(banned.status).toBe(403);
	});

	it('is enough for the real ccxt bybit client: loadMarkets + fetchOHLCV touch only instruments-info and kline', async () => {
		const client = new ccxt.bybit({ urls: { api: { public: fake.url, spot: fake.url, futures: fake.url, v2: fake.url, private: fake.url } }, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
		const rows = await client.fetchOHLCV('BTC/USDT', '1m', START, 1000, { until: START + 2 * MIN });
		expect(rows.map((r) => r[0])).toEqual([START, START + MIN, START + 2 * MIN]);
		expect(client.markets['BTC/USDT']?.spot).toBe(true);
		expect([...new Set(fake.requests.map((r) => r.path))].sort()).toEqual(['/v5/market/instruments-info', '/v5/market/kline']);
	});
});
