/**
 * The decision transaction's bulk reads (one statement for many symbols) return, key for key,
 * what the one-symbol reads return — on SQLite and on the real MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionStatements } from './decisionStatements.js';
import { openStorage, type Storage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase } from './testDatabases.js';

const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

describe.each([
	['sqlite', createSqliteTestDatabase],
	['mysql', createMysqlTestDatabase],
] as const)('decision statements on %s', (_dialect, createDatabase) => {
	let database: TestDatabase;
	let storage: Storage;

	beforeAll(async () => {
		database = await createDatabase();
		storage = await openStorage(database.url);
		const bar = (symbol: string, timeframe: string, i: number, close: number) => ({ exchange: 'binance', symbol, timeframe, openTime: T0 + i * HOUR_MS, open: close, high: close, low: close, close, volume: 1 });
		await storage.candles.upsertMany([
			...[0, 1, 2, 3, 4, 5].map((i) => bar('BTC/USDT', '1h', i, 100 + i)),
			...[0, 1, 2].map((i) => bar('BTC/USDT', '4h', i * 4, 200 + i)),
			...[0, 1].map((i) => bar('ETH/USDT', '1h', i, 10 + i)),
		]);
		for (let i = 0; i < 6; i++) {
			for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
				// two trades share each exit time: the newer id comes first
				await storage.tradeLog.insert({ strategy: 's', symbol, mode: 'PAPER', entryTime: T0, entryPrice: 100, exitTime: T0 + Math.floor(i / 2) * HOUR_MS, exitPrice: 101, exitReason: 'time', quantity: 1, pnl: i, returnRatio: i / 100, fees: 0 });
			}
		}
		const snapshot = (currency: string, hours: number, panicScore: number | null) => ({ currency, computedAt: T0 + hours * HOUR_MS, sentimentScore: 50, panicScore, postCount: 1, bullishVotes: 0, bearishVotes: 0, source: 'test' });
		await storage.db.insertInto('sentimentSnapshots').values([snapshot('BTC', 1, 20), snapshot('BTC', 3, 70), snapshot('*', 2, null), snapshot('ETH', 9, 40)]).execute();
	});
	afterAll(async () => {
		await storage?.close();
		await database?.drop();
	});

	it('reads the latest close, recent closes, Kelly samples and panic snapshots of many keys as one key at a time', async () => {
		await storage.prepared.withConnection(async (c) => {
			const st = decisionStatements(c);
			const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
			const one = await Promise.all(symbols.map((s) => st.latestClose(s)));
			expect(one).toEqual([202, 11, null]); // any timeframe: the 4h bar opened at +8 h is the newest
			expect([...(await st.latestCloses(symbols))]).toEqual(symbols.map((s, k) => [s, one[k]]));

			const closeKeys = [
				{ symbol: 'BTC/USDT', timeframe: '1h', limit: 2, beforeMs: T0 + 4 * HOUR_MS },
				{ symbol: 'BTC/USDT', timeframe: '4h', limit: 10, beforeMs: T0 + 100 * HOUR_MS },
				{ symbol: 'ETH/USDT', timeframe: '1h', limit: 5, beforeMs: T0 },
				{ symbol: 'SOL/USDT', timeframe: '1h', limit: 5, beforeMs: T0 },
			];
			const closes: number[][] = [];
			for (const k of closeKeys) closes.push(await st.recentCloses(k.symbol, k.timeframe, k.limit, k.beforeMs));
			expect(closes).toEqual([[102, 103, 104], [200, 201, 202], [10], []]);
			expect(await st.recentClosesOf(closeKeys)).toEqual(closes);

			const tradeKeys = [
				{ strategy: 's', symbol: 'BTC/USDT', limit: 3 },
				{ strategy: 's', symbol: 'ETH/USDT', limit: 10 },
				{ strategy: 'other', symbol: 'BTC/USDT', limit: 3 },
			];
			const trades: Awaited<ReturnType<typeof st.recentTrades>>[] = [];
			for (const k of tradeKeys) trades.push(await st.recentTrades(k.strategy, k.symbol, k.limit));
			expect(trades[0]!.map((t) => t.pnl)).toEqual([5, 4, 3]);
			expect(await st.recentTradesOf(tradeKeys)).toEqual(trades.map((rows) => rows.map((t) => ({ pnl: t.pnl, returnRatio: t.returnRatio }))));

			const currencies = ['BTC', '*', 'ETH', 'SOL'];
			const asOf = T0 + 5 * HOUR_MS;
			const snapshots: Awaited<ReturnType<typeof st.latestPanicSnapshot>>[] = [];
			for (const c2 of currencies) snapshots.push(await st.latestPanicSnapshot(c2, asOf));
			expect(snapshots.map((s) => s?.panicScore)).toEqual([70, null, undefined, undefined]);
			expect([...(await st.latestPanicSnapshots(currencies, asOf))]).toEqual(currencies.map((c2, k) => [c2, snapshots[k]]));
		});
	});

	it('reads more keys than one statement holds', async () => {
		await storage.prepared.withConnection(async (c) => {
			const st = decisionStatements(c);
			const symbols = Array.from({ length: 70 }, (_, i) => (i === 65 ? 'ETH/USDT' : `X${i}/USDT`));
			const closes = await st.latestCloses(symbols);
			expect(closes.size).toBe(70);
			expect(closes.get('ETH/USDT')).toBe(11);
			expect([...closes.values()].filter((v) => v !== null)).toEqual([11]);
		});
	});
});
