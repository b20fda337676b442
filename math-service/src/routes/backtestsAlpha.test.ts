/**
 * POST /v1/backtests with `strategy: "alpha_threshold"`: seed 2's alpha strategy on stored candles,
 * its sentiment from the snapshots stored point in time, the same JSON as the CLI's, the run
 * recorded under its own strategy name; without a database the technical score alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadConfig } from '../config';
import type { SentimentPoint } from '../core/alpha/alphaScoreColumns';
import { realCandleSlice } from '../data/realCandles.test-helper';
import { runBacktestReport } from '../report/runBacktestReport';
import { openStorage, type Storage } from '../storage/openStorage';

const candles = realCandleSlice('BTCUSDT-1m-2023-09.csv', { toMs: Date.UTC(2023, 9, 6) });
const data = { file: null, db: 'sqlite::memory:', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };
const window = { fromMs: Date.UTC(2023, 9, 2), toMs: Date.UTC(2023, 9, 6) };
// A snapshot every 10 minutes, computed 7 s after the minute.
const snapshots: SentimentPoint[] = Array.from({ length: 6 * 24 * 7 }, (_, k) => ({ computedAt: Date.UTC(2023, 8, 29) + k * 600_000 + 7_000, sentimentScore: 20 + ((k * 37) % 60), panicScore: 5 }));
let storage: Storage;

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	const rows = Array.from({ length: candles.length }, (_, i) => ({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: candles.openTime[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! }));
	await storage.candles.upsertMany(rows);
	for (const s of snapshots) await storage.news.recordSnapshot({ currency: 'BTC', ...s, postCount: 1, bullishVotes: 1, bearishVotes: 0, source: 'cryptopanic' });
});
afterAll(async () => {
	await storage?.close();
});

function app(withStorage = true) {
	const a = createApp({ config: loadConfig({ DATABASE_URL: 'sqlite::memory:' }), storage: withStorage ? storage : undefined, logError: () => {} });
	return async (body: unknown) => {
		const res = await a.request('/v1/backtests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
}

describe('POST /v1/backtests, strategy alpha_threshold', () => {
	it('backtests stored candles with the stored sentiment point in time, answers the CLI JSON and records the run as alpha_threshold', async () => {
		const { status, body } = await app()({ strategy: 'alpha_threshold', symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', to: '2023-10-06', alpha: { entry_score: 70 }, trade_limit: 1000 });
		expect(status, JSON.stringify(body)).toBe(200);
		const expected = runBacktestReport({ strategy: 'alpha_threshold', candles, data, ...window, alphaData: { onchain: { netflow: [], lthSopr: [] }, sentiment: { asset: snapshots, market: [] } } }).json;
		expect(body.strategy).toBe('alpha_threshold');
		expect(body.trade_count).toBeGreaterThan(0);
		expect(body.trades).toEqual(expected.trades);
		expect(body.metrics).toEqual(expected.metrics);
		expect(body.alpha.components_missing_everywhere).toEqual(['onchain']);
		expect(body.alpha.missing_bars.sentiment).toBe(0);
		expect(body.alpha.sources.sentiment).toMatch(/^database \(1008 BTC and 0 market snapshots\)$/);
		expect(body.summary).toContain('alpha threshold: entry score 70');
		const run = await storage.backtestRuns.latestFor({ strategy: 'alpha_threshold', symbol: 'BTC/USDT' });
		expect(run?.id).toBe(body.run_id);
	});

	it('without a database: the technical score alone on inline candles; asking for stored series is refused with the reason', async () => {
		const tuples = Array.from({ length: candles.length }, (_, i) => [candles.openTime[i], candles.open[i], candles.high[i], candles.low[i], candles.close[i], candles.volume[i]]);
		const { status, body } = await app(false)({ strategy: 'alpha_threshold', symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', candles: tuples, trade_limit: 0 });
		expect(status, JSON.stringify(body)).toBe(200);
		expect(body.alpha.components_missing_everywhere).toEqual(['onchain', 'sentiment']);
		expect(body.alpha.sources).toEqual({ technical: 'candles', onchain: 'none', sentiment: 'none' });
		const refused = await app(false)({ strategy: 'alpha_threshold', symbol: 'BTC/USDT', timeframe: '1m', candles: tuples, alpha: { sentiment: true } });
		expect(refused.status).toBeGreaterThanOrEqual(400);
		expect(JSON.stringify(refused.body)).toMatch(/without a database/);
	});

	it('keeps the VWAP strategy as the default', async () => {
		const { status, body } = await app()({ symbol: 'BTC/USDT', timeframe: '1m', from: '2023-10-02', to: '2023-10-06', trade_limit: 0 });
		expect(status).toBe(200);
		expect(body.strategy).toBeUndefined();
		expect(body.params.stdev_length).toBe(50);
	});
});
