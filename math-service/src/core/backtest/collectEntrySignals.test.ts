import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { fullCandles, realCandleSlice, skipWithoutFullOhlcv } from '../../data/realCandles.test-helper.js';
import { vwapMeanReversionSeries } from '../signals/vwapMeanReversion.js';
import { collectEntrySignals } from './collectEntrySignals.js';
import { computeStrategyIndicators } from './runBacktest.js';

describe('collectEntrySignals', () => {
	const HOURLY = { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 };
	const MINUTE = { stdevLength: 50, deviationThreshold: 2.0, trendEmaLength: 50, stopRatio: 0.03 };
	const ETH = { stdevLength: 50, deviationThreshold: 1.0, trendEmaLength: 50, stopRatio: 0.03 };
	// Committed real slices run everywhere; the whole files run when the full candle files are here.
	it.for([
		['BTCUSDT-1h.csv 2022-2023 (committed slice)', () => realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) }), HOURLY, false],
		['BTCUSDT-1m-2023.csv around the 2023-03-24 halt (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023.csv', { fromMs: Date.UTC(2023, 2, 22), toMs: Date.UTC(2023, 2, 26) }), MINUTE, false],
		['BTCUSDT-1m-2023-09.csv to 2023-10-09 (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 9) }), MINUTE, false],
		['the whole BTCUSDT-1h.csv', () => fullCandles('BTCUSDT-1h.csv'), HOURLY, true],
		['the whole ETHUSDT-1h.csv', () => fullCandles('ETHUSDT-1h.csv'), ETH, true],
		['the whole BTCUSDT-1m-2021-11.csv', () => fullCandles('BTCUSDT-1m-2021-11.csv'), MINUTE, true],
	] as [string, () => CandleColumns, typeof HOURLY, boolean][])('takes the same bars as the live signal series (core/signals) on %s, with and without the R/R filter', ([, load, p, full], ctx) => {
		if (full) skipWithoutFullOhlcv(ctx);
		const c = load();
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
