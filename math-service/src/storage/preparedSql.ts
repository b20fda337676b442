/**
 * @module storage/preparedSql
 * Hot-path SQL without the query builder: plain statements with `?` parameters, prepared once and
 * reused. A decision runs ~15 statements; through Kysely each one is rebuilt, compiled and (on
 * SQLite) prepared again, which costs more than running it. Here:
 * - SQLite: better-sqlite3 statements cached by their text, run on Kysely's single connection while
 *   holding its mutex (`db.connection()`), so they never interleave with a Kysely transaction;
 * - MySQL/MariaDB: a connection of the same mysql2 pool Kysely uses, `execute()` (the binary
 *   protocol; mysql2 caches the server-side prepared statement per connection and text).
 *
 * SQL is written once with double-quoted identifiers (`"key"`); for MySQL the quotes become
 * backticks. Parameters are numbers, strings or null only.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2';
import type { Dialect } from './insertOnce.js';
import type { Database } from './schema.js';

export type SqlParam = number | string | null;

export interface WriteResult {
	/** The auto-increment id of an INSERT (0 when none). */
	insertId: number;
	/** Rows changed (MySQL: rows matched). */
	changes: number;
}

/** One connection, inside or outside a transaction. */
export interface SqlConnection {
	readonly dialect: Dialect;
	/** The rows of a SELECT. */
	all<R>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
	/** Runs an INSERT/UPDATE/DELETE. */
	run(sql: string, params?: readonly SqlParam[]): Promise<WriteResult>;
	/** Transaction control and savepoints (not prepared: `savepoint`, `release`, `rollback to`). */
	control(statement: 'begin' | 'commit' | 'rollback' | `savepoint ${string}` | `release ${string}` | `rollback to ${string}`): Promise<void>;
}

export interface PreparedSql {
	readonly dialect: Dialect;
	/** Runs `fn` on one connection without opening a transaction (each statement commits alone). */
	withConnection<T>(fn: (c: SqlConnection) => Promise<T>): Promise<T>;
	/**
	 * Runs `fn` in one transaction on one connection: commits when it resolves, rolls back when it
	 * throws (and rethrows). SQLite begins IMMEDIATE (the write lock up front, so a second process
	 * waits for it instead of failing to upgrade a read lock).
	 */
	transaction<T>(fn: (c: SqlConnection) => Promise<T>): Promise<T>;
}

export function sqlitePreparedSql(db: Kysely<Database>, sqlite: BetterSqlite3.Database): PreparedSql {
	const cache = new Map<string, BetterSqlite3.Statement>();
	const prepare = (text: string) => {
		let statement = cache.get(text);
		if (statement === undefined) {
			statement = sqlite.prepare(text);
			cache.set(text, statement);
		}
		return statement;
	};
	const connection: SqlConnection = {
		dialect: 'sqlite',
		async all<R>(text: string, params: readonly SqlParam[] = []) {
			return prepare(text).all(...params) as R[];
		},
		async run(text: string, params: readonly SqlParam[] = []) {
			const r = prepare(text).run(...params);
			return { insertId: Number(r.lastInsertRowid), changes: r.changes };
		},
		async control(statement) {
			prepare(statement === 'begin' ? 'begin immediate' : statement).run();
		},
	};
	const withConnection = <T>(fn: (c: SqlConnection) => Promise<T>): Promise<T> => db.connection().execute(() => fn(connection));
	return {
		dialect: 'sqlite',
		withConnection,
		transaction: (fn) =>
			withConnection(async (c) => {
				await c.control('begin');
				try {
					const result = await fn(c);
					await c.control('commit');
					return result;
				} catch (error) {
					if (sqlite.inTransaction) prepare('rollback').run();
					throw error;
				}
			}),
	};
}

export function mysqlPreparedSql(pool: Pool): PreparedSql {
	const texts = new Map<string, string>();
	const mysqlText = (text: string) => {
		let out = texts.get(text);
		if (out === undefined) {
			out = text.replaceAll('"', '`');
			texts.set(text, out);
		}
		return out;
	};
	const bind = (conn: PoolConnection): SqlConnection => ({
		dialect: 'mysql',
		all<R>(text: string, params: readonly SqlParam[] = []) {
			return new Promise<R[]>((resolve, reject) => conn.execute(mysqlText(text), params as SqlParam[], (error, rows) => (error ? reject(error) : resolve(rows as R[]))));
		},
		run(text: string, params: readonly SqlParam[] = []) {
			return new Promise<WriteResult>((resolve, reject) =>
				conn.execute(mysqlText(text), params as SqlParam[], (error, result) => {
					if (error) return reject(error);
					const header = result as ResultSetHeader;
					resolve({ insertId: Number(header.insertId ?? 0), changes: Number(header.affectedRows ?? 0) });
				}),
			);
		},
		control(statement) {
			const text = statement === 'begin' ? 'start transaction' : statement.startsWith('release ') ? `release savepoint ${statement.slice(8)}` : statement.startsWith('rollback to ') ? `rollback to savepoint ${statement.slice(12)}` : statement;
			return new Promise<void>((resolve, reject) => conn.query(text, (error) => (error ? reject(error) : resolve())));
		},
	});
	const withConnection = async <T>(fn: (c: SqlConnection) => Promise<T>, inTransaction = false): Promise<T> => {
		const conn = await new Promise<PoolConnection>((resolve, reject) => pool.getConnection((error, c) => (error ? reject(error) : resolve(c))));
		const c = bind(conn);
		let broken = false;
		try {
			if (!inTransaction) return await fn(c);
			await c.control('begin');
			try {
				const result = await fn(c);
				await c.control('commit');
				return result;
			} catch (error) {
				await c.control('rollback').catch(() => {
					broken = true;
				});
				throw error;
			}
		} catch (error) {
			// A connection that lost its server or failed to roll back is not handed to the next caller.
			const fatal = typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true;
			if (fatal) broken = true;
			throw error;
		} finally {
			if (broken) conn.destroy();
			else conn.release();
		}
	};
	return {
		dialect: 'mysql',
		withConnection: (fn) => withConnection(fn),
		transaction: (fn) => withConnection(fn, true),
	};
}
