/**
 * POST /v1/backtests and /v1/backtests/sweep: candles inline and from storage (SQLite, loaded the
 * way `npm run import-candles` loads them), the same JSON as the CLI's, validation errors as 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { decodePng } from '../chart/decodePng';
import { loadConfig } from '../config';
import { realCandleSlice } from '../data/realCandles.test-helper';
import { runBacktestReport } from '../report/runBacktestReport';
import { openStorage, type Storage } from '../storage/openStorage';

const candles = realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 6) });
const tuples = Array.from({ length: candles.length }, (_, i) => [candles.openTime[i], candles.open[i], candles.high[i], candles.low[i], candles.close[i], candles.volume[i]]);
let storage: Storage;

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	await storage.candles.upsertMany(tuples.map(([openTime, open, high, low, close, volume]) => ({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime, open, high, low, close, volume })));
});
afterAll(async () => {
	await storage?.close();
});

function app(withStorage = true) {
	const a = createApp({ config: loadConfig({ DATABASE_URL: 'sqlite::memory:' }), storage: withStorage ? storage : undefined, logError: () => {} });
	return async (path: string, body: unknown) => {
		const res = await a.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
}

describe('POST /v1/backtests', () => {
	it('backtests stored candles with the seed defaults and answers the CLI JSON plus equity and text summaries', async () => {
		const { status, body } = await app()('/v1/backtests', { symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', to: '2023-10-06' });
		expect(status, JSON.stringify(body)).toBe(200);
		const expected = runBacktestReport({ candles, data: { file: null, db: 'sqlite::memory:', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, fromMs: Date.UTC(2023, 9, 2), toMs: Date.UTC(2023, 9, 6) }).json;
		expect(body.trade_count).toBe(expected.trade_count);
		expect(body.trade_count).toBeGreaterThan(0);
		expect(body.trades).toEqual(expected.trades);
		expect(body.metrics).toEqual(expected.metrics);
		expect(body.gates).toEqual(expected.gates);
		expect(body.params).toEqual({ stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_ratio: 0.03, min_reward_risk: 0 });
		expect(body.equity_summary.final_equity).toBeCloseTo(body.metrics.final_equity, 9);
		expect(body.equity_summary.points.length).toBeLessThanOrEqual(100);
		expect(body.summary).toMatch(/^BTC\/USDT 1m 2023-10-02T00:00:00Z → 2023-10-06T00:00:00Z/);
		expect(body.summary).toContain('KPI gates seed 1: FAIL');
		expect(body.equity_png_base64).toBeUndefined();
	});

	it('attaches the equity curve as a PNG when asked', async () => {
		const { status, body } = await app()('/v1/backtests', { symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', include_equity_png: true, trade_limit: 0 });
		expect(status).toBe(200);
		const png = decodePng(Buffer.from(body.equity_png_base64, 'base64'));
		expect([png.width, png.height]).toEqual([900, 460]);
		expect(body.trades).toEqual([]);
	});

	it('takes inline candles, parameters, costs and a trade limit', async () => {
		const { status, body } = await app(false)('/v1/backtests', {
			symbol: 'BTC/USDT', timeframe: '1m', candles: tuples, fee: 0, slippage: 0, trade_limit: 2,
			params: { stdev_length: 30, deviation_threshold: 1.5, trend_ema_length: 100, stop_ratio: 0.01 },
		});
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.trades).toHaveLength(2);
		expect(body.trades_truncated).toBe(true);
		expect(body.trade_count).toBeGreaterThan(2);
		expect(body.trades[0].fees).toBe(0);
		expect(body.broker).toMatchObject({ fee_ratio: 0, slippage_ratio: 0 });
	});

	it('switches every broker rule: time_stop_hours 0 turns the 48 h time stop off, tie_break, tick_size, capital and size', async () => {
		const base = { symbol: 'BTC/USDT', timeframe: '1m', candles: tuples, params: { deviation_threshold: 1, stop_ratio: 0.2 } };
		const defaults = (await app(false)('/v1/backtests', base)).body;
		expect(defaults.broker).toMatchObject({ time_stop_ms: 48 * 3_600_000, tie_break: 'low_first', tick_size: null });
		expect(defaults.trades.some((t: { exit_reason: string }) => t.exit_reason === 'time')).toBe(true);
		const { status, body } = await app(false)('/v1/backtests', { ...base, time_stop_hours: 0, tie_break: 'high_first', tick_size: 0.01, initial_capital: 5000, position_size_ratio: 0.5 });
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.broker).toMatchObject({ time_stop_ms: null, tie_break: 'high_first', tick_size: 0.01, initial_capital: 5000, position_size_ratio: 0.5 });
		expect(body.trades.some((t: { exit_reason: string }) => t.exit_reason === 'time')).toBe(false);
		const bad = await app(false)('/v1/backtests', { ...base, time_stop_hours: -1, tie_break: 'random' });
		expect(bad.status).toBe(422);
		expect(bad.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual(['body.time_stop_hours', 'body.tie_break']);
	});

	it('answers 422 in FastAPI shape for bad parameters, a bad date, or a symbol with no stored candles', async () => {
		const post = app();
		const bad = await post('/v1/backtests', { symbol: 'BTC/USDT', timeframe: '1m', params: { stop_ratio: 1.5 } });
		expect(bad.status).toBe(422);
		expect(bad.body.detail[0].loc).toEqual(['body', 'params', 'stop_ratio']);
		expect((await post('/v1/backtests', { symbol: 'BTC/USDT', timeframe: '1m', from: 'yesterday' })).status).toBe(422);
		const none = await post('/v1/backtests', { symbol: 'DOGE/USDT', timeframe: '1m' });
		expect(none.status).toBe(422);
		expect(JSON.stringify(none.body)).toContain('import-candles');
		expect((await post('/v1/backtests', { symbol: 'BTC/USDT', timeframe: 'hourly' })).status).toBe(422);
	});
});

describe('POST /v1/backtests/sweep', () => {
	it('sweeps a grid given as ranges and lists, with the best row and the overfitting guard', async () => {
		const { status, body } = await app()('/v1/backtests/sweep', {
			symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02',
			grid: { stdev_length: '20:60:20', deviation_threshold: [0.5, 1, 2], trend_ema_length: [50, 100] }, pbo_blocks: 8,
		});
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.combinations).toBe(18);
		expect(body.rows).toHaveLength(18);
		expect(body.grid.stdev_length).toEqual([20, 40, 60]);
		expect(body.overfitting.pbo.splits).toBe(70); // C(8, 4)
		expect(body.best.gates.seed1.passed).toBe(false);
		expect(body.summary).toMatch(/18 combinations\nbest by Sharpe: .*\noverfitting guard: deflated Sharpe/);
	});

	it('refuses a grid above 2,000 combinations with 422', async () => {
		const { status, body } = await app()('/v1/backtests/sweep', { symbol: 'BTC/USDT', timeframe: '1m', grid: { stdev_length: '1:100:1', deviation_threshold: '0:5:0.1' } });
		expect(status).toBe(422);
		expect(JSON.stringify(body)).toContain('at most 2000');
	});
});

describe('GET /openapi.json', () => {
	it('lists both backtest routes with their request schemas', async () => {
		const a = createApp({ config: loadConfig({}), logError: () => {} });
		const doc = (await (await a.request('/openapi.json')).json()) as { paths: Record<string, any>; components: { schemas: Record<string, unknown> } };
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/backtests', '/v1/backtests/sweep']));
		expect(doc.components.schemas).toHaveProperty('BacktestRequest');
		expect(doc.components.schemas).toHaveProperty('SweepRequest');
	});
});
