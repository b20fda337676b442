/**
 * HighFreqQuant Market Data in-process: the node runs inside n8n-core's WorkflowExecute (test/support
 * /nodeHarness) and calls over loopback HTTP the real math service app, whose exchange client is the
 * real ccxt bybit pointed at the loopback Bybit fake (real candles). Sync must store the closed bars
 * and answer per symbol and timeframe; Get Latest Candles and Get Ticker must return the service's
 * own answers; a service rejection must surface as a NodeOperationError naming the reason.
 */
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { createApp } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import { createExchangeClient } from '../../math-service/src/crawler/createExchangeClient';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { MarketData } from '../../nodes/MarketData/MarketData.node';
import { loadCandles } from '../fakes/binanceCandles';
import { startFakeBybit, type FakeBybit } from '../fakes/fakeBybit';
import { runNode } from '../support/nodeHarness';

const API_KEY = 'market-data-test-key-0123456789';
/** 2025-06-02 12:00:30 UTC, inside the real BTCUSDT/ETHUSDT 1m candles. */
const NOW = Date.UTC(2025, 5, 2, 12, 0, 30);
let storage: Storage;
let fake: FakeBybit;
let baseUrl = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
	fake = await startFakeBybit();
	loadCandles('BTCUSDT', '1m');
	storage = await openStorage('sqlite::memory:');
	const config = loadConfig({ MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', MATH_SERVICE_API_KEY: API_KEY, DATABASE_URL: 'sqlite::memory:' });
	const deps = { config, storage, logError: () => {}, clock: { now: () => NOW }, exchangeClient: createExchangeClient('bybit', { baseUrl: fake.url }) };
	const app = createApp(deps);
	await new Promise<void>((resolve) => {
		const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
			baseUrl = `http://127.0.0.1:${info.port}`;
			close = () => new Promise<void>((done) => server.close(() => done()));
			resolve();
		});
	});
});
afterAll(async () => {
	await close();
	await storage?.close();
	await fake?.close();
});

const credentials = () => [{ type: new HighFreqQuantApi(), data: { baseUrl, apiKey: API_KEY } }];

describe('HighFreqQuant Market Data', () => {
	it('Sync Candles stores the closed 1m bars of each symbol on the chosen exchange, then reads them back', async () => {
		const { items, error } = await runNode({
			node: new MarketData(),
			parameters: { operation: 'syncCandles', exchange: 'bybit', symbols: 'BTC/USDT', timeframe: '1m', includeDaily: false, maxPages: 1 },
			input: [{}],
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const json = items[0]!.json as Record<string, any>;
		expect(json).toMatchObject({ exchange: 'bybit', inserted: 1000, complete: true });
		expect(json.synced).toHaveLength(1);
		expect(json.synced[0]).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1m', latest_open_time: Date.UTC(2025, 5, 2, 11, 59), gaps: [] });
		expect(await storage.candles.count({ exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1m' })).toBe(1000);

		const latest = await runNode({
			node: new MarketData(),
			parameters: { operation: 'getLatestCandles', exchange: 'bybit', symbol: 'BTCUSDT', candleTimeframe: '1m', limit: 3 },
			input: [{}],
			credentials: credentials(),
		});
		expect(latest.error).toBeUndefined();
		const candles = (latest.items[0]!.json as Record<string, any>).candles as Array<{ open_time: number; close: number }>;
		expect(candles.map((c) => c.open_time)).toEqual([57, 58, 59].map((m) => Date.UTC(2025, 5, 2, 11, m)));

		const ticker = await runNode({ node: new MarketData(), parameters: { operation: 'getTicker', exchange: 'bybit', symbol: 'BTC/USDT' }, input: [{}], credentials: credentials() });
		expect(ticker.items[0]!.json).toMatchObject({ price: candles[2]!.close, as_of: Date.UTC(2025, 5, 2, 12, 0) });
	});

	it('turns a pair outside the whitelist into a NodeOperationError naming the reason', async () => {
		const { error } = await runNode({
			node: new MarketData(),
			parameters: { operation: 'syncCandles', exchange: 'bybit', symbols: 'PEPE/USDT', timeframe: '1m', includeDaily: false, maxPages: 1 },
			input: [{}],
			credentials: credentials(),
		});
		expect(error?.message ?? '').toMatch(/PEPE|whitelist|not_whitelisted/i);
	});
});
