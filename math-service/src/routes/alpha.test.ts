/**
 * POST /v1/onchain/observations, /v1/sentiment/posts and /v1/alpha over one in-memory database:
 * what the providers delivered becomes the components of the score, point in time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { openStorage, type Storage } from '../storage/openStorage';

const H = 3_600_000;
const DAY = 24 * H;
const NOW = Date.UTC(2025, 2, 4, 18, 0, 5);

describe('/v1/alpha with on-chain and sentiment routes', () => {
	let storage: Storage;
	let nowMs = NOW;
	let app: ReturnType<typeof createApp>;
	const post = async (path: string, body: unknown) => {
		const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as any };
	};
	const get = async (path: string) => {
		const res = await app.request(path);
		return { status: res.status, body: (await res.json()) as any };
	};

	beforeEach(async () => {
		nowMs = NOW;
		storage = await openStorage('sqlite::memory:');
		const deps: AppDeps = { config: loadConfig({}), storage, clock: { now: () => nowMs }, logError: () => {} };
		app = createApp(deps);
		// 300 hourly BTC candles drifting down at the end (oversold) and none for SOL
		const rows = [];
		let price = 90_000;
		for (let i = 300; i >= 1; i--) {
			price *= i < 8 ? 0.985 : 1 + 0.002 * Math.sin(i);
			const openTime = Math.floor(NOW / H) * H - i * H;
			rows.push({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', openTime, open: price, high: price * 1.002, low: price * 0.998, close: price, volume: 10 });
		}
		await storage.candles.upsertMany(rows);
		return () => storage.close();
	});

	const netflowSeries = (last: number) =>
		Array.from({ length: 31 }, (_, i) => ({ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', t: (NOW - (31 - i) * DAY) / 1000, value: i === 30 ? last : i % 2 === 0 ? 1000 : -1000 }));

	it('stores on-chain observations once and serves them point in time', async () => {
		const first = await post('/v1/onchain/observations', { observations: netflowSeries(-5000) });
		expect(first).toMatchObject({ status: 200, body: { stored: 31, unchanged: 0, learned_at: NOW } });
		expect((await post('/v1/onchain/observations', { observations: netflowSeries(-5000) })).body).toMatchObject({ stored: 0, unchanged: 31 });
		const known = await get(`/v1/onchain?asset=btc&metric=exchange_netflow&as_of=${NOW - 1}`);
		expect(known.body.values).toEqual([]);
		const now = await get('/v1/onchain?asset=BTC&metric=exchange_netflow');
		expect(now.body.values).toHaveLength(31);
		expect(now.body.values[0].t).toBe(NOW - 31 * DAY);
		expect(now.body.latest_period_start).toBe(NOW - DAY);
	});

	it('refuses an unknown metric and a non-numeric value with 422', async () => {
		const bad = await post('/v1/onchain/observations', { observations: [{ asset: 'BTC', metric: 'hash_rate', resolution: '24h', t: 1, value: 1 }] });
		expect(bad.status).toBe(422);
		expect(bad.body.detail[0].loc).toEqual(['body', 'observations', 0, 'metric']);
	});

	it('snapshots sentiment and panic per currency from CryptoPanic-shaped posts', async () => {
		const r = await post('/v1/sentiment/posts', {
			currencies: ['BTC', 'ETH'],
			posts: [
				{ id: 21011873, title: 'Bitcoin ETFs Record Third Straight Day of Net Inflows', published_at: '2025-03-04T17:21:08Z', currencies: ['BTC'], votes: { negative: 1, positive: 14, liked: 9 } },
				{ id: '2', title: 'Exchange hacked', published_at: '2025-03-04T17:50:00Z', currencies: ['ETH'], votes: { negative: 90, toxic: 30 } },
			],
		});
		expect(r.status).toBe(200);
		expect(r.body.inserted).toBe(2);
		const byCurrency = Object.fromEntries(r.body.snapshots.map((s: any) => [s.currency, s]));
		expect(Object.keys(byCurrency)).toEqual(['*', 'BTC', 'ETH']);
		expect(byCurrency.BTC.sentiment_score).toBeGreaterThan(80);
		expect(byCurrency.ETH.panic_score).toBeGreaterThan(90);
		expect((await get('/v1/sentiment/latest?currency=ETH')).body.snapshot.panic_score).toBe(byCurrency.ETH.panic_score);
	});

	it('scores BTC from all three components and flags SOL partial with the missing ones named', async () => {
		await post('/v1/onchain/observations', { observations: netflowSeries(-5000) });
		await post('/v1/sentiment/posts', { currencies: ['BTC'], posts: [{ id: 1, published_at: NOW - H, currencies: ['BTC'], votes: { positive: 30 } }] });
		const r = await post('/v1/alpha', { symbols: ['BTCUSDT', 'SOL/USDT'] });
		expect(r.status).toBe(200);
		const [btc, sol] = r.body.scores;
		expect(btc.symbol).toBe('BTC/USDT');
		expect(btc.partial).toBe(false);
		expect(btc.components.onchain.score).toBeGreaterThan(99); // a large outflow
		expect(btc.inputs.rsi).toBeLessThan(30);
		const c = btc.components;
		expect(btc.score).toBeCloseTo((40 * c.technical.score + 35 * c.onchain.score + 15 * c.sentiment.score) / 90, 9);
		expect(sol.partial).toBe(true);
		expect(sol.missing).toEqual(['technical', 'onchain']);
		// no SOL post: the market-wide snapshot ('*') stands in for its sentiment
		expect(sol.score).toBeCloseTo(sol.components.sentiment.score, 9);
		expect(sol.components.onchain.detail).toMatch(/no 24h on-chain history for SOL/);
		// recorded
		expect((await get('/v1/alpha/latest?symbol=BTC/USDT')).body.score.score).toBe(btc.score);
	});

	it('uses only on-chain values learned by the scoring time', async () => {
		nowMs = NOW + 1;
		await post('/v1/onchain/observations', { observations: netflowSeries(-5000) });
		nowMs = NOW;
		const r = await post('/v1/alpha', { symbols: ['BTC/USDT'], record: false });
		expect(r.body.scores[0].missing).toContain('onchain');
	});

	it('evaluates a custom expression and refuses an unsafe one with 422 naming it', async () => {
		const ok = await post('/v1/alpha', { symbols: ['BTC/USDT'], weights: { technical: 0, onchain: 0, sentiment: 0, custom: 1 }, custom_expression: '100 - rsi', record: false });
		expect(ok.body.scores[0].score).toBeCloseTo(100 - ok.body.scores[0].inputs.rsi, 9);
		const bad = await post('/v1/alpha', { symbols: ['BTC/USDT'], custom_expression: 'import({}, {})' });
		expect(bad.status).toBe(422);
		expect(bad.body.detail[0].msg).toMatch(/unknown name "import"/);
	});
});
