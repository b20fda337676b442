/**
 * HighFreqQuant Backtester in-process: the node runs inside n8n-core's WorkflowExecute (test/support
 * /nodeHarness) and posts over loopback HTTP to the real math service app, whose SQLite database
 * holds six days of real BTC/USDT 1m candles. The node's output must be the service's own answer
 * (trades, metrics, KPI gates, Telegram-ready summary), and a service rejection must surface as a
 * NodeOperationError naming the reason.
 */
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { createApp } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import { realCandleSlice } from '../../math-service/src/data/realCandles.test-helper';
import { runBacktestReport } from '../../math-service/src/report/runBacktestReport';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { runNode } from '../support/nodeHarness';
import { Backtester } from '../../nodes/Backtester/Backtester.node';

const API_KEY = 'backtester-test-key-0123456789';
const candles = realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 6) });
let storage: Storage;
let baseUrl = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	const rows = Array.from({ length: candles.length }, (_, i) => ({
		exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: candles.openTime[i],
		open: candles.open[i], high: candles.high[i], low: candles.low[i], close: candles.close[i], volume: candles.volume[i],
	}));
	await storage.candles.upsertMany(rows);
	const config = loadConfig({ MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', MATH_SERVICE_API_KEY: API_KEY, DATABASE_URL: 'sqlite::memory:' });
	const app = createApp({ config, storage, logError: () => {} });
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
});

const credentials = () => [{ type: new HighFreqQuantApi(), data: { baseUrl, apiKey: API_KEY } }];

describe('HighFreqQuant Backtester › Run Backtest', () => {
	it('returns the service backtest of the stored candles with trades, metrics, gates and a summary', async () => {
		const { items, error } = await runNode({
			node: new Backtester(),
			parameters: { operation: 'runBacktest', symbol: '={{ $json.symbol }}', timeframe: '1m', from: '2023-10-02', to: '2023-10-06', tradeLimit: 3 },
			input: [{ symbol: 'BTC/USDT' }],
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const json = items[0].json as Record<string, any>;
		const expected = runBacktestReport({
			candles, data: { file: null, db: 'sqlite::memory:', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' },
			fromMs: Date.UTC(2023, 9, 2), toMs: Date.UTC(2023, 9, 6),
		}).json;
		expect(json.symbol).toBe('BTC/USDT');
		expect(json.trade_count).toBe(expected.trade_count);
		expect(json.trades).toEqual(expected.trades.slice(0, 3));
		expect(json.metrics).toEqual(expected.metrics);
		expect(json.gates).toEqual(expected.gates);
		expect(json.params).toEqual({ stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_ratio: 0.03, min_reward_risk: 0 });
		expect(json.summary).toContain('KPI gates seed 1: FAIL');
		expect(json.equity_png_base64, 'the image travels as binary data, not in the JSON').toBeUndefined();
		const binary = items[0].binary?.equity;
		expect(binary?.mimeType).toBe('image/png');
		expect(binary?.fileName).toBe('equity.png');
		const png = Buffer.from(binary!.data, 'base64');
		expect(png.subarray(1, 4).toString()).toBe('PNG');
		expect(png.length).toBeGreaterThan(5_000);
	});

	it('passes the broker rules on: Time Stop 0 switches the time stop off, with tie break, tick size, capital and size', async () => {
		const run = (extra: Record<string, unknown>) =>
			runNode({
				node: new Backtester(),
				parameters: { operation: 'runBacktest', symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', to: '2023-10-06', tradeLimit: 1000, ...extra },
				input: [{}],
				credentials: credentials(),
			});
		const defaults = (await run({})).items[0].json as Record<string, any>;
		expect(defaults.broker).toMatchObject({ time_stop_ms: 48 * 3_600_000, tie_break: 'low_first', tick_size: null, initial_capital: 10000, position_size_ratio: 0.1 });
		const { items, error } = await run({ timeStopHours: 0, tieBreak: 'high_first', tickSize: 0.01, initialCapital: 5000, positionSizeRatio: 0.5 });
		expect(error).toBeUndefined();
		const json = items[0].json as Record<string, any>;
		expect(json.broker).toMatchObject({ time_stop_ms: null, tie_break: 'high_first', tick_size: 0.01, initial_capital: 5000, position_size_ratio: 0.5 });
		expect(json.trades.some((t: { exit_reason: string }) => t.exit_reason === 'time')).toBe(false);
	});

	it("backtests seed 2's alpha-threshold strategy with the Entry Score parameter (no stored on-chain/sentiment: the technical score alone)", async () => {
		const { items, error } = await runNode({
			node: new Backtester(),
			parameters: { operation: 'runBacktest', strategy: 'alpha_threshold', entryScore: 65, symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', to: '2023-10-06', tradeLimit: 1000, attachEquityImage: false },
			input: [{}],
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const json = items[0].json as Record<string, any>;
		const expected = runBacktestReport({
			strategy: 'alpha_threshold', alphaParams: { entryScore: 65 }, alphaData: { onchain: { netflow: [], lthSopr: [] }, sentiment: { asset: [], market: [] } },
			candles, data: { file: null, db: 'sqlite::memory:', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' },
			fromMs: Date.UTC(2023, 9, 2), toMs: Date.UTC(2023, 9, 6),
		}).json;
		expect(json.strategy).toBe('alpha_threshold');
		expect(json.params).toEqual({ entry_score: 65, stop_loss_ratio: 0.03, min_reward_risk: 1.5, allow_partial: true });
		expect(json.trade_count).toBeGreaterThan(0);
		expect(json.trades).toEqual(expected.trades);
		expect(json.alpha.components_missing_everywhere).toEqual(['onchain', 'sentiment']);
	});

	it('reports a symbol without stored candles as a NodeOperationError with the service reason', async () => {
		const { error } = await runNode({
			node: new Backtester(),
			parameters: { operation: 'runBacktest', symbol: 'ETH/USDT', timeframe: '1m' },
			credentials: credentials(),
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/rejected the input: .*no binance ETH\/USDT 1m candles stored/);
	});
});

describe('HighFreqQuant Backtester › Run Sweep', () => {
	it('sweeps the ranges and returns one row per combination with the overfitting guard, in a field', async () => {
		const { items, error } = await runNode({
			node: new Backtester(),
			parameters: {
				operation: 'runSweep', symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02',
				stdevLengths: '20:60:20', deviationThresholds: '0.5:2:0.5', trendEmaLengths: '50', stopRatios: '0.02:0.03:0.01',
				options: { outputField: 'sweep' },
			},
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const sweep = items[0].json.sweep as Record<string, any>;
		expect(sweep.combinations).toBe(3 * 4 * 1 * 2);
		expect(sweep.rows).toHaveLength(24);
		expect(sweep.overfitting.trials).toBeGreaterThan(0);
		expect(sweep.summary).toMatch(/24 combinations/);
	});
});
