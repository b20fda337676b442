import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase } from './testDatabases.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);
const key = { exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1m' };
const bar = (minute: number) => ({ ...key, openTime: T0 + minute * MIN, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });

describe.each([
	['sqlite', createSqliteTestDatabase],
	['mysql', createMysqlTestDatabase],
] as const)('candles.gaps on %s', (_dialect, createDatabase) => {
	let database: TestDatabase;
	let storage: Storage;

	beforeAll(async () => {
		database = await createDatabase();
		storage = await openStorage(database.url);
		// minutes 0-9 stored except 3 and 6-8; another exchange has minute 3 (must not close the gap)
		await storage.candles.upsertMany([0, 1, 2, 4, 5, 9].map(bar));
		await storage.candles.upsertMany([{ ...bar(3), exchange: 'binance' }]);
	});
	afterAll(async () => {
		await storage?.close();
		await database?.drop();
	});

	it('lists each run of missing bars between stored ones, per exchange, oldest first', async () => {
		expect(await storage.candles.gaps(key, MIN, 0, Number.MAX_SAFE_INTEGER)).toEqual([
			{ fromOpenTime: T0 + 3 * MIN, toOpenTime: T0 + 3 * MIN, missingBars: 1 },
			{ fromOpenTime: T0 + 6 * MIN, toOpenTime: T0 + 8 * MIN, missingBars: 3 },
		]);
	});

	it('looks only inside [from, to) and reports nothing for a complete stretch', async () => {
		expect(await storage.candles.gaps(key, MIN, T0 + 4 * MIN, T0 + 10 * MIN)).toEqual([{ fromOpenTime: T0 + 6 * MIN, toOpenTime: T0 + 8 * MIN, missingBars: 3 }]);
		expect(await storage.candles.gaps(key, MIN, T0, T0 + 3 * MIN)).toEqual([]);
	});
});
