import { describe, expect, it } from 'vitest';
import { evaluateKpiGates } from '../gates/kpiGates.js';
import type { CandleColumns } from '../candles.js';
import { backtestToJson, snakeCase, tradeToJson } from './backtestJson.js';
import { runBacktest } from './runBacktest.js';

describe('backtestToJson', () => {
	it('converts camelCase keys to snake_case', () => {
		expect(snakeCase('maxDrawdownRatio')).toBe('max_drawdown_ratio');
		expect(snakeCase('pnl')).toBe('pnl');
	});

	it('writes trade times as the ISO 8601 UTC open time of the fill bars and keeps the numbers', () => {
		const t = { signalIndex: 3, entryIndex: 4, entryTimeMs: Date.UTC(2024, 0, 2, 5), entryPrice: 101, exitIndex: 6, exitTimeMs: Date.UTC(2024, 0, 2, 7), exitPrice: 105, exitReason: 'target' as const, targetPrice: 105, stopPrice: 97, quantity: 2, fees: 0.412, pnl: 7.588, returnRatio: 0.0376 };
		expect(tradeToJson(t)).toMatchObject({ entry_time: '2024-01-02T05:00:00.000Z', exit_time: '2024-01-02T07:00:00.000Z', exit_reason: 'target', pnl: 7.588, return_ratio: 0.0376 });
	});

	it('produces a JSON document with params, period, trades, metrics, trade stats and gates', () => {
		const n = 300;
		const c: CandleColumns = { openTime: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n).fill(1), length: n };
		for (let i = 0; i < n; i++) {
			const p = 100 + 5 * Math.sin(i / 7) + i * 0.05;
			c.openTime[i] = Date.UTC(2024, 0, 1) + i * 3_600_000;
			c.open[i] = p; c.close[i] = p + Math.cos(i); c.high[i] = p + 2; c.low[i] = p - 2;
		}
		const bt = runBacktest({ candles: c, params: { stdevLength: 10, deviationThreshold: 0.2, trendEmaLength: 5 } });
		const doc = JSON.parse(JSON.stringify(backtestToJson(bt, evaluateKpiGates(bt))));
		expect(doc.params).toEqual({ stdev_length: 10, deviation_threshold: 0.2, trend_ema_length: 5, stop_ratio: 0.03, min_reward_risk: 0 });
		expect(doc.period.start_time).toBe('2024-01-01T00:00:00.000Z');
		expect(bt.trades.length).toBeGreaterThan(0);
		expect(doc.trades).toHaveLength(bt.trades.length);
		expect(Object.keys(doc.metrics)).toContain('sharpe_ratio');
		expect(Object.keys(doc.trade_stats)).toContain('profit_factor');
		expect(doc.gates.gates).toHaveLength(6);
		expect(doc.equity).toBeUndefined();
	});
});
