/**
 * HighFreqQuant Signal Scan › Scan in-process against the real math service pipeline over loopback
 * HTTP: a new approved signal leaves on "New Signals" with its decision receipt; the same bar again
 * (or a refused signal) leaves on "Duplicates / Rejected"; the node's strategy switches and alpha
 * threshold reach POST /v1/scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { SignalScan } from '../../nodes/SignalScan/SignalScan.node';
import { runNode } from '../support/nodeHarness';
import { startPipelineService, type RunningPipelineService } from './pipelineService';

const SECRET = 'tv-secret-scan-0123456789';
const API_KEY = 'scan-key-0123456789';
const MIN = 60_000;
const CLOSE = Date.UTC(2026, 10, 21, 15, 0, 0);
let service: RunningPipelineService;

beforeAll(async () => {
	service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET, nowMs: CLOSE + 2_000 });
	const bars = (symbol: string, close: number) =>
		Array.from({ length: 330 }, (_, k) => ({ exchange: 'binance', symbol, timeframe: '1m', openTime: CLOSE - (330 - k) * MIN, open: close, high: close, low: close, close, volume: 1 }));
	await service.storage.candles.upsertMany([...bars('ETH/USDT', 2000), ...bars('SOL/USDT', 150)]);
	await service.storage.alphaScores.record({ symbol: 'ETH/USDT', computedAt: CLOSE - 10 * MIN, score: 55, partial: false, components: {} });
	await service.storage.alphaScores.record({ symbol: 'ETH/USDT', computedAt: CLOSE - 30_000, score: 76, partial: false, components: {} });
	await service.storage.alphaScores.record({ symbol: 'SOL/USDT', computedAt: CLOSE - 30_000, score: 74, partial: false, components: {} });
});
afterAll(async () => {
	await service?.close();
});

const math = () => ({ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey: API_KEY } });
const scan = async (parameters: Record<string, unknown> = {}) => {
	const result = await runNode({ node: new SignalScan(), parameters: { operation: 'scan', symbols: 'ETH/USDT, SOL/USDT', ...parameters }, credentials: [math()] });
	const main = result.run.data.resultData.runData['Signal Scan']?.[0]?.data?.main ?? [];
	return { ...result, outputs: [main[0] ?? [], main[1] ?? []] };
};

describe('HighFreqQuant Signal Scan › Scan', () => {
	it('sends nothing when the strategies are off', async () => {
		const { items, error } = await scan({ vwapMeanReversion: false, alphaThreshold: false });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	it('puts new approved signals on New Signals, with the receipt; a higher threshold finds none', async () => {
		const none = await scan({ alphaThresholdScore: 80 });
		expect(none.items).toEqual([]);
		const run = await scan({ alphaThresholdScore: 75 });
		expect(run.error).toBeUndefined();
		const [fresh, other] = run.outputs as { json: Record<string, any> }[][];
		expect(fresh!.map((i) => [i.json.symbol, i.json.strategy, i.json.outcome])).toEqual([['ETH/USDT', 'alpha-threshold', 'new']]);
		expect(fresh![0]!.json).toMatchObject({ status: 'approved', alpha_score: 76, previous_alpha_score: 55, receipt: { strategy: 'alpha-threshold', thresholds: { max_panic_score: 70, time_stop_hours: 48 } } });
		expect(other).toEqual([]);
	});

	it('puts the same bar scanned again on Duplicates / Rejected', async () => {
		const run = await scan({ alphaThresholdScore: 75 });
		const [fresh, other] = run.outputs as { json: Record<string, any> }[][];
		expect(fresh).toEqual([]);
		expect(other!.map((i) => [i.json.symbol, i.json.outcome, i.json.duplicate])).toEqual([['ETH/USDT', 'duplicate', true]]);
	});
});
