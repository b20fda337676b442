// The fake's signature check reproduces Binance's documented HMAC-SHA256 examples (Spot API →
// Request security → SIGNED endpoint examples), so a client the fake accepts signs like Binance
// requires: totalParams in the query string, in the body, and split across both.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedPayload, startFakeBinanceWallet, type FakeBinanceWallet } from './fakeBinanceWallet';

const DOC_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const sign = (payload: string) => createHmac('sha256', DOC_SECRET).update(payload).digest('hex');

describe('Binance request signing (documented examples)', () => {
	it('query string only / body only', () => {
		const total = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
		expect(sign(total)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
		expect(signedPayload(`${total}&signature=abc`, '')).toEqual({ payload: total, signature: 'abc' });
		expect(signedPayload('', `${total}&signature=abc`)).toEqual({ payload: total, signature: 'abc' });
	});

	it('mixed: the query string concatenated with the body, no separator', () => {
		const { payload } = signedPayload('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC', 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=x');
		expect(payload).toBe('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
		expect(sign(payload)).toBe('0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
	});
});

describe('fakeBinanceWallet', () => {
	let fake: FakeBinanceWallet;
	beforeAll(async () => {
		fake = await startFakeBinanceWallet({ apiKey: DOC_KEY, secret: DOC_SECRET });
	});
	afterAll(() => fake.close());

	const signedGet = (path: string, params: string, headers: Record<string, string> = { 'X-MBX-APIKEY': DOC_KEY }) => fetch(`${fake.url}${path}?${params}&signature=${sign(params)}`, { headers });

	it('answers a correctly signed request and refuses a wrong signature, key or timestamp with Binance’s codes', async () => {
		fake.setBalance('USDT', '12.5');
		const ok = await signedGet('/api/v3/account', `timestamp=${Date.now()}`);
		expect(ok.status).toBe(200);
		expect((await ok.json()).balances).toEqual([{ asset: 'USDT', free: '12.50000000', locked: '0.00000000' }]);
		const tampered = await fetch(`${fake.url}/api/v3/account?timestamp=${Date.now()}&signature=${'0'.repeat(64)}`, { headers: { 'X-MBX-APIKEY': DOC_KEY } });
		expect([tampered.status, (await tampered.json()).code]).toEqual([400, -1022]);
		const noKey = await signedGet('/api/v3/account', `timestamp=${Date.now()}`, {});
		expect([noKey.status, (await noKey.json()).code]).toEqual([401, -2014]);
		const old = await signedGet('/api/v3/account', `timestamp=${Date.now() - 10_000}`);
		expect([old.status, (await old.json()).code]).toEqual([400, -1021]);
		const widerWindow = await signedGet('/api/v3/account', `timestamp=${Date.now() - 10_000}&recvWindow=20000`);
		expect(widerWindow.status).toBe(200);
	});

	it('a withdrawal to an address its network does not accept is refused (-4007) and moves nothing', async () => {
		fake.setBalance('USDT', '100');
		const body = `coin=USDT&network=TRX&address=0x94df8b352de7f46f64b01d3666bf6e936e44ce60&amount=50&timestamp=${Date.now()}`;
		const res = await fetch(`${fake.url}/sapi/v1/capital/withdraw/apply`, { method: 'POST', headers: { 'X-MBX-APIKEY': DOC_KEY, 'content-type': 'application/x-www-form-urlencoded' }, body: `${body}&signature=${sign(body)}` });
		expect([res.status, (await res.json()).code]).toEqual([400, -4007]);
		expect(fake.balance('USDT').free).toBe(100);
	});
});
