import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { alphaScoreColumns, type SentimentPoint } from '../alpha/alphaScoreColumns.js';
import type { CandleColumns } from '../candles.js';
import { HOUR_MS } from './brokerOptions.js';
import { runAlphaThresholdBacktest } from './runAlphaThresholdBacktest.js';

function candles(rows: [number, number, number, number][], t0 = Date.UTC(2024, 0, 1)): CandleColumns {
	const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
	return { openTime: Float64Array.from(rows, (_, i) => t0 + i * HOUR_MS), open: col(0), high: col(1), low: col(2), close: col(3), volume: new Float64Array(rows.length), length: rows.length };
}
const scoresOf = (s: number[], partial = 0) => ({ score: Float64Array.from(s), partial: new Uint8Array(s.length).fill(partial) });

describe('runAlphaThresholdBacktest (hand-made bars through the broker emulator)', () => {
	it('enters at the next open with slippage when the score crosses 70; target +4.5 % fills at the limit, stop −3 % frozen at the signal close', () => {
		const c = candles([[100, 101, 99, 100], [100, 101, 99, 100], [101, 102, 100, 101], [102, 104.6, 101, 104], [104, 105, 103, 104]]);
		const bt = runAlphaThresholdBacktest({ candles: c, scores: scoresOf([50, 71, 80, 60, 90]) });
		expect(bt.signalCount).toBe(2); // bars 1 and 4 cross; bar 2 stays above
		expect(bt.trades).toHaveLength(1); // bar 4's signal is on the last bar: no next open
		const t = bt.trades[0]!;
		expect(t).toMatchObject({ signalIndex: 1, entryIndex: 2, exitIndex: 3, exitReason: 'target' });
		expect(t.entryPrice).toBeCloseTo(101 * 1.0002, 12);
		expect(t.targetPrice).toBeCloseTo(104.5, 12);
		expect(t.stopPrice).toBeCloseTo(97, 12);
		expect(t.exitPrice).toBeCloseTo(104.5, 12);
	});

	it('fills a gap through the stop at the open with slippage', () => {
		const c = candles([[100, 101, 99, 100], [100, 101, 99, 100], [100, 100.5, 99.5, 100], [95, 96, 94, 95], [95, 96, 94, 95]]);
		const t = runAlphaThresholdBacktest({ candles: c, scores: scoresOf([0, 75, 0, 0, 0]) }).trades[0]!;
		expect(t).toMatchObject({ exitIndex: 3, exitReason: 'stop' });
		expect(t.exitPrice).toBeCloseTo(95 * 0.9998, 12);
	});

	it('closes at the 48 h time stop at the next open', () => {
		const rows: [number, number, number, number][] = Array.from({ length: 60 }, () => [100, 100.5, 99.5, 100]);
		const t = runAlphaThresholdBacktest({ candles: candles(rows), scores: scoresOf([0, 75, ...Array(58).fill(0)]) }).trades[0]!;
		// entry at the open of bar 2; the bar closing 48 h later is bar 49; the market close fills at bar 50's open
		expect(t).toMatchObject({ entryIndex: 2, exitIndex: 50, exitReason: 'time' });
		expect(t.exitPrice).toBeCloseTo(100 * 0.9998, 12);
	});

	it('refuses partial scores when allowPartial is off, and takes them by default', () => {
		const c = candles([[100, 101, 99, 100], [100, 101, 99, 100], [101, 102, 100, 101], [102, 103, 101, 102]]);
		expect(runAlphaThresholdBacktest({ candles: c, scores: scoresOf([50, 71, 50, 50], 1) }).trades).toHaveLength(1);
		expect(runAlphaThresholdBacktest({ candles: c, scores: scoresOf([50, 71, 50, 50], 1), params: { allowPartial: false } }).trades).toHaveLength(0);
	});

	it('takes entries inside the window only, the crossing judged against the score before it', () => {
		const c = candles(Array.from({ length: 6 }, () => [100, 100.2, 99.8, 100] as [number, number, number, number]));
		expect(runAlphaThresholdBacktest({ candles: c, scores: scoresOf([50, 75, 75, 50, 50, 50]), fromIndex: 2 }).signalCount).toBe(0);
		expect(runAlphaThresholdBacktest({ candles: c, scores: scoresOf([50, 50, 75, 50, 50, 50]), fromIndex: 2 }).signalCount).toBe(1);
	});
});

describe('runAlphaThresholdBacktest on real BTC hourly bars (committed slice 2022–2023)', () => {
	const c = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) });
	const tech = alphaScoreColumns({ openTime: c.openTime, close: c.close, timeframeMs: HOUR_MS });

	it('trades the technical score with the frozen stop/target of the signal close and the broker exits', () => {
		const bt = runAlphaThresholdBacktest({ candles: c, scores: tech });
		expect(bt.trades.length).toBeGreaterThan(50);
		for (const t of bt.trades) {
			expect(tech.score[t.signalIndex - 1]!).toBeLessThan(70);
			expect(tech.score[t.signalIndex]!).toBeGreaterThanOrEqual(70);
			expect(t.entryIndex).toBe(t.signalIndex + 1);
			expect(t.entryPrice).toBeCloseTo(c.open[t.entryIndex]! * 1.0002, 9);
			expect(t.stopPrice).toBeCloseTo(c.close[t.signalIndex]! * 0.97, 9);
			expect(t.targetPrice).toBeCloseTo(c.close[t.signalIndex]! * 1.045, 9);
			if (t.exitReason === 'time') expect(c.openTime[t.exitIndex]! - t.entryTimeMs).toBeGreaterThanOrEqual(48 * HOUR_MS);
		}
		expect(new Set(bt.trades.map((t) => t.exitReason))).toEqual(new Set(['target', 'stop', 'time']));
	});

	it('a sentiment snapshot learned after a bar closed cannot change that bar\'s signal or any trade decided before it', () => {
		const snaps: SentimentPoint[] = [{ computedAt: c.openTime[0]!, sentimentScore: 50, panicScore: 0 }];
		const scoresWith = (s: SentimentPoint[]) => alphaScoreColumns({ openTime: c.openTime, close: c.close, timeframeMs: HOUR_MS, sentiment: { asset: s } });
		const plain = scoresWith(snaps);
		// A bar below 70 whose score a bullish sentiment of 100 would lift through 70: the one a leak would turn into a signal.
		let k = 9000;
		while (!(plain.score[k - 1]! < 70 && plain.score[k]! < 70 && (0.4 * plain.technical[k]! + 0.15 * 100) / 0.55 >= 70)) k++;
		const closeK = c.openTime[k]! + HOUR_MS;
		const late = scoresWith([...snaps, { computedAt: closeK + 1, sentimentScore: 100, panicScore: 0 }]);
		const atClose = scoresWith([...snaps, { computedAt: closeK, sentimentScore: 100, panicScore: 0 }]);
		const upToK = (scores: typeof plain) => runAlphaThresholdBacktest({ candles: c, scores, toIndex: k + 1 });
		const summary = (bt: ReturnType<typeof upToK>) => ({ signals: bt.signalCount, trades: bt.trades.map((t) => [t.signalIndex, t.exitIndex, t.exitReason]) });
		expect(summary(upToK(late))).toEqual(summary(upToK(plain)));
		// Known at the close, it is that bar's news: the bar signals.
		expect(upToK(atClose).signalCount).toBe(upToK(plain).signalCount + 1);
	});
});
