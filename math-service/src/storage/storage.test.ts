/**
 * The storage suite: the same tests on SQLite (in memory) and on the real MariaDB/MySQL at
 * 127.0.0.1:3306 (a fresh hfq_test_<random> database, dropped afterwards).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, OperatorError, RetryableError } from '../errors.js';
import type { Candle } from './schema.js';
import { openStorage, type Storage } from './openStorage.js';
import { createMysqlTestDatabase, createSqliteTestDatabase, type TestDatabase } from './testDatabases.js';

const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function candle(symbol: string, i: number, close = 100 + i): Candle {
	return {
		exchange: 'binance',
		symbol,
		timeframe: '1h',
		openTime: T0 + i * HOUR_MS,
		open: close - 0.5,
		high: close + 1.25,
		low: close - 1.75,
		close,
		volume: 10 + i / 8,
	};
}

describe.each([
	['sqlite', createSqliteTestDatabase],
	['mysql', createMysqlTestDatabase],
] as const)('storage on %s', (dialect, createDatabase) => {
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

	it('reports its dialect and answers ping', async () => {
		expect(storage.dialect).toBe(dialect);
		await expect(storage.ping()).resolves.toBeUndefined();
	});

	describe('migrations', () => {
		it('applies nothing when run again', async () => {
			await expect(storage.migrate()).resolves.toEqual([]);
		});
		// An in-memory SQLite database is private to its connection; the file case is tested below.
		it.skipIf(dialect === 'sqlite')('opens an already migrated database without error', async () => {
			const second = await openStorage(database.url);
			try {
				await expect(second.migrate()).resolves.toEqual([]);
			} finally {
				await second.close();
			}
		});
	});

	describe('candles', () => {
		const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

		it('returns null as the latest open time of an empty series', async () => {
			await expect(storage.candles.latestOpenTime(key)).resolves.toBeNull();
		});

		it('stores a bulk upsert larger than one chunk and reads the range back in order', async () => {
			const rows = Array.from({ length: 2_503 }, (_, i) => candle('BTC/USDT', i));
			await storage.candles.upsertMany(rows.slice().reverse());
			const read = await storage.candles.range(key, T0, T0 + 2_503 * HOUR_MS);
			expect(read).toHaveLength(2_503);
			expect(read[0]).toEqual(rows[0]);
			expect(read[2_502]).toEqual(rows[2_502]);
			expect(read.every((row, i) => row.openTime === T0 + i * HOUR_MS)).toBe(true);
			await expect(storage.candles.latestOpenTime(key)).resolves.toBe(T0 + 2_502 * HOUR_MS);
		});

		it('is idempotent and lets a re-crawl overwrite a bar', async () => {
			const revised = { ...candle('BTC/USDT', 7), close: 4242.125, volume: 0 };
			await storage.candles.upsertMany([candle('BTC/USDT', 6), revised, candle('BTC/USDT', 6)]);
			const read = await storage.candles.range(key, T0 + 6 * HOUR_MS, T0 + 8 * HOUR_MS);
			expect(read).toEqual([candle('BTC/USDT', 6), revised]);
			expect(await storage.candles.count(key)).toBe(2_503);
		});

		it('treats the range as [from, to) and keeps series apart', async () => {
			await storage.candles.upsertMany([candle('ETH/USDT', 0), candle('ETH/USDT', 1)]);
			const eth = { ...key, symbol: 'ETH/USDT' };
			expect(await storage.candles.range(eth, T0, T0 + HOUR_MS)).toEqual([candle('ETH/USDT', 0)]);
			expect(await storage.candles.range({ ...key, timeframe: '4h' }, T0, T0 + 10 * HOUR_MS)).toEqual([]);
		});

		it('loads columns as Float64Arrays equal to the rows', async () => {
			const columns = await storage.candles.loadColumns(key, T0 + 10 * HOUR_MS, T0 + 1_010 * HOUR_MS);
			const rows = await storage.candles.range(key, T0 + 10 * HOUR_MS, T0 + 1_010 * HOUR_MS);
			expect(columns.close).toBeInstanceOf(Float64Array);
			expect(columns.openTime).toHaveLength(1_000);
			expect(Array.from(columns.openTime)).toEqual(rows.map((row) => row.openTime));
			expect(Array.from(columns.close)).toEqual(rows.map((row) => row.close));
			expect(Array.from(columns.volume)).toEqual(rows.map((row) => row.volume));
			expect(Array.from(columns.high)).toEqual(rows.map((row) => row.high));
		});

		it('loads a series longer than one read page without gaps or repeats', async () => {
			const xrp = { ...key, symbol: 'XRP/USDT', timeframe: '1m' };
			const n = 120_001; // more than two 50,000-row pages
			const rows = Array.from({ length: n }, (_, i) => ({ ...candle('XRP/USDT', i, 1 + i), ...xrp, openTime: T0 + i * 60_000 }));
			await storage.candles.upsertMany(rows);
			const columns = await storage.candles.loadColumns(xrp, T0, T0 + n * 60_000);
			expect(columns.openTime).toHaveLength(n);
			let ordered = true;
			for (let i = 0; i < n; i++) ordered &&= columns.openTime[i] === T0 + i * 60_000 && columns.close[i] === 1 + i;
			expect(ordered).toBe(true);
		});

		it('rolls a bulk upsert back with the transaction it ran in', async () => {
			const doge = { ...key, symbol: 'DOGE/USDT' };
			await expect(
				storage.transaction(async (tx) => {
					await tx.candles.upsertMany([candle('DOGE/USDT', 0), candle('DOGE/USDT', 1)]);
					expect(await tx.candles.count(doge)).toBe(2);
					throw new Error('abort');
				}),
			).rejects.toThrow('abort');
			expect(await storage.candles.count(doge)).toBe(0);
		});

		it('keeps a concurrent upsert outside a transaction that rolls back', async () => {
			const ada = { ...key, symbol: 'ADA/USDT' };
			let release!: () => void;
			let announce!: () => void;
			const gate = new Promise<void>((resolve) => (release = resolve));
			const insideDone = new Promise<void>((resolve) => (announce = resolve));
			const failing = storage.transaction(async (tx) => {
				await tx.candles.upsertMany([candle('ADA/USDT', 0)]);
				announce();
				await gate;
				throw new Error('abort');
			});
			await insideDone;
			const outside = storage.candles.upsertMany([candle('ADA/USDT', 1)]);
			release();
			await expect(failing).rejects.toThrow('abort');
			await outside;
			expect(await storage.candles.range(ada, T0, T0 + 10 * HOUR_MS)).toEqual([candle('ADA/USDT', 1)]);
		});

		it('stores every price and volume bit for bit and a symbol with quotes as written', async () => {
			const odd = { ...key, symbol: "O'B\\\"K/USDT" };
			const values = [0.1 + 0.2, 1e-8, 123_456_789.123_456_78, 5e-324, 1.7976931348623157e300, 2 ** 53 - 1];
			const rows = values.map((v, i) => ({ ...odd, openTime: T0 + i * HOUR_MS, open: v, high: v * 3, low: -v, close: v / 7, volume: Math.PI * v }));
			await storage.candles.upsertMany(rows);
			expect(await storage.candles.range(odd, T0, T0 + values.length * HOUR_MS)).toEqual(rows);
		});

		it('rejects a candle with a non-finite price', async () => {
			await expect(storage.candles.upsertMany([{ ...candle('BTC/USDT', 1), close: Number.NaN }])).rejects.toThrow(InvalidInputError);
		});
	});

	describe('signals', () => {
		const signal = (alertId: string) => ({
			alertId,
			source: 'tradingview' as const,
			symbol: 'BTC/USDT',
			action: 'buy',
			payload: { alert_id: alertId, close: 97_000.5 },
			receivedAt: T0 + 5,
			signalTime: T0,
		});

		it('inserts a new alert and returns it', async () => {
			const result = await storage.signals.insert(signal('sig-1'));
			expect(result.inserted).toBe(true);
			expect(result.signal).toMatchObject({ alertId: 'sig-1', symbol: 'BTC/USDT', receivedAt: T0 + 5, signalTime: T0 });
			expect(JSON.parse(result.signal.payloadJson)).toEqual({ alert_id: 'sig-1', close: 97_000.5 });
			expect(await storage.signals.getByAlertId('sig-1')).toEqual(result.signal);
		});

		it('returns the first row for a repeated alert id', async () => {
			const first = await storage.signals.insert(signal('sig-2'));
			const again = await storage.signals.insert({ ...signal('sig-2'), action: 'sell', receivedAt: T0 + 99 });
			expect(again).toEqual({ inserted: false, signal: first.signal });
		});

		it('treats alert ids differing only in case or trailing space as different alerts', async () => {
			const lower = await storage.signals.insert(signal('case-x'));
			const upper = await storage.signals.insert(signal('CASE-X'));
			const padded = await storage.signals.insert(signal('case-x '));
			expect([lower.inserted, upper.inserted, padded.inserted]).toEqual([true, true, true]);
			expect(new Set([lower.signal.id, upper.signal.id, padded.signal.id]).size).toBe(3);
		});

		it('stores exactly one row under 1,000 concurrent inserts of the same alert id', async () => {
			const results = await Promise.all(Array.from({ length: 1_000 }, () => storage.signals.insert(signal('storm'))));
			expect(results.filter((result) => result.inserted)).toHaveLength(1);
			expect(new Set(results.map((result) => result.signal.id)).size).toBe(1);
			const rows = await storage.db.selectFrom('signals').select('id').where('alertId', '=', 'storm').execute();
			expect(rows).toHaveLength(1);
		});
	});

	describe('decisions', () => {
		it('keeps the first decision for an alert id', async () => {
			const { signal } = await storage.signals.insert({
				alertId: 'dec-1',
				source: 'tradingview',
				symbol: 'ETH/USDT',
				action: 'buy',
				payload: {},
				receivedAt: T0,
				signalTime: null,
			});
			const first = await storage.decisions.insert({
				signalId: signal.id,
				alertId: 'dec-1',
				status: 'approved',
				reasonCode: 'approved',
				symbol: 'ETH/USDT',
				receipt: { size_ratio: 0.05 },
				createdAt: T0 + 1,
			});
			const second = await storage.decisions.insert({
				signalId: signal.id,
				alertId: 'dec-1',
				status: 'rejected',
				reasonCode: 'stale',
				symbol: 'ETH/USDT',
				receipt: {},
				createdAt: T0 + 2,
			});
			expect(first.inserted).toBe(true);
			expect(second).toEqual({ inserted: false, decision: first.decision });
			expect(first.decision).toMatchObject({ status: 'approved', signalId: signal.id, createdAt: T0 + 1 });
			expect(JSON.parse(first.decision.receiptJson)).toEqual({ size_ratio: 0.05 });
			expect(await storage.decisions.getById(first.decision.id)).toEqual(first.decision);
		});

		it('returns one decision id to 200 concurrent deliveries', async () => {
			const results = await Promise.all(
				Array.from({ length: 200 }, (_, i) =>
					storage.decisions.insert({
						signalId: null,
						alertId: 'dec-storm',
						status: i % 2 === 0 ? 'approved' : 'rejected',
						reasonCode: 'x',
						symbol: 'SOL/USDT',
						receipt: { i },
						createdAt: T0,
					}),
				),
			);
			expect(results.filter((result) => result.inserted)).toHaveLength(1);
			expect(new Set(results.map((result) => result.decision.id)).size).toBe(1);
		});

		it('refuses a decision pointing at a signal that does not exist', async () => {
			await expect(
				storage.decisions.insert({ signalId: 987_654, alertId: 'orphan', status: 'rejected', reasonCode: 'x', symbol: 'X', receipt: {}, createdAt: T0 }),
			).rejects.toThrow();
		});
	});

	describe('paper ledger', () => {
		it('keeps cash as the sum of its movements and books the initial deposit once', async () => {
			expect(await storage.paperLedger.cashBalance()).toBe(0);
			expect((await storage.paperLedger.ensureInitialDeposit(10_000, T0)).inserted).toBe(true);
			expect((await storage.paperLedger.ensureInitialDeposit(50_000, T0)).inserted).toBe(false);
			await storage.paperLedger.recordCash({ amount: 250.5, reason: 'deposit', ref: 'manual-1', createdAt: T0 });
			expect(await storage.paperLedger.cashBalance()).toBe(10_250.5);
		});

		it('opens a position as order + fill + position + cash movement', async () => {
			const opened = await storage.paperLedger.openPosition({
				strategy: 'vwap-mr',
				symbol: 'BTC/USDT',
				quantity: 0.01,
				price: 50_000,
				fee: 0.5,
				stopPrice: 49_000,
				targetPrice: 51_500,
				openedAt: T0 + HOUR_MS,
				decisionId: null,
			});
			expect(opened.order).toMatchObject({ side: 'buy', type: 'market', status: 'filled', quantity: 0.01 });
			expect(opened.fill).toMatchObject({ orderId: opened.order.id, price: 50_000, quantity: 0.01, fee: 0.5 });
			expect(opened.position).toMatchObject({ status: 'open', entryPrice: 50_000, fees: 0.5, stopPrice: 49_000 });
			expect(await storage.paperLedger.cashBalance()).toBeCloseTo(10_250.5 - 500 - 0.5, 9);
			expect((await storage.paperLedger.openPositions()).map((p) => p.id)).toContain(opened.position.id);
		});

		it('closes a position into the trade log with net P&L', async () => {
			const [position] = await storage.paperLedger.openPositions('BTC/USDT');
			const closed = await storage.paperLedger.closePosition({
				positionId: position!.id,
				price: 51_500,
				fee: 0.5,
				exitReason: 'target',
				closedAt: T0 + 5 * HOUR_MS,
			});
			expect(closed.position).toMatchObject({ status: 'closed', exitPrice: 51_500, exitReason: 'target', fees: 1 });
			expect(closed.position.realizedPnl).toBeCloseTo(15 - 1, 9);
			expect(closed.trade).toMatchObject({ strategy: 'vwap-mr', symbol: 'BTC/USDT', mode: 'PAPER', exitReason: 'target' });
			expect(closed.trade.returnRatio).toBeCloseTo(14 / 500, 12);
			expect(await storage.paperLedger.cashBalance()).toBeCloseTo(10_250.5 - 500.5 + 515 - 0.5, 9);
			await expect(
				storage.paperLedger.closePosition({ positionId: position!.id, price: 1, exitReason: 'again', closedAt: T0 + 6 * HOUR_MS }),
			).rejects.toThrow(InvalidInputError);
		});

		it('leaves nothing behind when a transaction fails half-way', async () => {
			const before = await storage.paperLedger.cashBalance();
			const ordersBefore = await storage.db.selectFrom('paperOrders').select('id').execute();
			await expect(
				storage.transaction(async (tx) => {
					await tx.paperLedger.openPosition({ strategy: 's', symbol: 'ETH/USDT', quantity: 1, price: 100, openedAt: T0, decisionId: null });
					throw new Error('crash after the fill');
				}),
			).rejects.toThrow('crash after the fill');
			expect(await storage.paperLedger.cashBalance()).toBe(before);
			expect(await storage.db.selectFrom('paperOrders').select('id').execute()).toEqual(ordersBefore);
			expect(await storage.paperLedger.openPositions('ETH/USDT')).toEqual([]);
		});

		it('refuses to spend more paper cash than it holds, leaving no order behind', async () => {
			const ordersBefore = await storage.db.selectFrom('paperOrders').select('id').execute();
			await expect(
				storage.paperLedger.openPosition({ strategy: 's', symbol: 'ETH/USDT', quantity: 1_000, price: 3_000, openedAt: T0, decisionId: null }),
			).rejects.toThrow(InvalidInputError);
			expect(await storage.db.selectFrom('paperOrders').select('id').execute()).toEqual(ordersBefore);
		});
	});

	describe('paper ledger under concurrency', () => {
		it('lets only the opens the cash covers through when 12 arrive at once', async () => {
			const balance = await storage.paperLedger.cashBalance();
			const price = balance * 0.4; // each open spends 40%: exactly two fit
			const results = await Promise.allSettled(
				Array.from({ length: 12 }, () =>
					storage.paperLedger.openPosition({ strategy: 'race', symbol: 'BNB/USDT', quantity: 1, price, openedAt: T0, decisionId: null }),
				),
			);
			expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
			for (const result of results) {
				if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(InvalidInputError);
			}
			expect(await storage.paperLedger.cashBalance()).toBeCloseTo(balance * 0.2, 6);
			expect(await storage.paperLedger.openPositions('BNB/USDT')).toHaveLength(2);
		});
	});

	describe('trade log', () => {
		it('returns the most recent trades of a strategy and symbol, newest first', async () => {
			for (let i = 0; i < 5; i++) {
				for (const symbol of ['SOL/USDT', 'AVAX/USDT']) {
					await storage.tradeLog.insert({
						strategy: 'kelly-test',
						symbol,
						mode: i === 4 ? 'LIVE' : 'PAPER',
						entryTime: T0 + i * HOUR_MS,
						entryPrice: 100,
						exitTime: T0 + (i + 1) * HOUR_MS,
						exitPrice: 100 + i - 2,
						exitReason: 'time',
						quantity: 1,
						pnl: i - 2,
						returnRatio: (i - 2) / 100,
						fees: 0,
					});
				}
			}
			const recent = await storage.tradeLog.recent({ strategy: 'kelly-test', symbol: 'SOL/USDT', limit: 3 });
			expect(recent.map((trade) => trade.pnl)).toEqual([2, 1, 0]);
			expect(recent.every((trade) => trade.symbol === 'SOL/USDT')).toBe(true);
			const paperOnly = await storage.tradeLog.recent({ strategy: 'kelly-test', mode: 'PAPER', limit: 100 });
			expect(paperOnly).toHaveLength(8);
			const closedInWindow = await storage.tradeLog.closedBetween(T0 + 2 * HOUR_MS, T0 + 4 * HOUR_MS);
			expect(closedInWindow.filter((t) => t.strategy === 'kelly-test').map((t) => t.exitTime)).toEqual([
				T0 + 2 * HOUR_MS,
				T0 + 2 * HOUR_MS,
				T0 + 3 * HOUR_MS,
				T0 + 3 * HOUR_MS,
			]);
		});
	});

	describe('risk state', () => {
		it('returns null for an unknown key, then the last value set', async () => {
			expect(await storage.riskState.get('halt_until')).toBeNull();
			await storage.riskState.set('halt_until', String(T0 + 24 * HOUR_MS), T0);
			await storage.riskState.set('halt_until', String(T0 + 48 * HOUR_MS), T0 + 1);
			expect(await storage.riskState.get('halt_until')).toEqual({ key: 'halt_until', value: String(T0 + 48 * HOUR_MS), updatedAt: T0 + 1 });
			await storage.riskState.delete('halt_until');
			expect(await storage.riskState.get('halt_until')).toBeNull();
		});

		// One connection: SQLite transactions queue and never deadlock.
		it.skipIf(dialect === 'sqlite')('reports the deadlock victim of two crossing transactions as RetryableError', async () => {
			await storage.riskState.set('lock_a', '0', T0);
			await storage.riskState.set('lock_b', '0', T0);
			const latch = () => {
				let open!: () => void;
				const opened = new Promise<void>((resolve) => (open = resolve));
				return { open, opened };
			};
			const aLocked = latch();
			const bLocked = latch();
			const results = await Promise.allSettled([
				storage.transaction(async (tx) => {
					await tx.riskState.set('lock_a', '1', T0);
					aLocked.open();
					await bLocked.opened;
					await tx.riskState.set('lock_b', '1', T0);
				}),
				storage.transaction(async (tx) => {
					await tx.riskState.set('lock_b', '2', T0);
					bLocked.open();
					await aLocked.opened;
					await tx.riskState.set('lock_a', '2', T0);
				}),
			]);
			const rejected = results.filter((result) => result.status === 'rejected');
			expect(rejected).toHaveLength(1);
			expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(RetryableError);
		});

		it('returns the latest equity snapshot at or before a time', async () => {
			await storage.equitySnapshots.record({ takenAt: T0, equity: 10_000 });
			await storage.equitySnapshots.record({ takenAt: T0 + HOUR_MS, equity: 9_400 });
			expect(await storage.equitySnapshots.latestAtOrBefore(T0 + HOUR_MS - 1)).toMatchObject({ equity: 10_000 });
			expect(await storage.equitySnapshots.latestAtOrBefore(T0 + 9 * HOUR_MS)).toMatchObject({ equity: 9_400 });
			expect(await storage.equitySnapshots.latestAtOrBefore(T0 - 1)).toBeNull();
		});
	});

	describe('callback events', () => {
		it('records a button press once per Telegram callback id', async () => {
			const { decision } = await storage.decisions.insert({
				signalId: null, alertId: 'cb-1', status: 'approved', reasonCode: 'approved', symbol: 'BTC/USDT', receipt: {}, createdAt: T0,
			});
			const press = { decisionId: decision.id, action: 'executed' as const, callbackQueryId: 'cq-1', user: '@trader', receivedAt: T0 + 9, raw: { id: 'cq-1' } };
			expect((await storage.callbackEvents.insert(press)).inserted).toBe(true);
			expect((await storage.callbackEvents.insert({ ...press, action: 'skipped' })).inserted).toBe(false);
			const events = await storage.callbackEvents.listForDecision(decision.id);
			expect(events).toHaveLength(1);
			expect(events[0]).toMatchObject({ action: 'executed', user: '@trader' });
		});
	});
});

describe('openStorage', () => {
	it('creates the directory of a SQLite file and runs in WAL mode', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-storage-'));
		try {
			const storage = await openStorage(`sqlite:${join(dir, 'nested', 'hfq.db')}`);
			const { rows } = await sql<{ journalMode: string }>`PRAGMA journal_mode`.execute(storage.db);
			expect(rows[0]?.journalMode).toBe('wal');
			await storage.close();
			const reopened = await openStorage(`sqlite:${join(dir, 'nested', 'hfq.db')}`);
			await expect(reopened.migrate()).resolves.toEqual([]);
			await reopened.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('throws OperatorError when the SQLite directory cannot be created', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-storage-'));
		try {
			writeFileSync(join(dir, 'a-file'), '');
			await expect(openStorage(`sqlite:${join(dir, 'a-file', 'hfq.db')}`)).rejects.toThrow(OperatorError);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('throws OperatorError for an unsupported URL', async () => {
		await expect(openStorage('postgres://u:p@localhost/db')).rejects.toThrow(OperatorError);
	});

	it('throws RetryableError when MySQL does not answer', async () => {
		await expect(openStorage('mysql://root@127.0.0.1:1/hfq')).rejects.toThrow(RetryableError);
	});

	it('throws OperatorError when the MySQL database does not exist', async () => {
		await expect(openStorage('mysql://root@127.0.0.1:3306/hfq_test_missing_db_0')).rejects.toThrow(OperatorError);
	});
});
