/**
 * HighFreqQuant Alpha Score in-process against the real math service over loopback HTTP: the node's
 * parameters reach POST /v1/alpha and its answer is the service's score; a bad expression is a
 * NodeOperationError naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { AlphaScore } from '../../nodes/AlphaScore/AlphaScore.node';
import { runNode } from '../support/nodeHarness';
import { startMathService } from './mathServiceServer';

const H = 3_600_000;
const NOW = Date.UTC(2025, 2, 4, 18, 0, 5);
let storage: Storage;
let serviceUrl = '';
let closeService: () => Promise<void> = async () => {};

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	const rows = [];
	let price = 3000;
	for (let i = 200; i >= 1; i--) {
		price *= 1 + 0.003 * Math.sin(i / 2);
		rows.push({ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', openTime: Math.floor(NOW / H) * H - i * H, open: price, high: price * 1.001, low: price * 0.999, close: price, volume: 5 });
	}
	await storage.candles.upsertMany(rows);
	const service = await startMathService({ storage, clock: { now: () => NOW } });
	serviceUrl = service.baseUrl;
	closeService = service.close;
});
afterAll(async () => {
	await closeService();
	await storage?.close();
});

const credentials = () => [{ type: new HighFreqQuantApi(), data: { baseUrl: serviceUrl, apiKey: '' } }];

describe('HighFreqQuant Alpha Score › Score', () => {
	it('returns the service scores for the chosen symbols with the weights and expression of the node', async () => {
		const { items, error } = await runNode({
			node: new AlphaScore(),
			parameters: { operation: 'score', symbols: 'ETH/USDT', technicalWeight: 0, onchainWeight: 0, sentimentWeight: 0, customWeight: 1, customExpression: '100 - rsi', record: false },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const [eth] = (items[0].json as any).scores;
		expect(eth.symbol).toBe('ETH/USDT');
		expect(eth.score).toBeCloseTo(100 - eth.inputs.rsi, 9);
		expect(eth.components.custom.weight).toBe(1);
	});

	it('scores the whitelist by default and flags missing components', async () => {
		const { items } = await runNode({ node: new AlphaScore(), parameters: { operation: 'score', record: false }, credentials: credentials() });
		const scores = (items[0].json as any).scores;
		expect(scores.map((s: any) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'AVAX/USDT', 'NEAR/USDT', 'BNB/USDT', 'ARB/USDT', 'OP/USDT', 'POL/USDT']);
		const eth = scores[1];
		expect(eth.partial).toBe(true);
		expect(eth.missing).toEqual(['onchain', 'sentiment']);
		expect(eth.score).toBeCloseTo(eth.components.technical.score, 9);
	});

	it('names a forbidden expression as a NodeOperationError', async () => {
		const { error } = await runNode({ node: new AlphaScore(), parameters: { operation: 'score', customExpression: 'evaluate("1")', customWeight: 1 }, credentials: credentials() });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/unknown name "evaluate"/);
	});
});
