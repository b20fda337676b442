/**
 * HighFreqQuant Risk Monitor › Check Positions in-process against the real math service pipeline
 * over loopback HTTP: the node's thresholds reach POST /v1/positions/check, and each close and halt
 * becomes one output item with its Telegram message; a quiet tick emits nothing (or one summary).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { RiskMonitor } from '../../nodes/RiskMonitor/RiskMonitor.node';
import { runNode } from '../support/nodeHarness';
import { startPipelineService, type RunningPipelineService } from './pipelineService';

const SECRET = 'tv-secret-monitor-0123456789';
const API_KEY = 'monitor-key-0123456789';
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const HOUR = 3_600_000;
let service: RunningPipelineService;

beforeAll(async () => {
	service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET, nowMs: NOW });
});
afterAll(async () => {
	await service?.close();
});

const math = () => ({ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey: API_KEY } });
let n = 0;
async function buy(ticker: string, close: number, stop: number, target: number, thresholds: Record<string, unknown> = {}) {
	const res = await fetch(`${service.baseUrl}/v1/signals/tradingview`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ secret: SECRET, alert_id: `monitor-${n++}`, action: 'buy', ticker, time: service.clock.nowMs, close, stop, target, thresholds: { kelly_fraction: 1, ...thresholds } }),
	});
	const body = (await res.json()) as { status: string; reason: string };
	expect(body.status, body.reason).toBe('approved');
}
const tick = (parameters: Record<string, unknown> = {}) => runNode({ node: new RiskMonitor(), parameters: { operation: 'checkPositions', ...parameters }, credentials: [math()] });

describe('HighFreqQuant Risk Monitor › Check Positions', () => {
	it('emits nothing on a quiet tick, or one summary item with Output When Quiet', async () => {
		const quiet = await tick();
		expect(quiet.error).toBeUndefined();
		expect(quiet.items).toEqual([]);
		const summary = await tick({ outputWhenQuiet: true });
		expect(summary.items).toHaveLength(1);
		expect(summary.items[0].json).toMatchObject({ type: 'summary', ran: true, checked: 0, run: { job: 'risk_monitor', ran: true } });
	});

	it('emits one item per close with its Telegram message, using the node time stop and slippage', async () => {
		// no candles stored: the stored-candle close is unknown, so the time stop uses the stored
		// candle-less rule (price = latest close); store one candle per symbol as the price
		await buy('BTCUSDT', 100, 95, 110);
		await buy('ETHUSDT', 50, 48, 56, { time_stop_hours: 1 });
		service.clock.nowMs = NOW + 2 * HOUR;
		await service.storage.candles.upsertMany([
			{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', openTime: NOW, open: 100, high: 100, low: 93, close: 94, volume: 1 },
			{ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', openTime: NOW, open: 50, high: 51, low: 49.5, close: 51, volume: 1 },
		]);
		const { items, error } = await tick({ timeframe: '1h', slippageRatio: 0.001 });
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.type, i.json.symbol, i.json.exit_reason])).toEqual([
			['close', 'BTC/USDT', 'stop'],
			['close', 'ETH/USDT', 'time_stop'],
		]);
		expect(items[0].json.fill_price).toBeCloseTo(95 * (1 - 0.001), 9);
		expect(String(items[0].json.message)).toMatch(/^🛑 STOP BTC\/USDT · 📝 PAPER\nFilled 94\.905 \(entry 100\.00\)/);
		expect(String(items[1].json.message)).toMatch(/^⏱ TIME STOP ETH\/USDT/);
	});

	it('emits a halt item when the marked-to-market loss reaches Max Daily Drawdown', async () => {
		await buy('SOLUSDT', 20, 10, 60, { max_position_ratio: 1, max_heat_ratio: 1, max_var_ratio: 1 });
		await service.storage.candles.upsertMany([{ exchange: 'binance', symbol: 'SOL/USDT', timeframe: '1h', openTime: service.clock.nowMs, open: 20, high: 20, low: 17, close: 17, volume: 1 }]);
		service.clock.nowMs += HOUR + 1;
		const { items } = await tick({ timeframe: '1h', maxDailyDrawdownRatio: 0.02, haltHours: 6 });
		expect(items.map((i) => i.json.type)).toEqual(['halt']);
		expect(items[0].json).toMatchObject({ limit: -0.02 });
		expect(String(items[0].json.message)).toMatch(/^⛔ DAILY DRAWDOWN HALT/);
	});
});
