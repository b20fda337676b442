/**
 * HighFreqQuant Desk Control in-process: the node runs inside n8n-core's WorkflowExecute
 * (test/support/nodeHarness) against the real math service app over loopback HTTP. Halt stops the
 * next alert (operator_halt), Halt with Flatten closes the open paper position and lists it,
 * Resume lifts the halt, Close Position closes one symbol, Status reads the desk, Daily Report
 * merges the report and attaches the equity PNG as binary `equity`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { DeskControl } from '../../nodes/DeskControl/DeskControl.node';
import { runNode } from '../support/nodeHarness';
import { startPipelineService, type RunningPipelineService } from './pipelineService';

const API_KEY = 'desk-control-test-key-0123456789';
const SECRET = 'desk-control-tv-secret-0123';
let service: RunningPipelineService;

beforeAll(async () => {
	service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET });
});
afterAll(async () => {
	await service?.close();
});

const credentials = () => [{ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey: API_KEY } }];
const desk = (parameters: Record<string, unknown>) => runNode({ node: new DeskControl(), parameters, input: [{ trigger: 'input' }], credentials: credentials() });
let seq = 0;
const buy = async (ticker: string, close: number) => {
	const res = await fetch(`${service.baseUrl}/v1/signals/tradingview`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ secret: SECRET, alert_id: `desk-node-${seq++}`, action: 'buy', ticker, interval: '60', time: service.clock.nowMs - 1_000, close, vwap: close * 1.05, stop: close * 0.97, target: close * 1.06 }),
	});
	return (await res.json()) as Record<string, unknown>;
};

describe('HighFreqQuant Desk Control', () => {
	it('Halt stops the next alert, Status shows who halted, Resume lifts it', async () => {
		const halted = await desk({ operation: 'halt', flatten: false, reason: 'exchange incident' });
		expect(halted.error).toBeUndefined();
		expect(halted.items[0]!.json).toMatchObject({ trigger: 'input', halted: true, changed: true, halted_by: 'n8n', reason: 'exchange incident', flatten: null });
		expect(await buy('BTCUSDT', 100)).toMatchObject({ status: 'rejected', reason_code: 'operator_halt' });
		const status = await desk({ operation: 'status' });
		expect(status.items[0]!.json).toMatchObject({ mode: 'PAPER', halted: true, halted_by: 'n8n', open_positions: [] });
		const resumed = await desk({ operation: 'resume' });
		expect(resumed.items[0]!.json).toMatchObject({ halted: false, changed: true });
		expect(await buy('BTCUSDT', 100)).toMatchObject({ status: 'approved' });
	});

	it('Close Position closes one symbol; Halt with Flatten closes the rest and lists each close', async () => {
		await buy('ETHUSDT', 50);
		await service.storage.candles.upsertMany([
			{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: service.clock.nowMs - 60_000, open: 101, high: 101, low: 101, close: 101, volume: 1 },
			{ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1m', openTime: service.clock.nowMs - 60_000, open: 49, high: 49, low: 49, close: 49, volume: 1 },
		]);
		const closed = await desk({ operation: 'closePosition', symbol: 'BTC/USDT' });
		expect(closed.error).toBeUndefined();
		expect(closed.items[0]!.json.closed).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', exit_reason: 'operator_close', exit_price: 101 * (1 - 0.0002) })]);
		const flat = await desk({ operation: 'halt', flatten: true });
		expect((flat.items[0]!.json.flatten as { closed: { symbol: string }[] }).closed.map((c) => c.symbol)).toEqual(['ETH/USDT']);
		expect(await service.storage.paperLedger.openPositions()).toEqual([]);
		const empty = await desk({ operation: 'closePosition', symbol: '  ' });
		expect(empty.error?.message).toBe('Symbol is empty');
	});

	it('Daily Report merges the report and attaches the equity curve PNG', async () => {
		const { items, error } = await desk({ operation: 'dailyReport', date: '', attachChart: true });
		expect(error).toBeUndefined();
		const json = items[0]!.json as Record<string, any>;
		expect(json).toMatchObject({ trigger: 'input', halted: true, pnl: { trades_closed: 2 } });
		expect(json.gate_hits.by_gate).toMatchObject({ operatorHalt: 1 });
		expect(json.text).toContain('Daily report');
		const binary = items[0]!.binary?.equity;
		expect(binary?.mimeType).toBe('image/png');
		expect(Buffer.from(binary!.data, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
		const bad = await desk({ operation: 'dailyReport', date: 'tomorrow', attachChart: false });
		expect(bad.error?.message).toMatch(/date must be a day as YYYY-MM-DD/);
	});
});
