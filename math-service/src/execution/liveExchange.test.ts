/**
 * The real ccxt binance client against the loopback fake of a Binance spot account, which verifies
 * every signed request (X-MBX-APIKEY, HMAC-SHA256 signature, recvWindow) as Binance documents it.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { binanceSignature, startFakeBinanceAccount, type FakeBinanceAccount } from '../../../test/fakes/fakeBinanceAccount';
import { classifyOrderError, createLiveExchange, type LiveExchange } from './liveExchange';

let fake: FakeBinanceAccount;
let exchange: LiveExchange;
const settingsOf = (f: FakeBinanceAccount, secret = f.apiSecret) => ({ exchange: 'binance' as const, baseUrl: f.origin, apiKey: f.apiKey, apiSecret: secret });

beforeAll(async () => {
	fake = await startFakeBinanceAccount({ prices: { BTCUSDT: 64_000, ETHUSDT: 2_000 }, symbols: ['BTCUSDT', 'ETHUSDT'] });
	exchange = createLiveExchange(settingsOf(fake));
});
afterAll(async () => fake?.close());
beforeEach(() => {
	fake.setBalance('USDT', 10_000);
});

describe('the fake verifies Binance request signing', () => {
	it('accepts ccxt\'s signature and refuses a request signed with another secret (AuthenticationError, nothing placed)', async () => {
		expect(await exchange.freeBalance('USDT')).toBe(10_000);
		const forged = createLiveExchange(settingsOf(fake, 'not-the-secret-0123456789'));
		const before = fake.placedOrders().length;
		const error = await forged.marketOrder({ symbol: 'BTC/USDT', side: 'buy', amount: 0.001, clientOrderId: 'forged1' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ccxt.AuthenticationError);
		expect(classifyOrderError(error).kind).toBe('rejected');
		expect(fake.placedOrders().length).toBe(before);
		expect(fake.refused.at(-1)).toMatchObject({ path: '/api/v3/order', code: -1022 });
	});

	it('computes the documented signature: HMAC-SHA256 of the total parameters with the secret key', () => {
		// The example of Binance's SIGNED endpoint documentation.
		const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
		const total = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
		expect(binanceSignature(total, secret)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
	});
});

describe('LIVE exchange adapter over ccxt', () => {
	it('rounds with the market precision and reads the minimum notional from exchangeInfo filters', async () => {
		const rules = await exchange.rules('BTC/USDT');
		expect(rules.amount(0.0123456789)).toBe(0.01234);
		expect(rules.price(64_000.129)).toBe(64_000.13);
		expect(rules.minNotional).toBe(5);
	});

	it('places a market buy with the client order id, fills it (commission in the base asset) and finds it again by that id', async () => {
		const o = await exchange.marketOrder({ symbol: 'BTC/USDT', side: 'buy', amount: 0.01, clientOrderId: 'hfqtest-entry-1' });
		expect(o).toMatchObject({ status: 'closed', filled: 0.01, average: 64_000, clientOrderId: 'hfqtest-entry-1' });
		expect(o.fills).toEqual([{ price: 64_000, amount: 0.01, fee: 0.00001, feeCurrency: 'BTC' }]);
		expect(fake.balance('USDT').free).toBeCloseTo(10_000 - 640, 6);
		const again = await exchange.orderByClientId('BTC/USDT', 'hfqtest-entry-1');
		expect(again).toMatchObject({ id: o.id, status: 'closed', filled: 0.01 });
		expect(await exchange.orderByClientId('BTC/USDT', 'never-sent')).toBeNull();
		expect((await exchange.ordersSince('BTC/USDT', 0)).map((x) => x.clientOrderId)).toContain('hfqtest-entry-1');
		expect(await exchange.orderFills('BTC/USDT', o.id)).toEqual([{ price: 64_000, amount: 0.01, fee: 0.00001, feeCurrency: 'BTC' }]);
	});

	it('classifies an insufficient balance and a filter failure as final refusals', async () => {
		fake.setBalance('USDT', 10);
		const poor = await exchange.marketOrder({ symbol: 'ETH/USDT', side: 'buy', amount: 1, clientOrderId: 'hfqtest-poor' }).catch((e: unknown) => e);
		expect(classifyOrderError(poor)).toMatchObject({ kind: 'insufficient_balance' });
		const tiny = await exchange.marketOrder({ symbol: 'ETH/USDT', side: 'buy', amount: 0.0001, clientOrderId: 'hfqtest-tiny' }).catch((e: unknown) => e);
		expect(classifyOrderError(tiny)).toMatchObject({ kind: 'rejected' });
		expect(String((tiny as Error).message)).toMatch(/NOTIONAL/);
	});

	it('protects a position with an OCO, reads which leg filled, and cancels a resting one', async () => {
		await exchange.marketOrder({ symbol: 'ETH/USDT', side: 'buy', amount: 1, clientOrderId: 'hfqtest-eth-1' });
		const oco = await exchange.placeProtection({ symbol: 'ETH/USDT', amount: 0.5, stop: 1_900, stopLimit: 1_890, target: 2_100, listClientOrderId: 'hfqtest-oco-1' });
		expect(oco.listClientOrderId).toBe('hfqtest-oco-1');
		expect(await exchange.protectionState('ETH/USDT', oco.listId)).toEqual({ status: 'executing', filled: null });
		fake.setPrice('ETHUSDT', 2_150);
		expect(await exchange.protectionState('ETH/USDT', oco.listId)).toMatchObject({ status: 'done', filled: { leg: 'target', price: 2_100, amount: 0.5 } });

		const second = await exchange.placeProtection({ symbol: 'ETH/USDT', amount: 0.4, stop: 2_000, stopLimit: 1_990, target: 2_300, listClientOrderId: 'hfqtest-oco-2' });
		await exchange.cancelProtection('ETH/USDT', second.listId);
		expect(await exchange.protectionState('ETH/USDT', second.listId)).toEqual({ status: 'done', filled: null });
		await exchange.cancelProtection('ETH/USDT', second.listId); // already done: nothing to cancel, no error
		fake.setPrice('ETHUSDT', 2_000);
	});
});
