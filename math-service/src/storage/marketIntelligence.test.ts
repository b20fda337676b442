/**
 * On-chain observations, news posts, sentiment snapshots and alpha scores on SQLite (in memory) and
 * on the real MariaDB/MySQL: point-in-time reads never return a value learned after the asked time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase } from './testDatabases.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

describe.each([
	['sqlite', createSqliteTestDatabase],
	['mysql', createMysqlTestDatabase],
] as const)('market intelligence on %s', (_dialect, createDatabase) => {
	let database: TestDatabase;
	let storage: Storage;

	beforeAll(async () => {
		database = await createDatabase();
		storage = await openStorage(database.url);
	});
	afterAll(async () => {
		await storage?.close();
		await database?.drop();
	});

	const obs = (day: number, value: number | null) => ({ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', periodStart: T0 + day * DAY, value });

	it('stores new and revised values only, and reads each period as known at the asked time', async () => {
		const learned1 = T0 + 2 * DAY + 600_000;
		expect(await storage.onchain.record([obs(0, -100), obs(1, null)], learned1, 'glassnode')).toEqual({ stored: 2, unchanged: 0 });
		const learned2 = T0 + 3 * DAY + 600_000;
		// day 0 unchanged, day 1 revised from missing to a number, day 2 new
		expect(await storage.onchain.record([obs(0, -100), obs(1, 250.5), obs(2, 40)], learned2, 'glassnode')).toEqual({ stored: 2, unchanged: 1 });

		expect(await storage.onchain.asOf('BTC', 'exchange_netflow', '24h', learned1 - 1)).toEqual([]);
		expect((await storage.onchain.asOf('BTC', 'exchange_netflow', '24h', learned1)).map((v) => v.value)).toEqual([-100, null]);
		const later = await storage.onchain.asOf('BTC', 'exchange_netflow', '24h', learned2);
		expect(later.map((v) => [v.periodStart, v.value])).toEqual([
			[T0, -100],
			[T0 + DAY, 250.5],
			[T0 + 2 * DAY, 40],
		]);
		expect(await storage.onchain.latestPeriodStart('BTC', 'exchange_netflow', '24h')).toBe(T0 + 2 * DAY);
		expect(await storage.onchain.latestPeriodStart('ETH', 'exchange_netflow', '24h')).toBeNull();
	});

	it('keeps news posts once with their latest votes and filters them by currency and first sighting', async () => {
		const post = { postId: '21011873', currencies: ['BTC'], title: 'ETF inflows', url: null, publishedAt: T0 + 1_000, votes: { positive: 3 } };
		expect(await storage.news.upsertPosts([post, { ...post, postId: '2', currencies: ['ETH', 'BTC'] }], T0 + 5_000, 'cryptopanic')).toEqual({ inserted: 2, updated: 0 });
		expect(await storage.news.upsertPosts([{ ...post, votes: { positive: 3, negative: 9 } }], T0 + 9_000, 'cryptopanic')).toEqual({ inserted: 0, updated: 1 });
		expect((await storage.news.postsFor('ETH', T0, T0 + DAY)).map((p) => p.postId)).toEqual(['2']);
		expect((await storage.news.postsFor('*', T0, T0 + DAY)).length).toBe(2);
		expect(await storage.news.postsFor('BTC', T0, T0 + 4_000)).toEqual([]); // not seen yet at that time
		expect((await storage.news.postsFor('BTC', T0, T0 + DAY)).find((p) => p.postId === '21011873')?.votes).toEqual({ positive: 3, negative: 9 });
	});

	it('reads the sentiment snapshot and alpha score known at a time', async () => {
		const snap = { currency: 'BTC', sentimentScore: 40, panicScore: 75, postCount: 3, bullishVotes: 4, bearishVotes: 12, source: 'cryptopanic' };
		await storage.news.recordSnapshot({ ...snap, computedAt: T0 + 1_000 });
		await storage.news.recordSnapshot({ ...snap, computedAt: T0 + 2_000, panicScore: 10 });
		expect((await storage.news.latestAtOrBefore('btc', T0 + 1_500))?.panicScore).toBe(75);
		expect((await storage.news.latestAtOrBefore('BTC', T0 + 2_000))?.panicScore).toBe(10);
		expect(await storage.news.latestAtOrBefore('BTC', T0)).toBeNull();

		await storage.alphaScores.record({ symbol: 'BTC/USDT', computedAt: T0 + 60_000, score: 71.5, partial: true, components: { missing: ['onchain'] } });
		const latest = await storage.alphaScores.latestAtOrBefore('BTC/USDT', T0 + 60_000);
		expect(latest).toMatchObject({ score: 71.5, partial: 1 });
		expect(JSON.parse(latest!.componentsJson)).toEqual({ missing: ['onchain'] });
		expect(await storage.alphaScores.between('BTC/USDT', T0, T0 + 60_000)).toEqual([]);
	});
});
