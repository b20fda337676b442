// The Binance spot account fake checks requests the way Binance documents SIGNED endpoints, with a
// plain HTTP client signing by hand (no ccxt): the right signature passes, a changed parameter,
// another key or a stale timestamp is refused with Binance's codes, and the answers have the
// documented shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceSignature, startFakeBinanceAccount, type FakeBinanceAccount } from './fakeBinanceAccount';
import { loadSample } from './fakeServer';

let fake: FakeBinanceAccount;
beforeAll(async () => {
	fake = await startFakeBinanceAccount({ prices: { BTCUSDT: 64_000 }, symbols: ['BTCUSDT'] });
});
afterAll(async () => fake?.close());

async function signed(method: string, path: string, params: Record<string, string>, opts: { key?: string; tamper?: boolean; inBody?: boolean } = {}) {
	const query = new URLSearchParams({ ...params, timestamp: params.timestamp ?? String(Date.now()) }).toString();
	const signature = binanceSignature(query, fake.apiSecret);
	const sent = `${opts.tamper ? query.replace('quantity=0.001', 'quantity=0.002') : query}&signature=${signature}`;
	const headers: Record<string, string> = { 'X-MBX-APIKEY': opts.key ?? fake.apiKey };
	const init: RequestInit = { method, headers };
	let url = `${fake.origin}${path}`;
	if (opts.inBody) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		init.body = sent;
	} else url += `?${sent}`;
	const res = await fetch(url, init);
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('fake Binance spot account: SIGNED endpoint security', () => {
	it('accepts a correctly signed order (parameters in the body) and answers the documented FULL shape', async () => {
		const r = await signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', newClientOrderId: 'hand-1' }, { inBody: true });
		expect(r.status).toBe(200);
		const sample = loadSample<Record<string, unknown>>('binance-spot-account', 'order_market_full.json');
		expect(Object.keys(r.body).sort()).toEqual(expect.arrayContaining(Object.keys(sample).filter((k) => k !== 'selfTradePreventionMode').sort()));
		expect(r.body).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'hand-1', status: 'FILLED', executedQty: '0.00100000', fills: [{ price: '64000.00000000', commissionAsset: 'BTC' }] });
	});

	it('refuses a changed parameter (-1022), another API key (401 -2015) and a stale timestamp (-1021), placing nothing', async () => {
		const before = fake.placedOrders().length;
		const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' };
		expect(await signed('POST', '/api/v3/order', order, { tamper: true })).toMatchObject({ status: 400, body: { code: -1022 } });
		expect(await signed('POST', '/api/v3/order', order, { key: 'someone-else' })).toMatchObject({ status: 401, body: { code: -2015 } });
		expect(await signed('POST', '/api/v3/order', { ...order, timestamp: String(Date.now() - 60_000) })).toMatchObject({ status: 400, body: { code: -1021 } });
		expect(fake.placedOrders().length).toBe(before);
	});

	it('answers account balances and an unknown order with Binance\'s shapes and codes', async () => {
		const account = await signed('GET', '/api/v3/account', {});
		expect(account.body).toMatchObject({ canTrade: true, accountType: 'SPOT', balances: expect.arrayContaining([expect.objectContaining({ asset: 'USDT' })]) });
		expect(await signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'never' })).toMatchObject({ status: 400, body: { code: -2013, msg: 'Order does not exist.' } });
	});
});
