import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { fullCandles, realCandleSlice, skipWithoutFullOhlcv } from '../../data/realCandles.test-helper.js';
import { HOUR_MS, resolveBrokerOptions, type BrokerOptions } from './brokerOptions.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from './collectEntrySignals.js';
import { oracleBacktest, type OracleBar } from './oracle.test-helper.js';
import { runBacktest } from './runBacktest.js';

const toBars = (c: CandleColumns): OracleBar[] =>
	Array.from({ length: c.length }, (_, i) => ({ t: c.openTime[i], o: c.open[i], h: c.high[i], l: c.low[i], c: c.close[i], v: c.volume[i] }));

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function compare(candles: CandleColumns, bars: OracleBar[], params: Partial<StrategyParams>, broker: Partial<BrokerOptions>) {
	const fast = runBacktest({ candles, params, broker });
	const slow = oracleBacktest(bars, { ...DEFAULT_STRATEGY_PARAMS, ...params }, resolveBrokerOptions(broker));
	expect(fast.trades.length).toBe(slow.trades.length);
	expect(fast.trades.map((t) => [t.entryIndex, t.exitIndex, t.exitReason])).toEqual(slow.trades.map((t) => [t.entryIndex, t.exitIndex, t.exitReason]));
	const bad = fast.trades.filter((t, k) => {
		const o = slow.trades[k];
		return !(close(t.entryPrice, o.entryPrice) && close(t.exitPrice, o.exitPrice) && close(t.pnl, o.pnl) && close(t.fees, o.fees) && close(t.quantity, o.quantity));
	});
	expect(bad).toEqual([]);
	let worst = 0;
	for (let i = 0; i < slow.equity.length; i++) worst = Math.max(worst, Math.abs(fast.equity[i] - slow.equity[i]) / slow.equity[i]);
	expect(worst).toBeLessThan(1e-9);
	return fast.trades;
}

// The seed's defaults trade rarely on hourly bars (0 trades on BTC/ETH 1h: a close 2σ below the daily
// VWAP is almost never above the 50-bar EMA), so the looser sweep points carry the comparison.
const SEED_DEFAULTS: Partial<StrategyParams> = {};
const ACTIVE_POINTS: Partial<StrategyParams>[] = [
	{ stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 },
	{ stdevLength: 100, deviationThreshold: 1.0, trendEmaLength: 100, stopRatio: 0.05 },
	{ stdevLength: 10, deviationThreshold: 0.75, trendEmaLength: 500, stopRatio: 0.1 },
	{ stdevLength: 30, deviationThreshold: 0.5, trendEmaLength: 20, stopRatio: 0.01, minRewardRisk: 0.5 },
];

// Committed real slices run everywhere; the whole files run when the full candle files are here.
// A slice holds fewer trades per parameter point than a whole file (minTrades), and its exit
// reasons are checked over all active points rather than one (four days of minutes hold no 48 h time stop).
const SOURCES: [label: string, load: () => CandleColumns, timeframeMs: number, full: boolean, exitReasons?: string[]][] = [
	['BTCUSDT-1h.csv 2022-2023 (committed slice)', () => realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) }), HOUR_MS, false],
	['BTCUSDT-1m-2023-09.csv to 2023-10-09 (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 9) }), 60_000, false],
	['BTCUSDT-1m-2023.csv around the 2023-03-24 halt (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023.csv', { fromMs: Date.UTC(2023, 2, 22), toMs: Date.UTC(2023, 2, 26) }), 60_000, false, ['target', 'stop']],
	['the whole BTCUSDT-1h.csv', () => fullCandles('BTCUSDT-1h.csv'), HOUR_MS, true],
	['the whole ETHUSDT-1h.csv', () => fullCandles('ETHUSDT-1h.csv'), HOUR_MS, true],
	['the whole BTCUSDT-1m-2021-04.csv', () => fullCandles('BTCUSDT-1m-2021-04.csv'), 60_000, true],
];

describe.each(SOURCES)('runBacktest agrees with the plain-loop oracle on %s', (_, load, timeframeMs, full, exitReasons = ['target', 'stop', 'time']) => {
	let candles: CandleColumns;
	let bars: OracleBar[];
	const need = (ctx: { skip: (condition: boolean, note?: string) => void }) => {
		if (full) skipWithoutFullOhlcv(ctx);
		candles ??= load();
		bars ??= toBars(candles);
	};
	it('same trades, exit reasons and P&L to 1e-9 for the seed defaults', (ctx) => {
		need(ctx);
		compare(candles, bars, SEED_DEFAULTS, { timeframeMs });
	});

	it.for(ACTIVE_POINTS.map((p) => [JSON.stringify(p), p] as const))('same trades, exit reasons and P&L to 1e-9 for %s', ([, params], ctx) => {
		need(ctx);
		const trades = compare(candles, bars, params, { timeframeMs });
		expect(trades.length).toBeGreaterThan(full ? 10 : 3);
	});

	it('agrees with the high-first tie rule, tick rounding, no costs and no time stop', (ctx) => {
		need(ctx);
		expect(compare(candles, bars, ACTIVE_POINTS[0], { timeframeMs, tieBreak: 'high_first', tickSize: 0.01 }).length).toBeGreaterThan(full ? 10 : 3);
		compare(candles, bars, ACTIVE_POINTS[2], { timeframeMs, feeRatio: 0, slippageRatio: 0, timeStopMs: null, positionSizeRatio: 1 });
	});

	it('produces every exit reason on real data with the defaults', (ctx) => {
		need(ctx);
		const points = full ? [ACTIVE_POINTS[2]] : ACTIVE_POINTS;
		const reasons = new Set(points.flatMap((params) => runBacktest({ candles, broker: { timeframeMs }, params }).trades.map((t) => t.exitReason)));
		for (const reason of exitReasons) expect(reasons).toContain(reason);
	});
});
