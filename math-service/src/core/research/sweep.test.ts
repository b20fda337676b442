import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { evaluateKpiGates } from '../gates/kpiGates.js';
import { parseRange, runSweep, SweepEngine, sweepRowKpiInput, type SweepGrid } from './sweep.js';

const near = (a: number | null, b: number | null, tol = 1e-9) =>
	(a === null && b === null) || (a !== null && b !== null && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)));

const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) });
const GRID: SweepGrid = { stdevLength: [10, 20, 50], deviationThreshold: [0.5, 1.0], trendEmaLength: [20, 100, 200, 500], stopRatio: [0.02, 0.05] };

describe('parseRange', () => {
	it('expands inclusive start:stop:step ranges without float drift', () => {
		expect(parseRange('10:100:10')).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
		expect(parseRange('0.5:2.75:0.25')).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]);
		expect(parseRange('0.03')).toEqual([0.03]);
		expect(() => parseRange('5:1:1')).toThrow(/start:stop:step/);
	});
});

describe('SweepEngine', () => {
	it('gives every combination the trades and core metrics of a stand-alone runBacktest', () => {
		const progress: number[] = [];
		const sweep = runSweep(candles, GRID, { onProgress: (done, total) => progress.push(done / total) });
		expect(sweep.rows).toHaveLength(48);
		expect(progress.at(-1)).toBe(1);
		expect(sweep.rows.some((r) => r.tradeCount > 50)).toBe(true);
		for (const row of sweep.rows) {
			const bt = runBacktest({ candles, params: row.params });
			expect(row.tradeCount).toBe(bt.trades.length);
			expect(near(row.totalReturnRatio, bt.totalReturnRatio)).toBe(true);
			const m = row.metrics;
			expect([m.sharpeRatio, m.maxDrawdownRatio, m.cagrRatio].map((x, i) => near(x, [bt.metrics!.sharpeRatio, bt.metrics!.maxDrawdownRatio, bt.metrics!.cagrRatio][i]))).toEqual([true, true, true]);
			expect(m.winRate).toBe(bt.tradeStats!.winRate);
			expect(near(m.profitFactor, bt.tradeStats!.profitFactor)).toBe(true);
			expect(near(m.expectancy, bt.tradeStats!.expectancy)).toBe(true);
			expect(evaluateKpiGates(sweepRowKpiInput(row, sweep)).gates.map((g) => g.passed)).toEqual(evaluateKpiGates(bt).gates.map((g) => g.passed));
		}
		expect(sweep.spanYears).toBeCloseTo(2, 2);
	});

	it('agrees with runBacktest on a sub-range and with the reward/risk filter on', () => {
		const engine = new SweepEngine(candles);
		const grid = { ...GRID, minRewardRisk: 0.5 };
		const from = 5000;
		const to = 15000;
		const sweep = engine.run(grid, { fromIndex: from, toIndex: to });
		expect(sweep.rows.some((r) => r.tradeCount > 10)).toBe(true);
		for (const row of sweep.rows) {
			const bt = runBacktest({ candles, params: row.params, fromIndex: from, toIndex: to });
			expect(row.tradeCount).toBe(bt.trades.length);
			expect(near(row.totalReturnRatio, bt.totalReturnRatio)).toBe(true);
			expect(near(row.metrics.sharpeRatio, bt.metrics!.sharpeRatio)).toBe(true);
			expect(near(row.metrics.maxDrawdownRatio, bt.metrics!.maxDrawdownRatio)).toBe(true);
			expect(near(row.metrics.profitFactor, bt.tradeStats!.profitFactor)).toBe(true);
			expect(row.metrics.winRate).toBe(bt.tradeStats!.winRate);
		}
	});

	it('agrees with runBacktest on one-minute bars (gaps, zero-volume bars, many trades)', () => {
		const minute = realCandleSlice('BTCUSDT-1m-2023.csv', { fromMs: Date.UTC(2023, 2, 22), toMs: Date.UTC(2023, 2, 26) });
		const broker = { timeframeMs: 60_000 };
		const grid = { stdevLength: [20, 50], deviationThreshold: [1.0, 2.0], trendEmaLength: [50, 200], stopRatio: [0.003, 0.03] };
		const sweep = runSweep(minute, grid, { broker });
		expect(sweep.rows.some((r) => r.tradeCount > 15)).toBe(true); // four days around the 2023-03-24 halt
		for (const row of sweep.rows) {
			const bt = runBacktest({ candles: minute, params: row.params, broker });
			expect(row.tradeCount).toBe(bt.trades.length);
			const got = [row.totalReturnRatio, row.metrics.sharpeRatio, row.metrics.maxDrawdownRatio, row.metrics.cagrRatio, row.metrics.profitFactor];
			const want = [bt.totalReturnRatio, bt.metrics!.sharpeRatio, bt.metrics!.maxDrawdownRatio, bt.metrics!.cagrRatio, bt.tradeStats!.profitFactor];
			expect(got.map((x, i) => near(x, want[i]))).toEqual(got.map(() => true));
		}
	});

	it('computes each distinct stdev and EMA length once, shared across combinations and runs', () => {
		const engine = new SweepEngine(candles);
		engine.run(GRID);
		engine.run(GRID, { fromIndex: 1000, toIndex: 9000 });
		expect(engine.cachedIndicatorCounts).toEqual({ stdev: 3, ema: 4 });
		expect(engine.stdevFor(20)).toBe(engine.stdevFor(20));
	});

	it('sums each combination\'s per-bar returns per CSCV block exactly as runBacktest\'s returns', () => {
		const count = 8;
		const from = 3000;
		const to = candles.length - 500;
		const sweep = runSweep(candles, GRID, { blockCount: count, fromIndex: from, toIndex: to });
		const plain = runSweep(candles, GRID, { fromIndex: from, toIndex: to });
		expect(sweep.rows.map((r) => r.metrics)).toEqual(plain.rows.map((r) => r.metrics));
		const b = sweep.blockReturns!;
		const periods = to - from - 1;
		expect(b.periods.reduce((a, x) => a + x, 0)).toBe(periods);
		let checked = 0;
		sweep.rows.forEach((row, k) => {
			if (row.tradeCount < 20) return;
			const bt = runBacktest({ candles, params: row.params, fromIndex: from, toIndex: to });
			const s1 = new Float64Array(count);
			const s2 = new Float64Array(count);
			bt.returns.forEach((r, i) => {
				const blk = Math.floor((i * count) / periods);
				s1[blk] += r;
				s2[blk] += r * r;
			});
			for (let blk = 0; blk < count; blk++) {
				expect(Math.abs(b.sum[k * count + blk] - s1[blk])).toBeLessThan(1e-12);
				expect(Math.abs(b.sumSquares[k * count + blk] - s2[blk])).toBeLessThan(1e-12);
			}
			checked++;
		});
		expect(checked).toBeGreaterThan(10);
	});
});
