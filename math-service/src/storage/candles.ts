/**
 * @module storage/candles
 * Candles are OHLCV bars: for one market (exchange, symbol) and bar length (timeframe), the
 * first, highest, lowest and last traded price during [openTime, openTime + timeframe) and the
 * base-asset volume traded. They feed indicators, scans and backtests. A crawler re-fetches the
 * newest bars (the last one is still forming), so writes are upserts: re-crawling is idempotent
 * and a revised bar replaces the old one.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { InvalidInputError } from '../errors.js';
import { inTransaction, type Dialect } from './insertOnce.js';
import type { Candle, Database } from './schema.js';
import { sqliteCandleFastPath } from './sqliteFastPath.js';

/** Identifies one candle series. */
export interface CandleKey {
	exchange: string;
	symbol: string;
	timeframe: string;
}

/**
 * A run of missing bars in a stored series: every open time from `fromOpenTime` to `toOpenTime`
 * (both inclusive, one bar apart) has no row, while the bars on either side exist.
 */
export interface CandleGap {
	fromOpenTime: number;
	toOpenTime: number;
	missingBars: number;
}

/** A series as parallel columns, for backtests over millions of bars. Times are Unix ms UTC. */
export interface CandleColumns {
	openTime: Float64Array;
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	volume: Float64Array;
}

/** 9 bound values per row: 1,000 rows stay far below SQLite's 32,766 and MySQL's 65,535 placeholders. */
const UPSERT_CHUNK_ROWS = 1_000;
/** Rows per keyset page in loadColumns: bounds driver memory on MySQL. */
const LOAD_PAGE_ROWS = 50_000;
/** A candle row as the drivers return it, snake_case, bypassing the camelCase mapping. */
interface CandleRow {
	open_time: number;
	open: number;
	high: number;
	low: number;
	close: number;
	volume: number;
}

/**
 * MySQL/MariaDB upsert of `rowCount` rows as one multi-row statement, its text cached per row count
 * (a backfill uses two: full pages and the last one). mysql2 binds the `?` values on the client, so
 * this is the statement the query builder would produce, without building and compiling one node
 * per value. VALUES(col) works on MariaDB and MySQL 8 (deprecated there, not removed); MySQL's
 * newer `AS new` row alias is a syntax error on MariaDB.
 */
function mysqlUpsertSql(rowCount: number): string {
	let text = mysqlUpsertText.get(rowCount);
	if (text === undefined) {
		text =
			'insert into `candles` (`exchange`, `symbol`, `timeframe`, `open_time`, `open`, `high`, `low`, `close`, `volume`) values ' +
			new Array<string>(rowCount).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ') +
			' on duplicate key update `open` = values(`open`), `high` = values(`high`), `low` = values(`low`), `close` = values(`close`), `volume` = values(`volume`)';
		if (mysqlUpsertText.size > 16) mysqlUpsertText.clear();
		mysqlUpsertText.set(rowCount, text);
	}
	return text;
}
const mysqlUpsertText = new Map<number, string>();

/** The bound values of rows [start, end) in column order, one flat array. */
function mysqlUpsertParams(rows: readonly Candle[], start: number, end: number): (string | number)[] {
	const params = new Array<string | number>((end - start) * 9);
	let k = 0;
	for (let i = start; i < end; i++) {
		const r = rows[i]!;
		params[k++] = r.exchange;
		params[k++] = r.symbol;
		params[k++] = r.timeframe;
		params[k++] = r.openTime;
		params[k++] = r.open;
		params[k++] = r.high;
		params[k++] = r.low;
		params[k++] = r.close;
		params[k++] = r.volume;
	}
	return params;
}

const NUMERIC_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function assertValidCandle(row: Candle, index: number): void {
	if (!Number.isSafeInteger(row.openTime)) {
		throw new InvalidInputError(`candle ${index}: openTime must be an integer number of Unix ms`, ['candles', index, 'openTime']);
	}
	for (const field of NUMERIC_FIELDS) {
		if (!Number.isFinite(row[field])) {
			throw new InvalidInputError(`candle ${index}: ${field} must be a finite number`, ['candles', index, field]);
		}
	}
}

/**
 * `sqlite` is the better-sqlite3 handle behind `db` when the dialect is SQLite: bulk writes and
 * column reads then use prepared statements (see sqliteFastPath.ts).
 */
export function candlesRepository(db: Kysely<Database>, dialect: Dialect, sqlite?: BetterSqlite3.Database) {
	const fast = sqlite === undefined ? undefined : sqliteCandleFastPath(db, sqlite);
	const series = (key: CandleKey) =>
		db
			.selectFrom('candles')
			.where('exchange', '=', key.exchange)
			.where('symbol', '=', key.symbol)
			.where('timeframe', '=', key.timeframe);

	return {
		/**
		 * Inserts or replaces bars by (exchange, symbol, timeframe, openTime), in chunks, in one
		 * transaction (all or nothing). Returns the number of rows written.
		 */
		async upsertMany(rows: readonly Candle[]): Promise<number> {
			rows.forEach(assertValidCandle);
			if (rows.length === 0) return 0;
			if (fast !== undefined) {
				await fast.upsertMany(rows);
				return rows.length;
			}
			if (dialect === 'mysql') {
				await inTransaction(db, async (tx) => {
					const raw = tx.withoutPlugins();
					for (let start = 0; start < rows.length; start += UPSERT_CHUNK_ROWS) {
						const end = Math.min(rows.length, start + UPSERT_CHUNK_ROWS);
						await raw.executeQuery(CompiledQuery.raw(mysqlUpsertSql(end - start), mysqlUpsertParams(rows, start, end)));
					}
				});
				return rows.length;
			}
			await inTransaction(db, async (tx) => {
				for (let start = 0; start < rows.length; start += UPSERT_CHUNK_ROWS) {
					const chunk = rows.slice(start, start + UPSERT_CHUNK_ROWS).map((row) => ({
						exchange: row.exchange,
						symbol: row.symbol,
						timeframe: row.timeframe,
						openTime: row.openTime,
						open: row.open,
						high: row.high,
						low: row.low,
						close: row.close,
						volume: row.volume,
					}));
					await tx
						.insertInto('candles')
						.values(chunk)
						.onConflict((oc) =>
							oc.columns(['exchange', 'symbol', 'timeframe', 'openTime']).doUpdateSet((eb) => ({
								open: eb.ref('excluded.open'),
								high: eb.ref('excluded.high'),
								low: eb.ref('excluded.low'),
								close: eb.ref('excluded.close'),
								volume: eb.ref('excluded.volume'),
							})),
						)
						.execute();
				}
			});
			return rows.length;
		},

		/** Bars with fromTime ≤ openTime < toTime, oldest first. */
		async range(key: CandleKey, fromTime: number, toTime: number): Promise<Candle[]> {
			return series(key)
				.selectAll()
				.where('openTime', '>=', fromTime)
				.where('openTime', '<', toTime)
				.orderBy('openTime')
				.execute();
		},

		/** The newest stored bar's openTime, where an incremental crawl resumes; null for an empty series. */
		async latestOpenTime(key: CandleKey): Promise<number | null> {
			const row = await series(key).select((eb) => eb.fn.max('openTime').as('latest')).executeTakeFirst();
			return row?.latest === null || row?.latest === undefined ? null : Number(row.latest);
		},

		/**
		 * Missing bars between stored bars with fromTime ≤ openTime < toTime, oldest first: wherever two
		 * consecutive stored open times are more than `barMs` apart. Computed from the rows (LAG over
		 * the primary key), so it is always current; nothing is invented to fill them. Gaps before the
		 * first or after the last stored bar of the range are not reported (nothing bounds them).
		 */
		async gaps(key: CandleKey, barMs: number, fromTime: number, toTime: number): Promise<CandleGap[]> {
			const rows = (
				await sql<{ prev: number; open_time: number }>`select prev, open_time from (
					select open_time, lag(open_time) over (order by open_time) as prev from candles
					where exchange = ${key.exchange} and symbol = ${key.symbol} and timeframe = ${key.timeframe}
					and open_time >= ${fromTime} and open_time < ${toTime}) as series
					where prev is not null and open_time - prev > ${barMs} order by open_time`.execute(db.withoutPlugins())
			).rows;
			return rows.map((row) => {
				const prev = Number(row.prev);
				const next = Number(row.open_time);
				return { fromOpenTime: prev + barMs, toOpenTime: next - barMs, missingBars: Math.round((next - prev) / barMs) - 1 };
			});
		},

		/** Number of stored bars in a series. */
		async count(key: CandleKey): Promise<number> {
			const row = await series(key).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
			return Number(row.n);
		},

		/**
		 * Bars with fromTime ≤ openTime < toTime as Float64Array columns, oldest first. Reads in keyset
		 * pages straight into the arrays, without building one object per bar for the caller.
		 */
		async loadColumns(key: CandleKey, fromTime: number, toTime: number): Promise<CandleColumns> {
			if (fast !== undefined) return fast.loadColumns(key, fromTime, toTime);
			let capacity = 1024;
			let length = 0;
			let columns = allocateColumns(capacity);
			const raw = db.withoutPlugins();
			let cursor = fromTime;
			let inclusive = true;
			for (;;) {
				const page = (
					await sql<CandleRow>`select open_time, open, high, low, close, volume from candles
						where exchange = ${key.exchange} and symbol = ${key.symbol} and timeframe = ${key.timeframe}
						and open_time ${inclusive ? sql`>=` : sql`>`} ${cursor} and open_time < ${toTime}
						order by open_time limit ${LOAD_PAGE_ROWS}`.execute(raw)
				).rows;
				if (length + page.length > capacity) {
					while (length + page.length > capacity) capacity *= 2;
					columns = growColumns(columns, capacity, length);
				}
				for (const row of page) {
					columns.openTime[length] = Number(row.open_time);
					columns.open[length] = row.open;
					columns.high[length] = row.high;
					columns.low[length] = row.low;
					columns.close[length] = row.close;
					columns.volume[length] = row.volume;
					length++;
				}
				if (page.length < LOAD_PAGE_ROWS) break;
				cursor = Number(page[page.length - 1]!.open_time);
				inclusive = false;
			}
			return growColumns(columns, length, length);
		},
	};
}

function allocateColumns(capacity: number): CandleColumns {
	return {
		openTime: new Float64Array(capacity),
		open: new Float64Array(capacity),
		high: new Float64Array(capacity),
		low: new Float64Array(capacity),
		close: new Float64Array(capacity),
		volume: new Float64Array(capacity),
	};
}

function growColumns(columns: CandleColumns, capacity: number, length: number): CandleColumns {
	const next = allocateColumns(capacity);
	for (const name of Object.keys(next) as (keyof CandleColumns)[]) next[name].set(columns[name].subarray(0, length));
	return next;
}

export type CandlesRepository = ReturnType<typeof candlesRepository>;
