import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { openStorage, type Storage } from '../storage/openStorage';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
const HOUR = 3_600_000;
let storage: Storage;
let clock: { ms: number; now(): number };
let app: ReturnType<typeof createApp>;

const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Record<string, any>;

let n = 0;
const buy = (ticker: string, close: number, stop: number, target: number, thresholds: Record<string, unknown> = {}) =>
	json(post('/v1/signals/tradingview', { secret: SECRET, alert_id: `a-${n++}`, action: 'buy', ticker, time: clock.ms, close, stop, target, thresholds: { kelly_fraction: 1, ...thresholds } }));

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	clock = { ms: T0, now() { return this.ms; } };
	app = createApp({ config: loadConfig({}), storage, clock, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000 } } as AppDeps);
});
afterEach(async () => {
	await storage.close();
});

describe('POST /v1/positions/check', () => {
	it('closes at stop, at target and by the 48 h time stop, logs each trade, and feeds the Kelly statistics', async () => {
		await buy('BTCUSDT', 100, 95, 110);
		await buy('ETHUSDT', 50, 48, 56);
		await buy('SOLUSDT', 20, 19, 23);
		clock.ms += HOUR;
		const first = await json(post('/v1/positions/check', { prices: { 'BTC/USDT': 94, 'ETH/USDT': 57, 'SOL/USDT': 21 } }));
		expect(first.checked).toBe(3);
		expect(first.closed.map((c: { symbol: string; exit_reason: string }) => [c.symbol, c.exit_reason])).toEqual([
			['BTC/USDT', 'stop'],
			['ETH/USDT', 'target'],
		]);
		const btc = first.closed[0];
		// No candles stored: the price alone decides. A stop fills at the price less 2 bps slippage, a
		// target at the target (57 seen, 56 filled: a limit order never fills above its price).
		const stopFill = 94 * (1 - 0.0002);
		expect(btc.exit_price).toBeCloseTo(stopFill, 12);
		expect(first.closed[1]).toMatchObject({ exit_price: 56, fill_basis: 'price' });
		// pnl = (exit − entry) × q − entry fee − exit fee, return = pnl / (entry × q).
		expect(btc.pnl).toBeCloseTo((stopFill - 100) * btc.quantity - 0.001 * 100 * btc.quantity - 0.001 * stopFill * btc.quantity, 9);
		expect(btc.return_ratio).toBeCloseTo(btc.pnl / (100 * btc.quantity), 12);
		expect(first.still_open).toEqual([expect.objectContaining({ symbol: 'SOL/USDT', price: 21, price_source: 'request' })]);

		// No price in the request: the latest stored candle close is used; 48 h later the time stop fires.
		await storage.candles.upsertMany([{ exchange: 'binance', symbol: 'SOL/USDT', timeframe: '1h', openTime: T0 + 47 * HOUR, open: 21, high: 21, low: 21, close: 21.5, volume: 1 }]);
		clock.ms = T0 + 48 * HOUR;
		const second = await json(post('/v1/positions/check', {}));
		expect(second.closed).toEqual([expect.objectContaining({ symbol: 'SOL/USDT', exit_reason: 'time_stop', exit_price: 21.5 * (1 - 0.0002) })]);

		const trades = await json(app.request('/v1/trades?strategy=vwap-mean-reversion'));
		expect(trades.trades.map((t: { exit_reason: string }) => t.exit_reason).sort()).toEqual(['stop', 'target', 'time_stop']);
		expect(trades.stats).toMatchObject({ n: 3, wins: 2, losses: 1 });
		expect(await json(app.request('/v1/positions?status=open'))).toEqual({ positions: [] });
		const closed = await json(app.request('/v1/positions?status=closed'));
		expect(closed.positions).toHaveLength(3);
		expect(closed.positions.every((p: { realized_pnl: number | null }) => p.realized_pnl !== null)).toBe(true);
	});

	it('leaves a position open when no price is known and says so', async () => {
		await buy('BTCUSDT', 100, 95, 110);
		clock.ms += 72 * HOUR;
		const r = await json(post('/v1/positions/check', {}));
		expect(r.closed).toEqual([]);
		expect(r.skipped).toEqual([expect.objectContaining({ symbol: 'BTC/USDT' })]);
	});

	it('honours the time stop the position opened with, and an explicit now', async () => {
		await buy('BTCUSDT', 100, 95, 110, { time_stop_hours: 12 });
		await buy('ETHUSDT', 50, 48, 56);
		// the check's own time_stop_hours is only the default for positions stored without one
		const r = await json(post('/v1/positions/check', { now: new Date(T0 + 13 * HOUR).toISOString(), prices: { 'BTC/USDT': 101, 'ETH/USDT': 51 }, thresholds: { time_stop_hours: 1 } }));
		expect(r.closed).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', exit_reason: 'time_stop' })]);
		expect(r.still_open).toEqual([expect.objectContaining({ symbol: 'ETH/USDT' })]);
	});

	it('uses the trade log for Kelly once the sample is large enough', async () => {
		// Five round trips: 3 wins of +10 %, 2 losses of −5 % (before fees).
		for (const exit of [110, 110, 95, 110, 95]) {
			await buy('BTCUSDT', 100, 95, 110);
			await json(post('/v1/positions/check', { prices: { 'BTC/USDT': exit } }));
		}
		const d = await buy('BTCUSDT', 100, 95, 110, { kelly_min_sample: 5 });
		expect(d.receipt.kelly).toMatchObject({ source: 'trade_log', n: 5, wins: 3, losses: 2 });
		expect(d.receipt.kelly.win_rate).toBeCloseTo(0.6, 12);
		// avg win / avg loss are mean |return_ratio| net of both fees and the stop's 2 bps slippage:
		// targets fill at 110: (10 − 0.1 − 0.11) %; stops at 95 × 0.9998: (5 + 0.019 + 0.1 + 0.095 × 0.9998) %.
		expect(d.receipt.kelly.avg_win).toBeCloseTo(0.1 - 0.001 - 0.0011, 12);
		expect(d.receipt.kelly.avg_loss).toBeCloseTo(0.05 + 0.95 * 0.0002 + 0.001 + 0.00095 * 0.9998, 12);
		const small = await json(post('/v1/signals/tradingview', { secret: SECRET, alert_id: `a-${n++}`, action: 'buy', ticker: 'ETHUSDT', time: clock.ms, close: 100, stop: 95, target: 110 }));
		expect(small.receipt.kelly.source).toBe('prior'); // ETH has no trades; the default minimum sample is 30 anyway
	});
});

describe('POST /v1/positions/check on stored 1-minute candles', () => {
	const MIN = 60_000;
	const candle = (symbol: string, i: number, o: number, h: number, l: number, c: number) => ({ exchange: 'binance', symbol, timeframe: '1m', openTime: T0 + i * MIN, open: o, high: h, low: l, close: c, volume: 1 });

	it('fills a crossed target at the target, not at the last price seen', async () => {
		await buy('BTCUSDT', 91_000, 90_500, 91_800);
		await storage.candles.upsertMany([candle('BTC/USDT', 0, 91_000, 91_200, 90_900, 91_100), candle('BTC/USDT', 1, 91_100, 92_700, 91_000, 92_625)]);
		clock.ms = T0 + 2 * MIN + 5_000;
		const r = await json(post('/v1/positions/check', { prices: { 'BTC/USDT': 92_625 } }));
		expect(r.closed).toEqual([expect.objectContaining({ exit_reason: 'target', exit_price: 91_800, fill_basis: 'candles', exit_time: new Date(T0 + MIN).toISOString() })]);
	});

	it('sees a wick through the stop between two checks and fills it at the stop less slippage', async () => {
		await buy('BTCUSDT', 91_000, 90_000, 93_000);
		await storage.candles.upsertMany([candle('BTC/USDT', 0, 91_000, 91_100, 90_900, 91_000)]);
		clock.ms = T0 + MIN + 1_000;
		expect((await json(post('/v1/positions/check', {}))).closed).toEqual([]);
		// two candles later: one wicked to 88,500 and recovered; the price now is back at 91,000
		await storage.candles.upsertMany([candle('BTC/USDT', 1, 91_000, 91_050, 88_500, 90_990), candle('BTC/USDT', 2, 90_990, 91_100, 90_950, 91_000)]);
		clock.ms = T0 + 3 * MIN + 1_000;
		const r = await json(post('/v1/positions/check', { prices: { 'BTC/USDT': 91_000 } }));
		expect(r.closed).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 90_000 * (1 - 0.0002), fill_basis: 'candles' })]);
	});

	it('keeps the time stop the position opened with', async () => {
		await buy('BTCUSDT', 100, 95, 110, { time_stop_hours: 1 });
		// later checks run with the default 48 h: the position's own 1 h still applies
		clock.ms = T0 + 2 * HOUR;
		const r = await json(post('/v1/positions/check', { prices: { 'BTC/USDT': 101 } }));
		expect(r.closed).toEqual([expect.objectContaining({ exit_reason: 'time_stop' })]);
	});

	it('starts the daily halt on a marked-to-market loss, and the next alert is refused', async () => {
		await buy('BTCUSDT', 100, 50, 300, { max_position_ratio: 1, max_heat_ratio: 1, max_var_ratio: 1 });
		clock.ms = T0 + HOUR;
		const r = await json(post('/v1/positions/check', { prices: { 'BTC/USDT': 60 } }));
		expect(r.closed).toEqual([]);
		expect(r.day_return_ratio).toBeLessThan(-0.05);
		expect(r.halt).toMatchObject({ halt_until: new Date(T0 + HOUR + 24 * HOUR).toISOString(), limit: -0.05 });
		const next = await buy('ETHUSDT', 50, 48, 56);
		expect(next).toMatchObject({ status: 'rejected', reason_code: 'halted' });
	});
});

describe('GET /v1/positions', () => {
	it('lists open positions marked to the latest stored close', async () => {
		await buy('ETHUSDT', 50, 48, 56);
		await storage.candles.upsertMany([{ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', openTime: T0, open: 50, high: 52, low: 50, close: 52, volume: 3 }]);
		const { positions } = await json(app.request('/v1/positions'));
		expect(positions).toHaveLength(1);
		expect(positions[0]).toMatchObject({ symbol: 'ETH/USDT', status: 'open', mark_price: 52 });
		expect(positions[0].unrealized_pnl).toBeCloseTo((52 - 50) * positions[0].quantity - positions[0].fees, 9);
	});
});

describe('POST /v1/decisions/:id/callbacks', () => {
	it('records a button press once per callback id and answers 404 for an unknown decision', async () => {
		const d = await buy('BTCUSDT', 100, 95, 110);
		const press = { action: 'executed', user: 'alice', callback_query_id: 'cbq-1', raw: { update_id: 1 } };
		const first = await json(post(`/v1/decisions/${d.decision_id}/callbacks`, press));
		expect(first).toMatchObject({ decision_id: d.decision_id, action: 'executed', user: 'alice', duplicate: false });
		const again = await json(post(`/v1/decisions/${d.decision_id}/callbacks`, { ...press, action: 'skipped' }));
		expect(again).toMatchObject({ event_id: first.event_id, action: 'executed', duplicate: true });
		expect(await storage.callbackEvents.listForDecision(d.decision_id)).toHaveLength(1);
		expect((await post('/v1/decisions/424242/callbacks', press)).status).toBe(404);
		expect((await post(`/v1/decisions/${d.decision_id}/callbacks`, { action: 'maybe', user: 'x' })).status).toBe(422);
	});
});
