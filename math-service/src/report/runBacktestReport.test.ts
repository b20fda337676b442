import { describe, expect, it } from 'vitest';
import { runBacktest } from '../core/backtest/runBacktest.js';
import { realCandleSlice } from '../data/realCandles.test-helper.js';
import { barRange, runBacktestReport } from './runBacktestReport.js';

// A week of BTC 1m (October 2023): the seed's defaults signal dozens of times a day on 1m bars (one position at a time).
const candles = realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 9) });
const data = { file: 'BTCUSDT-1m-2023-09.csv', db: null, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };
const fromMs = Date.UTC(2023, 9, 2);

describe('runBacktestReport', () => {
	const { json, result } = runBacktestReport({ candles, data, fromMs });

	it('returns the trades of runBacktest over the window, with the earlier bars as indicator warm-up', () => {
		const { fromIndex } = barRange(candles, fromMs);
		const direct = runBacktest({ candles, broker: { timeframeMs: 60_000 }, fromIndex });
		expect(json.data.warmup_bars).toBe(fromIndex);
		expect(fromIndex).toBeGreaterThan(1000);
		expect(json.trade_count).toBe(direct.trades.length);
		expect(json.trade_count).toBeGreaterThan(5);
		expect(json.trades.map((t) => [t.pnl, t.exit_reason])).toEqual(direct.trades.map((t) => [t.pnl, t.exitReason]));
		expect(result.totalReturnRatio).toBe(direct.totalReturnRatio);
	});

	it('counts the bars that met the entry rule, at least one per trade and more while a position is open', () => {
		expect(json.signal_count).toBeGreaterThanOrEqual(json.trade_count);
		expect(json.signal_count).toBeGreaterThan(json.trade_count);
	});

	it('stamps each fill with the open time of its bar in ISO 8601 UTC, entries one bar after the signal', () => {
		for (const t of json.trades.slice(0, 20)) {
			expect(t.entry_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
			expect(Date.parse(t.entry_time) - Date.parse(t.signal_time)).toBe(60_000);
			expect(Date.parse(t.exit_time)).toBeGreaterThanOrEqual(Date.parse(t.entry_time));
			expect(Date.parse(t.entry_time)).toBeGreaterThanOrEqual(fromMs);
		}
		expect(json.data.from).toBe('2023-10-02T00:00:00Z');
	});

	it('reports the core metrics in snake_case and both seed gate profiles with the measured numbers', () => {
		expect(json.metrics.trade_count).toBe(json.trade_count);
		expect(json.metrics.sharpe_ratio).toBe(result.metrics?.sharpeRatio);
		expect(json.metrics.max_drawdown_ratio).toBe(result.metrics?.maxDrawdownRatio);
		expect(json.metrics.win_rate).toBe(result.tradeStats?.winRate);
		expect(json.metrics.periods_per_year).toBe(525_600);
		const tradeGate = json.gates.seed1.gates.find((g) => g.name === 'trade_count')!;
		expect(tradeGate).toEqual({ name: 'trade_count', passed: json.trade_count >= 500, value: json.trade_count, threshold: 500, comparator: '>=' });
		// 7 days cannot pass the 2-year span gate, so neither profile passes.
		expect(json.gates.seed1.passed).toBe(false);
		expect(json.gates.seed2.gates.find((g) => g.name === 'sharpe_ratio')!.threshold).toBe(2);
	});

	it('cuts the trade list to the limit but keeps the count and the metrics of all trades', () => {
		const cut = runBacktestReport({ candles, data, fromMs, tradeLimit: 3 }).json;
		expect(cut.trades).toHaveLength(3);
		expect(cut.trades_truncated).toBe(true);
		expect(cut.trade_count).toBe(json.trade_count);
		expect(cut.metrics).toEqual(json.metrics);
	});

	it('throws InvalidInputError naming the data span when the window holds no candles', () => {
		expect(() => runBacktestReport({ candles, data, fromMs: Date.UTC(2030, 0, 1) })).toThrow(/fewer than 2 candles.*data has candles from 2023-09-30/);
	});
});
