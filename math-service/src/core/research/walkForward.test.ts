import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { evaluateKpiGates } from '../gates/kpiGates.js';
import { assessOverfitting } from './assessOverfitting.js';
import { SweepEngine, type SweepGrid } from './sweep.js';
import { walkForward } from './walkForward.js';

// Two years of BTC 1h (a committed real slice): one in-sample year, then four quarterly out-of-sample windows.
const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) });
const GRID: SweepGrid = { stdevLength: [10, 30], deviationThreshold: [0.5, 1.0], trendEmaLength: [50, 200], stopRatio: [0.02, 0.05] };
const YEAR = 8760;

describe('walkForward', () => {
	const engine = new SweepEngine(candles);
	const wf = walkForward(engine, { grid: GRID, inSampleBars: YEAR, outOfSampleBars: YEAR / 4 });

	it('tiles the out-of-sample windows after the first in-sample year without overlap', () => {
		expect(wf.windows.length).toBe(Math.ceil((candles.length - YEAR) / (YEAR / 4)));
		wf.windows.forEach((w, k) => {
			expect(w.inSample.toIndex).toBe(w.outOfSample.fromIndex);
			expect(w.inSample.toIndex - w.inSample.fromIndex).toBe(YEAR);
			if (k > 0) expect(w.outOfSample.fromIndex).toBe(wf.windows[k - 1].outOfSample.toIndex);
		});
		expect(wf.windows.at(-1)!.outOfSample.toIndex).toBe(candles.length);
		expect(wf.equity.length).toBe(candles.length - YEAR);
		expect(wf.trialsPerWindow).toBe(16);
	});

	it('chooses in sample the grid point with the best Sharpe of an independent runBacktest', () => {
		for (const w of wf.windows.slice(0, 3)) {
			let best: { sharpe: number; params: object } | null = null;
			for (const s of GRID.stdevLength) for (const k of GRID.deviationThreshold) for (const e of GRID.trendEmaLength) for (const stop of GRID.stopRatio) {
				const bt = runBacktest({ candles, params: { stdevLength: s, deviationThreshold: k, trendEmaLength: e, stopRatio: stop }, fromIndex: w.inSample.fromIndex, toIndex: w.inSample.toIndex });
				const sharpe = bt.metrics!.sharpeRatio;
				if (bt.trades.length > 0 && sharpe !== null && (best === null || sharpe > best.sharpe)) best = { sharpe, params: bt.params };
			}
			expect(w.chosen).toEqual(best?.params ?? null);
		}
	});

	it('chains the out-of-sample windows: final equity is the product of the window returns', () => {
		const product = wf.windows.reduce((a, w) => a * (1 + w.outOfSampleReturnRatio), 1);
		expect(wf.totalReturnRatio + 1).toBeCloseTo(product, 12);
		expect(wf.trades.length).toBe(wf.windows.reduce((a, w) => a + w.outOfSampleTradeCount, 0));
		expect(wf.equity.at(-1)).toBeCloseTo(wf.finalEquity, 9);
		const pnl = wf.trades.reduce((a, t) => a + t.pnl, 0);
		expect(pnl).toBeCloseTo(wf.finalEquity - engine.broker.initialCapital, 6);
		expect(evaluateKpiGates(wf).gates.find((g) => g.name === 'span_years')!.value).toBeCloseTo(1, 1);
	});
});

describe('walkForward, anchored', () => {
	it('keeps the in-sample start fixed and grows the window; OOS windows are the same as rolling', () => {
		const engine = new SweepEngine(candles);
		const wf = walkForward(engine, { grid: GRID, inSampleBars: YEAR, outOfSampleBars: YEAR / 2, anchored: true });
		wf.windows.forEach((w, k) => {
			expect(w.inSample.fromIndex).toBe(0);
			expect(w.inSample.toIndex).toBe(YEAR + k * (YEAR / 2));
			expect(w.outOfSample.fromIndex).toBe(w.inSample.toIndex);
		});
		expect(() => walkForward(engine, { grid: GRID, inSampleBars: candles.length, outOfSampleBars: 10 })).toThrow(/shorter than one in-sample window/);
	});
});

describe('assessOverfitting', () => {
	it('reports the best row by Sharpe with its deflated Sharpe ratio and PBO', () => {
		const engine = new SweepEngine(candles);
		const sweep = engine.run(GRID, { blockCount: 8 });
		const report = assessOverfitting(engine, sweep);
		const sharpes = sweep.rows.map((r) => r.metrics.sharpeRatio ?? -Infinity);
		expect(report.bestIndex).toBe(sharpes.indexOf(Math.max(...sharpes)));
		expect(report.trials).toBe(sweep.rows.filter((r) => r.metrics.sharpeRatio !== null).length);
		expect(report.perPeriodSharpe! * Math.sqrt(YEAR)).toBeCloseTo(report.best!.metrics.sharpeRatio!, 9);
		expect(report.deflatedSharpe!.deflatedSharpeRatio).toBeGreaterThanOrEqual(0);
		expect(report.deflatedSharpe!.deflatedSharpeRatio).toBeLessThanOrEqual(1);
		expect(report.deflatedSharpe!.expectedMaxSharpe).toBeGreaterThan(0);
		expect(report.pbo!.splits).toBe(70);
		expect(report.pbo!.configurations).toBe(16);
	});
});
