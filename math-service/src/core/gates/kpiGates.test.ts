import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { evaluateKpiGates, type KpiInput } from './kpiGates.js';

const GOOD: KpiInput = { tradeCount: 500, spanYears: 2, winRate: 0.55, profitFactor: 1.4, maxDrawdownRatio: 0.149, sharpeRatio: 1.01 };

describe('evaluateKpiGates', () => {
	it('passes every seed-1 gate exactly at the inclusive thresholds', () => {
		const r = evaluateKpiGates(GOOD);
		expect(r.passed).toBe(true);
		expect(r.gates.map((g) => [g.name, g.comparator, g.threshold])).toEqual([
			['trade_count', '>=', 500],
			['span_years', '>=', 2],
			['win_rate', '>=', 0.55],
			['profit_factor', '>=', 1.4],
			['max_drawdown', '<', 0.15],
			['sharpe_ratio', '>', 1.0],
		]);
	});

	it('fails the strict gates at equality and names the failing gate with its value', () => {
		const r = evaluateKpiGates({ ...GOOD, maxDrawdownRatio: 0.15, sharpeRatio: 1.0 });
		expect(r.passed).toBe(false);
		expect(r.gates.filter((g) => !g.passed).map((g) => [g.name, g.value])).toEqual([['max_drawdown', 0.15], ['sharpe_ratio', 1.0]]);
	});

	it('asks Sharpe > 2 under the seed-2 profile and accepts custom thresholds', () => {
		expect(evaluateKpiGates(GOOD, 'seed2').gates.find((g) => g.name === 'sharpe_ratio')).toMatchObject({ passed: false, threshold: 2 });
		expect(evaluateKpiGates({ ...GOOD, tradeCount: 120 }, { minTradeCount: 100 }).passed).toBe(true);
		expect(() => evaluateKpiGates(GOOD, 'seed9' as never)).toThrow(/unknown KPI profile/);
	});

	it('fails a gate whose value cannot be measured (null)', () => {
		const r = evaluateKpiGates({ ...GOOD, profitFactor: null, sharpeRatio: null });
		expect(r.gates.filter((g) => !g.passed).map((g) => g.name)).toEqual(['profit_factor', 'sharpe_ratio']);
	});

	it('reads a real backtest result: counts, span and metrics as measured', () => {
		const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) });
		const bt = runBacktest({ candles, params: { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 } });
		const r = evaluateKpiGates(bt);
		const byName = Object.fromEntries(r.gates.map((g) => [g.name, g.value]));
		expect(byName.trade_count).toBe(bt.trades.length);
		expect(byName.span_years).toBeCloseTo(2, 2);
		expect(byName.win_rate).toBe(bt.tradeStats!.winRate);
		expect(byName.sharpe_ratio).toBe(bt.metrics!.sharpeRatio);
		expect(r.passed).toBe(r.gates.every((g) => g.passed));
	});
});
