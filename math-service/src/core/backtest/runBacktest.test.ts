import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { HOUR_MS, timeframeToMs } from './brokerOptions.js';
import { collectEntrySignals } from './collectEntrySignals.js';
import { BLOCK_BARS } from './collectStrategySignals.js';
import { computeStrategyIndicators, periodsPerYearOf, resolveStrategyParams, runBacktest, type StrategyIndicators } from './runBacktest.js';

function candles(rows: [number, number, number, number, number][], t0 = Date.UTC(2024, 0, 1)): CandleColumns {
	const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
	return { openTime: Float64Array.from(rows, (_, i) => t0 + i * HOUR_MS), open: col(0), high: col(1), low: col(2), close: col(3), volume: col(4), length: rows.length };
}

/** Hand-made indicators: a signal at bar 0 (close 100, target 105), nothing else. */
function handIndicators(n: number): StrategyIndicators {
	const vwap = new Float64Array(n).fill(Number.NaN);
	vwap[0] = 105;
	return { vwap, bandStdev: new Float64Array(n).fill(1), trendEma: new Float64Array(n).fill(0) };
}

describe('runBacktest', () => {
	const c = candles([[99, 100.5, 98, 99, 1], [100, 101, 99, 100, 1], [101, 102, 100, 101, 1], [101, 106, 100.5, 104, 1], [104, 104.5, 103, 104, 1]]);
	const ind = handIndicators(c.length);
	ind.vwap[1] = 105; // signal at bar 1 (close 100 > close 99), target 105

	it('charges 0.1% per side, 2 bps slippage on the market entry, none on the target, and sizes 10% of equity incl. commission', () => {
		const bt = runBacktest({ candles: c, indicators: ind });
		expect(bt.trades).toHaveLength(1);
		const t = bt.trades[0];
		const entry = 101 * 1.0002;
		const qty = (0.1 * 10_000) / (100 * 1.001); // 10% of equity at the signal close, commission included
		expect(t).toMatchObject({ signalIndex: 1, entryIndex: 2, exitIndex: 3, exitReason: 'target', exitPrice: 105, targetPrice: 105, stopPrice: 97 });
		expect(t.entryPrice).toBeCloseTo(entry, 12);
		expect(t.quantity).toBeCloseTo(qty, 12);
		expect(t.fees).toBeCloseTo(0.001 * qty * (entry + 105), 12);
		expect(t.pnl).toBeCloseTo(qty * (105 - entry) - t.fees, 12);
		expect(t.returnRatio).toBeCloseTo(t.pnl / (qty * entry), 12);
		expect(t.entryTimeMs).toBe(c.openTime[2]);
		expect(t.exitTimeMs).toBe(c.openTime[3]);
		expect(bt.finalEquity).toBeCloseTo(10_000 + t.pnl, 9);
	});

	it('marks equity to the close while in a position and compounds the per-bar returns to the total', () => {
		const bt = runBacktest({ candles: c, indicators: ind });
		const t = bt.trades[0];
		expect(bt.equity[2]).toBeCloseTo(10_000 - t.quantity * t.entryPrice * 1.001 + t.quantity * 101, 9);
		expect(bt.equity).toHaveLength(5);
		expect(bt.returns).toHaveLength(4);
		expect(bt.returns.reduce((a, r) => a * (1 + r), 1) - 1).toBeCloseTo(bt.totalReturnRatio, 12);
		expect(bt.periodsPerYear).toBe(8760);
		expect(bt.spanYears).toBeCloseTo((5 * HOUR_MS) / (365.25 * 86_400_000), 12);
	});

	it('survives a day that opens with zero-volume bars: VWAP na, no signal, finite equity', () => {
		const rows: [number, number, number, number, number][] = Array.from({ length: 120 }, (_, i) => {
			const p = 100 + Math.sin(i / 3) * 3;
			return i >= 24 && i < 30 ? [p, p, p, p, 0] : [p, p + 1, p - 1, p + 0.5 * Math.cos(i), 5];
		});
		const bt = runBacktest({ candles: candles(rows), params: { stdevLength: 5, deviationThreshold: 0, trendEmaLength: 3 } });
		expect(bt.trades.length).toBeGreaterThan(0);
		expect(bt.equity.every(Number.isFinite)).toBe(true);
		expect(bt.trades.every((t) => t.signalIndex < 24 || t.signalIndex >= 30)).toBe(true);
	});

	it('rejects an empty or out-of-range bar range and an unknown timeframe', () => {
		expect(() => runBacktest({ candles: c, fromIndex: 3, toIndex: 3 })).toThrow(/bar range/);
		expect(() => runBacktest({ candles: c, toIndex: 99 })).toThrow(/bar range/);
		expect(() => runBacktest({ candles: c, params: { stdevLength: 0 } })).toThrow(/stdevLength/);
		expect(() => timeframeToMs('7x')).toThrow(/timeframe/);
		expect(timeframeToMs('15m')).toBe(900_000);
		expect(periodsPerYearOf(60_000)).toBe(525_600);
	});
});

describe('runBacktest returns', () => {
	it('writes exactly the per-bar returns of its equity curve (flat bars 0)', async () => {
		const { equityReturns } = await import('./accountTrades.js');
		const rows: [number, number, number, number, number][] = Array.from({ length: 400 }, (_, i) => {
			const p = 100 + 6 * Math.sin(i / 5) + 0.01 * i;
			return [p, p + 1.5, p - 1.5, p + Math.cos(i * 1.3), 2 + Math.sin(i)];
		});
		const bt = runBacktest({ candles: candles(rows), params: { stdevLength: 8, deviationThreshold: 0.3, trendEmaLength: 4 }, fromIndex: 20, toIndex: 390 });
		expect(bt.trades.length).toBeGreaterThan(3);
		expect(Array.from(bt.returns)).toEqual(Array.from(equityReturns(bt.equity)));
	});
});

describe('runBacktest computing its indicators block by block', () => {
	/** A seeded random walk with volume, long enough for the default 50-bar indicators to trade. */
	function walk(n: number, seed: number): CandleColumns {
		let a = seed;
		const rnd = () => ((a = (a * 16807) % 2147483647) / 2147483647);
		const rows: [number, number, number, number, number][] = [];
		let p = 100;
		for (let i = 0; i < n; i++) {
			const o = p;
			p *= 1 + (rnd() - 0.5) * 0.02;
			rows.push([o, Math.max(o, p) * (1 + rnd() * 0.005), Math.min(o, p) * (1 - rnd() * 0.005), p, 1 + rnd() * 10]);
		}
		return candles(rows);
	}

	it('gives exactly what precomputed full-length indicator columns give, on any bar range', () => {
		const params = resolveStrategyParams({ deviationThreshold: 0.5, stdevLength: 20, trendEmaLength: 20 });
		const c = walk(10_000, 7); // several blocks of BLOCK_BARS
		const ind = computeStrategyIndicators(c, params);
		for (const [fromIndex, toIndex] of [[0, c.length], [1, BLOCK_BARS], [BLOCK_BARS - 1, BLOCK_BARS + 1], [3_000, 9_999], [BLOCK_BARS * 3, c.length]]) {
			const precomputed = runBacktest({ candles: c, params, indicators: ind, fromIndex, toIndex, computeMetrics: false });
			const blocks = runBacktest({ candles: c, params, fromIndex, toIndex, computeMetrics: false });
			expect(blocks.trades).toEqual(precomputed.trades);
			expect(blocks.equity).toEqual(precomputed.equity);
			const alerts = collectEntrySignals(c.close, ind.vwap, ind.bandStdev, ind.trendEma, params, fromIndex, toIndex, new Int32Array(c.length));
			expect(blocks.signalCount).toBe(alerts);
			expect(precomputed.signalCount).toBe(alerts);
		}
		expect(runBacktest({ candles: c, params, computeMetrics: false }).trades.length).toBeGreaterThan(10);
	});
});
