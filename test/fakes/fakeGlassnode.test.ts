import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loadSample } from './fakeServer';
import { startFakeGlassnode, type FakeGlassnode, type GlassnodePoint } from './fakeGlassnode';

const KEY = 'gn-test-key';

describe('fake Glassnode', () => {
	let gn: FakeGlassnode;
	const get = (path: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
		fetch(`${gn.url}/v1/metrics/${path}?${new URLSearchParams(query)}`, { headers });

	beforeAll(async () => {
		gn = await startFakeGlassnode({ apiKey: KEY });
	});
	afterAll(() => gn.close());
	beforeEach(() => gn.reset());

	it('serves the sample series for a metric with the key as query parameter or X-Api-Key header', async () => {
		const viaQuery = await get('indicators/sopr', { a: 'BTC', i: '24h', api_key: KEY });
		expect(viaQuery.status).toBe(200);
		expect(await viaQuery.json()).toEqual(loadSample('glassnode', 'sopr_BTC_24h.json'));
		expect(viaQuery.headers.get('x-rate-limit-limit')).toBe('600');
		expect(Number(viaQuery.headers.get('x-rate-limit-remaining'))).toBe(599);
		const viaHeader = await get('indicators/sopr_more_155', { a: 'BTC' }, { 'X-Api-Key': KEY });
		expect(await viaHeader.json()).toEqual(loadSample('glassnode', 'sopr_more_155_BTC_24h.json'));
		expect(gn.keysUsed()).toEqual([KEY, KEY]);
	});

	it('answers 401 without a key or with a wrong one', async () => {
		expect((await get('indicators/sopr', { a: 'BTC' })).status).toBe(401);
		expect((await get('indicators/sopr', { a: 'BTC', api_key: 'nope' })).status).toBe(401);
	});

	it('filters by s and u (inclusive, Unix seconds) and returns [] for an empty range', async () => {
		const all = loadSample<GlassnodePoint[]>('glassnode', 'sopr_BTC_24h.json');
		const res = await get('indicators/sopr', { a: 'BTC', s: String(all[1].t), u: String(all[3].t), api_key: KEY });
		expect(await res.json()).toEqual(all.slice(1, 4));
		const empty = await get('indicators/sopr', { a: 'BTC', s: '1', u: '2', api_key: KEY });
		expect(await empty.json()).toEqual(loadSample('glassnode', 'empty_range.json'));
	});

	it('picks the exchange and currency variants and humanizes timestamps on request', async () => {
		const binance = await get('transactions/transfers_volume_exchanges_net', { a: 'BTC', i: '1h', e: 'binance', api_key: KEY });
		expect(await binance.json()).toEqual(loadSample('glassnode', 'transfers_volume_exchanges_net_BTC_1h_binance.json'));
		const usd = await get('transactions/transfers_volume_exchanges_net', { a: 'BTC', c: 'USD', api_key: KEY });
		expect(await usd.json()).toEqual(loadSample('glassnode', 'transfers_volume_exchanges_net_BTC_24h_usd.json'));
		const human = await get('indicators/sopr', { a: 'BTC', timestamp_format: 'humanized', api_key: KEY });
		const expected = loadSample<{ t: string; v: number }[]>('glassnode', 'sopr_BTC_24h_humanized_timestamps.json');
		expect(((await human.json()) as unknown[]).slice(0, expected.length)).toEqual(expected);
	});

	it('keeps null values distinct from 0 in a series set by the test', async () => {
		gn.setSeries('indicators/sopr', { a: 'BTC', i: '24h' }, loadSample('glassnode', 'sopr_BTC_24h_with_null.json'));
		const body = (await (await get('indicators/sopr', { a: 'BTC', api_key: KEY })).json()) as GlassnodePoint[];
		expect(body[1].v).toBeNull();
	});

	it('answers 404 for an unknown metric, 400 for an unsupported combination, and injected 429s', async () => {
		expect((await get('indicators/not_a_metric', { a: 'BTC', api_key: KEY })).status).toBe(404);
		expect((await get('indicators/sopr', { a: 'ETH', api_key: KEY })).status).toBe(400);
		gn.failNext('rate_limited');
		const limited = await get('indicators/sopr', { a: 'BTC', api_key: KEY });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-rate-limit-reset')).toBe('37');
		expect((await get('indicators/sopr', { a: 'BTC', api_key: KEY })).status).toBe(200);
	});
});
