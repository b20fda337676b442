/**
 * The alpha backtest scores what the live scorer would have scored: with the same candles, on-chain
 * versions and sentiment snapshots in the database, the backtest's score at a bar (from the series
 * loadAlphaBacktestData reads, replayed point in time) equals scoreAlpha run at that bar's close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alphaScoreColumns } from '../core/alpha/alphaScoreColumns.js';
import { realCandleSlice } from '../data/realCandles.test-helper.js';
import { openStorage, type Storage } from '../storage/openStorage.js';
import { loadAlphaBacktestData } from './alphaBacktestData.js';
import { SCORE_ALPHA_DEFAULTS, scoreAlpha } from './scoreAlpha.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2022, 3, 1) });
const t0 = Date.UTC(2022, 0, 1);
let storage: Storage;

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	await storage.candles.upsertMany(
		Array.from({ length: candles.length }, (_, i) => ({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', openTime: candles.openTime[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! })),
	);
	for (let d = 0; d < 90; d++) {
		const learnedAt = t0 + (d + 1) * DAY + 3 * HOUR + 11 * 60_000;
		const obs = [
			{ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', periodStart: t0 + d * DAY, value: d % 11 === 3 ? null : Math.round(Math.sin(d * 1.7) * 4000) },
			{ asset: 'BTC', metric: 'lth_sopr', resolution: '24h', periodStart: t0 + d * DAY, value: 1 + Math.cos(d / 4) / 25 },
		];
		if (d >= 5 && d % 5 === 0) obs.push({ asset: 'BTC', metric: 'lth_sopr', resolution: '24h', periodStart: t0 + (d - 2) * DAY, value: 0.9 }); // a revision
		await storage.onchain.record(obs, learnedAt, 'glassnode');
		// Sentiment: the market from day 0, BTC's own from day 30.
		const snap = { computedAt: t0 + d * DAY + 9 * HOUR, sentimentScore: 35 + ((d * 13) % 40), panicScore: 3, postCount: 4, bullishVotes: 2, bearishVotes: 1, source: 'cryptopanic' };
		await storage.news.recordSnapshot({ ...snap, currency: '*' });
		if (d >= 30) await storage.news.recordSnapshot({ ...snap, currency: 'BTC', sentimentScore: snap.sentimentScore + 10 });
	}
});
afterAll(async () => {
	await storage?.close();
});

describe('alpha backtest score = live scorer at the bar close', () => {
	it('matches scoreAlpha on bars with the market or the asset snapshot, with revisions and missing values', async () => {
		const data = await loadAlphaBacktestData(storage, { symbol: 'BTC/USDT', onchain: true, sentiment: true, sourceLabel: 'test' });
		const cols = alphaScoreColumns({ openTime: candles.openTime, close: candles.close, timeframeMs: HOUR, onchain: data.onchain, sentiment: data.sentiment });
		let compared = 0;
		for (let i = 400; i < candles.length; i += 53) {
			const nowMs = candles.openTime[i]! + HOUR;
			const [live] = await scoreAlpha(storage, { ...SCORE_ALPHA_DEFAULTS, symbols: ['BTC/USDT'], nowMs, record: false });
			expect(live!.partial, `bar ${i}`).toBe(cols.partial[i] === 1);
			expect(Math.abs(live!.score! - cols.score[i]!), `bar ${i}: live ${live!.score} vs backtest ${cols.score[i]}`).toBeLessThan(1e-6);
			expect(live!.components.onchain.score ?? Number.NaN).toBe(cols.onchain[i]);
			expect(live!.components.sentiment.score ?? Number.NaN).toBe(cols.sentiment[i]);
			compared++;
		}
		expect(compared).toBeGreaterThan(20);
		expect(cols.partial.subarray(400).every((p) => p === 0)).toBe(true);
	});
});
