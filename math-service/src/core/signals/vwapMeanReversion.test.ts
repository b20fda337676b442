import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { InvalidInputError } from '../../errors.js';
import {
	DEFAULT_VWAP_MEAN_REVERSION,
	VwapMeanReversionScanner,
	vwapMeanReversionSeries,
} from './vwapMeanReversion.js';

const H = 3_600_000;
const day0 = Date.UTC(2024, 0, 1);

/** Flat bars (o = h = l = c), so hlc3 = close. */
function flatCandles(rows: [timeMs: number, close: number, volume: number][]): CandleColumns {
	const f = (k: 0 | 1 | 2) => Float64Array.from(rows.map((r) => r[k]));
	const close = f(1);
	return { openTime: f(0), open: close, high: close, low: close, close, volume: f(2), length: rows.length };
}

// stdev(2), ema(2), k = 1. Bar 0 carries the day's volume at 100, so the VWAP stays near 100.
//   bar 1: close 50 < ema 75 → trend filter fails        bar 2: 60 < ema 65 → trend filter fails
//   bar 3: 70 < lower ≈ 95, 70 > ema 68.33, 70 > 60 → SIGNAL
//   bar 4: 69 < 70 → "close > close[1]" fails            bar 5: new UTC day, VWAP resets to 75 → band fails
const scenario = flatCandles([
	[day0, 100, 1e6],
	[day0 + H, 50, 1],
	[day0 + 2 * H, 60, 1],
	[day0 + 3 * H, 70, 1],
	[day0 + 4 * H, 69, 1],
	[day0 + 24 * H, 75, 1],
]);
const small = { stdevLength: 2, trendEmaLength: 2, deviationThreshold: 1 };

describe('vwapMeanReversionSeries', () => {
	it('has the seed defaults', () => {
		expect(DEFAULT_VWAP_MEAN_REVERSION).toMatchObject({
			stdevLength: 50,
			deviationThreshold: 2,
			trendEmaLength: 50,
			stopLossRatio: 0.03,
			minRewardRisk: 1.5,
		});
	});

	it('signals only when all three clauses hold at the close', () => {
		const s = vwapMeanReversionSeries(scenario, small);
		expect(Array.from(s.longSignal)).toEqual([0, 0, 0, 1, 0, 0]);
		expect(s.trendEma[3]).toBeCloseTo(68 + 1 / 3, 10);
		expect(s.stdev[3]).toBe(5);
		expect(s.lowerBand[3]).toBe(s.vwap[3] - 5);
		expect(s.vwap[5]).toBe(75); // reset at 00:00 UTC
	});

	it('gives stop = close·(1 − stopLossRatio), target = VWAP and R/R on signal bars only', () => {
		const s = vwapMeanReversionSeries(scenario, small);
		const vwap3 = (100e6 + 50 + 60 + 70) / (1e6 + 3);
		expect(s.stop[3]).toBeCloseTo(70 * 0.97, 12);
		expect(s.target[3]).toBeCloseTo(vwap3, 9);
		expect(s.rewardRisk[3]).toBeCloseTo((vwap3 - 70) / (70 * 0.03), 9);
		for (const i of [0, 1, 2, 4, 5]) {
			expect([s.stop[i], s.target[i], s.rewardRisk[i]].every(Number.isNaN)).toBe(true);
		}
	});

	it('never signals on bar 0 (close[1] is na) nor before the stdev and EMA exist', () => {
		const s = vwapMeanReversionSeries(scenario, { ...small, stdevLength: 5 });
		expect(Array.from(s.longSignal.slice(0, 4))).toEqual([0, 0, 0, 0]);
	});

	it('rejects invalid parameters with InvalidInputError', () => {
		expect(() => vwapMeanReversionSeries(scenario, { stdevLength: 0 })).toThrow(InvalidInputError);
		expect(() => vwapMeanReversionSeries(scenario, { stopLossRatio: 3 })).toThrow(InvalidInputError);
		expect(() => vwapMeanReversionSeries(scenario, { deviationThreshold: -1 })).toThrow(InvalidInputError);
	});
});

describe('VwapMeanReversionScanner', () => {
	it('reports the same signal and plan bar by bar, with null for na', () => {
		const scanner = new VwapMeanReversionScanner(small);
		const scans = Array.from({ length: scenario.length }, (_, i) =>
			scanner.update({
				openTime: scenario.openTime[i],
				open: scenario.open[i],
				high: scenario.high[i],
				low: scenario.low[i],
				close: scenario.close[i],
				volume: scenario.volume[i],
			}),
		);
		expect(scans.map((s) => s.longSignal)).toEqual([false, false, false, true, false, false]);
		expect(scans[0].stdev).toBeNull();
		expect(scans[0].trendEma).toBeNull();
		expect(scans[3].stop).toBeCloseTo(67.9, 12);
		expect(scans[3].rewardRisk).toBeGreaterThan(1.5);
		expect(scans[3].meetsMinRewardRisk).toBe(true);
		expect(scans[4].stop).toBeNull();
		expect(scanner.barCount).toBe(6);
	});

	it('flags a signal whose reward/risk is below the minimum', () => {
		const scanner = new VwapMeanReversionScanner({ ...small, minRewardRisk: 100 });
		let last = null;
		for (let i = 0; i < 4; i++) {
			last = scanner.update({
				openTime: scenario.openTime[i],
				open: scenario.close[i],
				high: scenario.close[i],
				low: scenario.close[i],
				close: scenario.close[i],
				volume: scenario.volume[i],
			});
		}
		expect(last?.longSignal).toBe(true);
		expect(last?.meetsMinRewardRisk).toBe(false);
	});

	it('rejects a bar that is not after the previous one', () => {
		const scanner = new VwapMeanReversionScanner();
		const bar = { openTime: day0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
		scanner.update(bar);
		expect(() => scanner.update(bar)).toThrow(InvalidInputError);
	});
});
