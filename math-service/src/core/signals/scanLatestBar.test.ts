import { describe, expect, it } from 'vitest';
import type { Candle } from '../candles.js';
import { DEFAULT_ALPHA_SCAN, scanLatestBar, type KnownScore } from './scanLatestBar.js';
import { VwapMeanReversionScanner } from './vwapMeanReversionScanner.js';

const MIN = 60_000;
const DAY0 = Date.UTC(2026, 2, 1);
const bar = (i: number, close: number, volume = 1): Candle => ({ openTime: DAY0 + i * MIN, open: close, high: close, low: close, close, volume });

/**
 * Heavy volume at 200 early in the session, then a quiet 100 with a small wobble: the session VWAP
 * stays near 200 while the 50 EMA follows 100; the last bar ticks up to 100.5, above the EMA and the
 * previous close, far below VWAP − 2σ: the Pine longCondition.
 */
function session(): Candle[] {
	const bars: Candle[] = [];
	for (let i = 0; i < 10; i++) bars.push(bar(i, 200, 1e6));
	for (let i = 10; i < 320; i++) bars.push(bar(i, 100 + (i % 2 === 0 ? 0.01 : -0.01)));
	bars.push(bar(320, 99.99));
	bars.push(bar(321, 100.5));
	return bars;
}
const score = (s: number | null, partial = false): KnownScore => ({ score: s, partial, computedAtMs: DAY0 });

describe('scanLatestBar', () => {
	it("finds the Pine longCondition at the latest closed bar's close, with the alert levels", () => {
		const bars = session();
		const nowMs = DAY0 + 322 * MIN + 2_000; // bar 321 closed 2 s ago
		const r = scanLatestBar({ bars, timeframeMs: MIN, nowMs, vwap: {}, alpha: null });
		expect(r.bar?.openTime).toBe(DAY0 + 321 * MIN);
		expect(r.signals).toHaveLength(1);
		const s = r.signals[0]!;
		expect(s).toMatchObject({ strategy: 'vwap-mean-reversion', barOpenTime: DAY0 + 321 * MIN, barCloseTime: DAY0 + 322 * MIN, close: 100.5 });
		expect(s.stop).toBeCloseTo(100.5 * 0.97, 12);
		// the same numbers as the streaming scanner the backtest parity tests pin to Pine
		const scanner = new VwapMeanReversionScanner();
		let last = null;
		for (const b of bars) last = scanner.update(b);
		expect(s.target).toBe(last!.vwap);
		expect(s.rewardRisk).toBe(last!.rewardRisk);
		expect(s.target).toBeGreaterThan(190);
	});

	it('ignores a bar that has not closed yet, and the strategy when it is off', () => {
		const bars = [...session(), bar(322, 90)];
		const nowMs = DAY0 + 322 * MIN + 30_000; // bar 322 still forming
		expect(scanLatestBar({ bars, timeframeMs: MIN, nowMs, vwap: {}, alpha: null }).signals.map((s) => s.barOpenTime)).toEqual([DAY0 + 321 * MIN]);
		expect(scanLatestBar({ bars, timeframeMs: MIN, nowMs, vwap: null, alpha: null }).signals).toEqual([]);
		expect(scanLatestBar({ bars: [bar(0, 1)], timeframeMs: MIN, nowMs: DAY0 + 30_000, vwap: {}, alpha: null })).toEqual({ bar: null, vwapScan: null, signals: [] });
		// no signal on the bar before (close below the previous close)
		expect(scanLatestBar({ bars: session().slice(0, 321), timeframeMs: MIN, nowMs: DAY0 + 321 * MIN, vwap: {}, alpha: null }).signals).toEqual([]);
	});

	it('enters the alpha strategy only on the bar whose close first sees the score at or above the threshold', () => {
		const bars = [bar(0, 100), bar(1, 200)];
		const nowMs = DAY0 + 2 * MIN;
		const alpha = (atClose: KnownScore | null, atPreviousClose: KnownScore | null, params = DEFAULT_ALPHA_SCAN) => scanLatestBar({ bars, timeframeMs: MIN, nowMs, vwap: null, alpha: { params, atClose, atPreviousClose } }).signals;
		const [s] = alpha(score(72), score(65));
		expect(s).toMatchObject({ strategy: 'alpha-threshold', close: 200, alphaScore: 72, previousAlphaScore: 65, vwap: null });
		expect(s!.stop).toBeCloseTo(194, 9);
		expect(s!.target).toBeCloseTo(209, 9);
		expect(s!.rewardRisk).toBeCloseTo(1.5, 9);
		expect(alpha(score(70), score(69.99))).toHaveLength(1);
		expect(alpha(score(72), null)).toHaveLength(1); // no earlier score counts as below
		expect(alpha(score(72), score(70))).toEqual([]); // already above: no new crossing
		expect(alpha(score(69.9), score(10))).toEqual([]);
		expect(alpha(score(null), score(10))).toEqual([]);
		expect(alpha(null, null)).toEqual([]);
		expect(alpha(score(80, true), score(10), { ...DEFAULT_ALPHA_SCAN, allowPartial: false })).toEqual([]);
		expect(alpha(score(80), score(10), { ...DEFAULT_ALPHA_SCAN, threshold: 85 })).toEqual([]);
	});
});
