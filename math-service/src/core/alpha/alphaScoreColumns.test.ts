import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { alphaCoverage, alphaScoreColumns, type OnchainVersion, type SentimentPoint } from './alphaScoreColumns.js';
import { compositeAlphaScore } from './compositeAlphaScore.js';
import { onChainScore } from './onChainScore.js';
import { technicalScoreColumn } from './technicalScoreColumn.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2022, 3, 1) });
const base = { openTime: candles.openTime, close: candles.close, timeframeMs: HOUR };
const t0 = candles.openTime[0]!;

/** Daily series whose value for day d is published 2 h after the day ends. */
function dailySeries(days: number, value: (d: number) => number): OnchainVersion[] {
	return Array.from({ length: days }, (_, d) => ({ periodStart: t0 + d * DAY, value: value(d), learnedAt: t0 + (d + 1) * DAY + 2 * HOUR }));
}
const netflow = dailySeries(90, (d) => Math.sin(d) * 1000);
const lthSopr = dailySeries(90, (d) => 1 + Math.cos(d / 3) * 0.05);
const snapshots: SentimentPoint[] = Array.from({ length: 60 }, (_, k) => ({ computedAt: t0 + k * 30 * HOUR + 17 * 60_000, sentimentScore: 40 + (k % 7) * 5, panicScore: k % 5 }));

/** Close time of bar i: when its signal is decided. */
const closeOf = (i: number) => candles.openTime[i]! + HOUR;

describe('alphaScoreColumns', () => {
	it('without on-chain and sentiment data scores the technical component alone, partial, and says which are missing', () => {
		const cols = alphaScoreColumns(base);
		const tech = technicalScoreColumn(candles.close);
		for (let i = 0; i < candles.length; i++) {
			if (Number.isNaN(tech[i]!)) expect(cols.score[i]).toBeNaN();
			else expect(cols.score[i]).toBeCloseTo(tech[i]!, 9);
			expect(cols.partial[i]).toBe(1);
		}
		const cov = alphaCoverage(cols, 200, candles.length);
		expect(cov.missingEverywhere).toEqual(['onchain', 'sentiment']);
		expect(cov.missingBars.technical).toBe(0);
		expect(cov.partialBars).toBe(candles.length - 200);
	});

	it('blends the components known at each bar close with the live scorer\'s weights', () => {
		const cols = alphaScoreColumns({ ...base, onchain: { netflow, lthSopr }, sentiment: { asset: snapshots } });
		const i = 60 * 24 + 5; // day 60, 05:00 → closes 06:00: days 0..58 are published (day 59 at 02:00 of day 61)
		const known = (s: OnchainVersion[]) => s.filter((v) => v.learnedAt <= closeOf(i)).slice(-31).map((v) => v.value);
		expect(known(netflow)).toHaveLength(31);
		const chain = onChainScore(known(netflow), known(lthSopr), { window: 30 }).score!;
		const snap = snapshots.filter((s) => s.computedAt <= closeOf(i)).at(-1)!;
		const expected = compositeAlphaScore({ technical: { score: cols.technical[i]! }, onchain: { score: chain }, sentiment: { score: snap.sentimentScore } });
		expect(cols.onchain[i]).toBe(chain);
		expect(cols.sentiment[i]).toBe(snap.sentimentScore);
		expect(cols.panic[i]).toBe(snap.panicScore);
		expect(cols.score[i]).toBe(expected.score);
		expect(cols.partial[i]).toBe(0);
	});

	it('never uses a value before it was learned: a value learned after a bar close cannot change that bar, one learned at the close can', () => {
		const k = 45 * 24 + 11;
		const before = alphaScoreColumns({ ...base, onchain: { netflow, lthSopr }, sentiment: { asset: snapshots } });
		// A revision of an old period and a new sentiment snapshot, both learned 1 ms after bar k closed.
		const late = closeOf(k) + 1;
		const after = alphaScoreColumns({
			...base,
			onchain: { netflow: [...netflow, { periodStart: t0 + 40 * DAY, value: 1e9, learnedAt: late }], lthSopr },
			sentiment: { asset: [...snapshots, { computedAt: late, sentimentScore: 100, panicScore: 100 }] },
		});
		for (let i = 0; i <= k; i++) expect(after.score[i], `bar ${i}`).toBe(before.score[i]);
		expect(after.onchain[k + 1]).not.toBe(before.onchain[k + 1]);
		expect(after.sentiment[k + 1]).toBe(100);
		// Learned exactly at the close: usable for that bar's decision.
		const atClose = alphaScoreColumns({ ...base, onchain: { netflow, lthSopr }, sentiment: { asset: [...snapshots, { computedAt: closeOf(k), sentimentScore: 100, panicScore: 0 }] } });
		expect(atClose.sentiment[k]).toBe(100);
		expect(atClose.sentiment[k - 1]).toBe(before.sentiment[k - 1]);
	});

	it('falls back to the market snapshot when the asset has none yet', () => {
		const market: SentimentPoint[] = [{ computedAt: t0, sentimentScore: 33, panicScore: 1 }];
		const asset: SentimentPoint[] = [{ computedAt: closeOf(100), sentimentScore: 66, panicScore: 2 }];
		const cols = alphaScoreColumns({ ...base, sentiment: { asset, market } });
		expect(cols.sentiment[99]).toBe(33);
		expect(cols.sentiment[100]).toBe(66);
	});
});
