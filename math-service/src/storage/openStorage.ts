/**
 * @module storage/openStorage
 * Opens the service's database from DATABASE_URL, migrates it to the latest schema and returns
 * the typed repositories. SQLite (better-sqlite3, a file in the data directory, WAL mode) is the
 * zero-set-up default; `mysql://…` selects MySQL 8 / MariaDB through a mysql2 pool. Both go
 * through one Kysely query layer; the few dialect differences live in the repositories.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, MysqlDialect, sql, SqliteDialect } from 'kysely';
import { OperatorError, RetryableError } from '../errors.js';
import { alphaScoresRepository } from './alphaScores.js';
import { backtestRunsRepository } from './backtestRuns.js';
import { callbackEventsRepository } from './callbackEvents.js';
import { candlesRepository } from './candles.js';
import { decisionsRepository } from './decisions.js';
import { deskStateRepository } from './deskState.js';
import { equitySnapshotsRepository } from './equitySnapshots.js';
import type { Dialect } from './insertOnce.js';
import { migrateToLatest } from './migrateToLatest.js';
import { newsSentimentStore } from './newsSentimentStore.js';
import { onchainObservationsRepository } from './onchainObservations.js';
import { paperLedgerRepository } from './paperLedger.js';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from './parseDatabaseUrl.js';
import { mysqlPreparedSql, sqlitePreparedSql, type PreparedSql } from './preparedSql.js';
import { riskStateRepository } from './riskState.js';
import type { Database } from './schema.js';
import { signalsRepository } from './signals.js';
import { tradeLogRepository } from './tradeLog.js';

export interface StorageOptions {
	/** SQLite: how long a writer waits for a lock held by another process (default 5,000 ms). */
	busyTimeoutMs?: number;
	/** MySQL: pool size (default 10). */
	mysqlConnectionLimit?: number;
	/** MySQL: TCP connect timeout (default 5,000 ms). */
	connectTimeoutMs?: number;
	/** Run pending migrations while opening (default true). */
	migrate?: boolean;
}

/** The typed repositories, bound either to the database or to one transaction. */
export interface Repositories {
	readonly db: Kysely<Database>;
	readonly candles: ReturnType<typeof candlesRepository>;
	readonly signals: ReturnType<typeof signalsRepository>;
	readonly decisions: ReturnType<typeof decisionsRepository>;
	readonly paperLedger: ReturnType<typeof paperLedgerRepository>;
	readonly tradeLog: ReturnType<typeof tradeLogRepository>;
	readonly riskState: ReturnType<typeof riskStateRepository>;
	readonly equitySnapshots: ReturnType<typeof equitySnapshotsRepository>;
	readonly callbackEvents: ReturnType<typeof callbackEventsRepository>;
	readonly backtestRuns: ReturnType<typeof backtestRunsRepository>;
	readonly onchain: ReturnType<typeof onchainObservationsRepository>;
	readonly news: ReturnType<typeof newsSentimentStore>;
	readonly alphaScores: ReturnType<typeof alphaScoresRepository>;
	readonly desk: ReturnType<typeof deskStateRepository>;
}

export interface Storage extends Repositories {
	readonly dialect: Dialect;
	/**
	 * Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws.
	 * A lost connection, deadlock or lock timeout comes out as RetryableError (the rollback is
	 * complete, so the whole `fn` may run again); other errors pass through unchanged.
	 */
	transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
	/** Prepared statements reused across calls, for the decision hot path (storage/preparedSql). */
	readonly prepared: PreparedSql;
	/** Applies pending migrations; returns the names applied (empty when up to date). */
	migrate(): Promise<string[]>;
	/** Resolves when the database answers; RetryableError when it does not. */
	ping(): Promise<void>;
	/** Closes the SQLite file or ends the MySQL pool. Idempotent. */
	close(): Promise<void>;
}

function bindRepositories(db: Kysely<Database>, dialect: Dialect, sqlite: SqliteDatabase.Database | undefined): Repositories {
	return {
		db,
		candles: candlesRepository(db, dialect, sqlite),
		signals: signalsRepository(db, dialect),
		decisions: decisionsRepository(db, dialect),
		paperLedger: paperLedgerRepository(db, dialect),
		tradeLog: tradeLogRepository(db),
		riskState: riskStateRepository(db, dialect),
		equitySnapshots: equitySnapshotsRepository(db),
		callbackEvents: callbackEventsRepository(db, dialect),
		backtestRuns: backtestRunsRepository(db),
		onchain: onchainObservationsRepository(db),
		news: newsSentimentStore(db),
		alphaScores: alphaScoresRepository(db),
		desk: deskStateRepository(db, dialect),
	};
}

const RETRYABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'ENOTFOUND',
	'PROTOCOL_CONNECTION_LOST',
	'PROTOCOL_SEQUENCE_TIMEOUT',
	'ER_CON_COUNT_ERROR',
	'ER_SERVER_SHUTDOWN',
	'ER_LOCK_DEADLOCK',
	'ER_LOCK_WAIT_TIMEOUT',
	'SQLITE_BUSY',
]);
const OPERATOR_CODES = new Set(['EACCES', 'EROFS', 'ENOTDIR', 'EEXIST', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);

/** Maps a driver's connection failure to what the caller does next; other errors pass through. */
export function classifyConnectionError(error: unknown, where: string): unknown {
	const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
	const detail = error instanceof Error ? error.message : String(error);
	if (typeof code === 'string' && RETRYABLE_CODES.has(code)) {
		return new RetryableError(`database ${where} is unavailable (${code}): ${detail}`, 1_000, { cause: error });
	}
	if (typeof code === 'string' && OPERATOR_CODES.has(code)) {
		return new OperatorError(`database ${where} refused the configuration (${code}): ${detail}`, { cause: error });
	}
	return error;
}

async function createKysely(target: DatabaseTarget, options: StorageOptions): Promise<{ db: Kysely<Database>; sqlite?: SqliteDatabase.Database; prepared: PreparedSql }> {
	const plugins = [new CamelCasePlugin()];
	if (target.dialect === 'sqlite') {
		if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
		const database = new SqliteDatabase(target.path, { timeout: options.busyTimeoutMs ?? 5_000 });
		// WAL lets readers run while one writer commits; NORMAL sync is durable across app crashes
		// (a power cut may lose the last commits, never corrupt the file).
		database.pragma('journal_mode = WAL');
		database.pragma('synchronous = NORMAL');
		database.pragma('foreign_keys = ON');
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), plugins });
		return { db, sqlite: database, prepared: sqlitePreparedSql(db, database) };
	}
	// mysql2 is loaded only for mysql:// URLs: it is a tenth of a CLI's start-up time otherwise.
	const { createPool } = await import('mysql2');
	const pool = createPool({
		host: target.host,
		port: target.port,
		user: target.user,
		password: target.password,
		database: target.database,
		connectionLimit: options.mysqlConnectionLimit ?? 10,
		connectTimeout: options.connectTimeoutMs ?? 5_000,
		charset: 'utf8mb4',
		timezone: 'Z',
	});
	return { db: new Kysely<Database>({ dialect: new MysqlDialect({ pool }), plugins }), prepared: mysqlPreparedSql(pool) };
}

/** Opens, checks and migrates the database named by `databaseUrl` (see parseDatabaseUrl). */
export async function openStorage(databaseUrl: string, options: StorageOptions = {}): Promise<Storage> {
	const target = parseDatabaseUrl(databaseUrl);
	const where = redactDatabaseUrl(databaseUrl);
	let opened: Awaited<ReturnType<typeof createKysely>>;
	try {
		opened = await createKysely(target, options);
	} catch (error) {
		throw classifyConnectionError(error, where);
	}
	const { db, sqlite, prepared } = opened;
	const dialect: Dialect = target.dialect;
	let closed = false;

	const ping = async () => {
		try {
			await sql`select 1`.execute(db);
		} catch (error) {
			throw classifyConnectionError(error, where);
		}
	};

	const storage: Storage = {
		...bindRepositories(db, dialect, sqlite),
		dialect,
		prepared,
		async transaction(fn) {
			try {
				return await db.transaction().execute((tx) => fn(bindRepositories(tx, dialect, sqlite)));
			} catch (error) {
				// A deadlock victim or lock timeout rolled back cleanly: the whole operation may be retried.
				throw classifyConnectionError(error, where);
			}
		},
		migrate: () => migrateToLatest(db),
		ping,
		async close() {
			if (closed) return;
			closed = true;
			await db.destroy();
		},
	};

	try {
		await ping();
		if (options.migrate ?? true) await storage.migrate();
	} catch (error) {
		await storage.close();
		throw error;
	}
	return storage;
}
