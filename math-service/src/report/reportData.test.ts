import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../core/candles.js';
import { buildReportSeries } from './reportData.js';

function candlesOf(n: number): CandleColumns {
	const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
	return { openTime: f((i) => i * 60_000), open: f((i) => 100 + i), high: f((i) => 101 + i), low: f((i) => 99 + i), close: f((i) => 100.5 + i), volume: f(() => 1), length: n };
}

describe('buildReportSeries', () => {
	it('keeps every bar when the window fits', () => {
		const c = candlesOf(10);
		const s = buildReportSeries(c, { fromIndex: 2, toIndex: 10, equity: new Float64Array(8).fill(100), trades: [] }, 100);
		expect(s.barsPerPoint).toBe(1);
		expect(s.candles).toHaveLength(8);
		expect(s.candles[0]).toEqual({ time: 120, open: 102, high: 103, low: 101, close: 102.5 });
	});

	it('aggregates buckets to OHLC and keeps the deepest drawdown inside a bucket', () => {
		const c = candlesOf(9);
		// Equity: peak 120 at bar 1, trough 90 at bar 4 (−25%), back to 110 by the bucket's end.
		const equity = Float64Array.from([100, 120, 110, 100, 90, 100, 105, 110, 110]);
		const s = buildReportSeries(c, { fromIndex: 0, toIndex: 9, equity, trades: [] }, 3);
		expect(s.barsPerPoint).toBe(3);
		expect(s.candles.map((k) => [k.open, k.high, k.low, k.close])).toEqual([[100, 103, 99, 102.5], [103, 106, 102, 105.5], [106, 109, 105, 108.5]]);
		expect(s.equity.map((p) => p.value)).toEqual([110, 100, 110]);
		expect(s.drawdown[1].value).toBeCloseTo(90 / 120 - 1, 12);
		expect(s.drawdown[0].value).toBeCloseTo(110 / 120 - 1, 12);
	});

	it('marks each trade on the bucket of its fill bars, exits coloured by the sign of pnl', () => {
		const c = candlesOf(9);
		const trade = (entryIndex: number, exitIndex: number, pnl: number, exitReason: 'target' | 'stop') => ({ entryIndex, exitIndex, pnl, exitReason }) as never;
		const s = buildReportSeries(c, { fromIndex: 0, toIndex: 9, equity: new Float64Array(9).fill(1), trades: [trade(1, 4, 5, 'target'), trade(5, 8, -2, 'stop')] }, 3);
		expect(s.markers.map((m) => [m.time, m.text, m.color])).toEqual([
			[0, 'B', '#2962ff'], [180, 'TP', '#089981'], [180, 'B', '#2962ff'], [360, 'SL', '#f23645'],
		]);
	});
});
