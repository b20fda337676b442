import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { collectEntrySignals } from './collectEntrySignals.js';
import { backtestDecisions, detectLookAhead, type DecisionFunction } from './detectLookAhead.js';
import { computeStrategyIndicators } from './runBacktest.js';

const ACTIVE = { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 };
// Two years of BTC 1h keep the re-runs quick.
const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) });

/** The entry rule as a decision function; `peek` swaps `close > close[1]` for `close[1 bar ahead] > close`. */
function entryRule(peek: boolean): DecisionFunction {
	return {
		width: 1,
		decide(c: CandleColumns) {
			const ind = computeStrategyIndicators(c, ACTIVE);
			const close = peek ? Float64Array.from({ length: c.length }, (_, i) => (i + 1 < c.length ? c.close[i + 1] : Number.NaN)) : c.close;
			// With `peek`, the rule compares tomorrow's close with today's: c[i+1] > c[i].
			const idx = new Int32Array(c.length);
			const mask = new Uint8Array(c.length);
			if (!peek) {
				const n = collectEntrySignals(close, ind.vwap, ind.bandStdev, ind.trendEma, { ...ACTIVE, minRewardRisk: 0 }, 0, c.length, idx);
				for (let k = 0; k < n; k++) mask[idx[k]] = 1;
			} else {
				for (let i = 0; i < c.length; i++) {
					const x = c.close[i];
					if (close[i] > x && x < ind.vwap[i] - ind.bandStdev[i] * ACTIVE.deviationThreshold && x > ind.trendEma[i]) mask[i] = 1;
				}
			}
			return mask;
		},
	};
}

describe('detectLookAhead', () => {
	it('finds no look-ahead in the backtester (signals, exits and exit prices)', () => {
		const report = detectLookAhead(backtestDecisions(ACTIVE), candles, { checkpoints: 6, seed: 7 });
		expect(report).toEqual({ causal: true, checks: 24, violation: null });
	});

	it('finds no look-ahead in the entry rule', () => {
		expect(detectLookAhead(entryRule(false), candles, { seed: 3 }).causal).toBe(true);
	});

	it('catches an entry rule that peeks one bar ahead, at the bar just before the checkpoint', () => {
		const report = detectLookAhead(entryRule(true), candles, { seed: 3 });
		expect(report.causal).toBe(false);
		expect(report.violation).not.toBeNull();
		expect(report.violation!.bar).toBe(report.violation!.checkpoint);
	});
});
