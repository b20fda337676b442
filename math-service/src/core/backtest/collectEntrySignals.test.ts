import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ohlcvDir, readOhlcvCsv } from '../../data/readOhlcvCsv.js';
import { vwapMeanReversionSeries } from '../signals/vwapMeanReversion.js';
import { collectEntrySignals } from './collectEntrySignals.js';
import { computeStrategyIndicators } from './runBacktest.js';

describe('collectEntrySignals', () => {
	it.each([
		['BTCUSDT-1h.csv', { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 }],
		['ETHUSDT-1h.csv', { stdevLength: 50, deviationThreshold: 1.0, trendEmaLength: 50, stopRatio: 0.03 }],
		['BTCUSDT-1m-2021-11.csv', { stdevLength: 50, deviationThreshold: 2.0, trendEmaLength: 50, stopRatio: 0.03 }],
	])('takes the same bars as the live signal series (core/signals) on %s, with and without the R/R filter', (file, p) => {
		const c = readOhlcvCsv(join(ohlcvDir(), file));
		const series = vwapMeanReversionSeries(c, { stdevLength: p.stdevLength, deviationThreshold: p.deviationThreshold, trendEmaLength: p.trendEmaLength, stopLossRatio: p.stopRatio, minRewardRisk: 0 });
		const ind = computeStrategyIndicators(c, p);
		const out = new Int32Array(c.length);
		for (const minRewardRisk of [0, 0.5, 1.5]) {
			const count = collectEntrySignals(c.close, ind.vwap, ind.bandStdev, ind.trendEma, { ...p, minRewardRisk }, 0, c.length, out);
			const want: number[] = [];
			for (let i = 0; i < c.length; i++) if (series.longSignal[i] === 1 && (minRewardRisk === 0 || series.rewardRisk[i] >= minRewardRisk)) want.push(i);
			expect(Array.from(out.subarray(0, count))).toEqual(want);
			if (minRewardRisk === 0) expect(count).toBeGreaterThan(10);
		}
	});
});
