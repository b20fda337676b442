/**
 * @module storage/sqliteFastPath
 * Bulk candle I/O straight through better-sqlite3's prepared statements, bypassing the query
 * builder where building and mapping one object per bar dominates: on this 2-core machine a
 * 1,000,000-bar upsert takes ~2 s this way against ~23 s through Kysely, and reading the bars into
 * Float64Arrays ~1.3 s against ~6 s. The SQL is the same statement Kysely generates.
 *
 * Safety: Kysely's SQLite driver has one connection guarded by a mutex. Outside a transaction we
 * take that connection first (`db.connection()`), so our statements can never run inside someone
 * else's open transaction; inside a transaction the caller already holds it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { CandleColumns, CandleKey } from './candles.js';
import type { Candle, Database } from './schema.js';

const UPSERT_SQL = `insert into candles (exchange, symbol, timeframe, open_time, open, high, low, close, volume)
	values (?, ?, ?, ?, ?, ?, ?, ?, ?)
	on conflict (exchange, symbol, timeframe, open_time) do update set
	open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume`;

const SELECT_COLUMNS_SQL = `select open_time, open, high, low, close, volume from candles
	where exchange = ? and symbol = ? and timeframe = ? and open_time >= ? and open_time < ?
	order by open_time`;

/** Runs `fn` while holding Kysely's single SQLite connection. */
async function withConnection<T>(db: Kysely<Database>, fn: () => T): Promise<T> {
	if (db.isTransaction) return fn();
	return db.connection().execute(async () => fn());
}

export function sqliteCandleFastPath(db: Kysely<Database>, sqlite: BetterSqlite3.Database) {
	let upsert: BetterSqlite3.Statement | undefined;
	let select: BetterSqlite3.Statement | undefined;

	return {
		/** Upserts all rows in one transaction (a savepoint when already inside one). */
		upsertMany(rows: readonly Candle[]): Promise<void> {
			return withConnection(db, () => {
				upsert ??= sqlite.prepare(UPSERT_SQL);
				const statement = upsert;
				sqlite.transaction(() => {
					for (const r of rows) statement.run(r.exchange, r.symbol, r.timeframe, r.openTime, r.open, r.high, r.low, r.close, r.volume);
				})();
			});
		},

		/** Reads [fromTime, toTime) into columns inside one read transaction (a consistent snapshot). */
		loadColumns(key: CandleKey, fromTime: number, toTime: number): Promise<CandleColumns> {
			return withConnection(db, () => {
				select ??= sqlite.prepare(SELECT_COLUMNS_SQL).raw(true);
				const statement = select;
				let capacity = 4096;
				let length = 0;
				let openTime = new Float64Array(capacity);
				let open = new Float64Array(capacity);
				let high = new Float64Array(capacity);
				let low = new Float64Array(capacity);
				let close = new Float64Array(capacity);
				let volume = new Float64Array(capacity);
				const grow = (next: number) => {
					const copy = (a: Float64Array) => {
						const b = new Float64Array(next);
						b.set(a.subarray(0, Math.min(length, next)));
						return b;
					};
					[openTime, open, high, low, close, volume] = [copy(openTime), copy(open), copy(high), copy(low), copy(close), copy(volume)];
					capacity = next;
				};
				sqlite.transaction(() => {
					for (const row of statement.iterate(key.exchange, key.symbol, key.timeframe, fromTime, toTime) as Iterable<number[]>) {
						if (length === capacity) grow(capacity * 2);
						openTime[length] = row[0]!;
						open[length] = row[1]!;
						high[length] = row[2]!;
						low[length] = row[3]!;
						close[length] = row[4]!;
						volume[length] = row[5]!;
						length++;
					}
				})();
				grow(length);
				return { openTime, open, high, low, close, volume };
			});
		},
	};
}
