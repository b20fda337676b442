/**
 * @module storage/insertOnce
 * Idempotent inserts that rely on a UNIQUE constraint, the only check that holds under
 * concurrency: try the INSERT; if the database reports a duplicate key, read and return the row
 * that won. A check-then-insert would let two concurrent deliveries of one alert both pass.
 */
import { sql, type Kysely } from 'kysely';
import { RetryableError } from '../errors.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'mysql';

/**
 * True for a unique or primary-key violation: MySQL/MariaDB ER_DUP_ENTRY (errno 1062),
 * better-sqlite3 SQLITE_CONSTRAINT_UNIQUE / SQLITE_CONSTRAINT_PRIMARYKEY.
 */
export function isDuplicateKeyError(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const { code, errno } = error as { code?: unknown; errno?: unknown };
	return code === 'ER_DUP_ENTRY' || errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Whether reading the row that owns a unique key needs a locking read. Inside a MySQL transaction
 * a plain SELECT reads the transaction's REPEATABLE READ snapshot, which may predate the competing
 * insert; a locking read (`LOCK IN SHARE MODE`, accepted by MariaDB and MySQL 8) sees the latest
 * committed row. Use with `.$if(needsLockingRead(db, dialect), (q) => q.modifyEnd(LOCKING_READ))`.
 */
export function needsLockingRead(db: Kysely<Database>, dialect: Dialect): boolean {
	return dialect === 'mysql' && db.isTransaction;
}

export const LOCKING_READ = sql`lock in share mode`;

/**
 * Runs `insert`; on a duplicate key returns `{ inserted: false, row }` with the existing row.
 * `insert` returns the new row's id, `findById`/`findExisting` read rows back.
 */
export async function insertOnce<Row>(
	insert: () => Promise<number>,
	findById: (id: number) => Promise<Row | undefined>,
	findExisting: () => Promise<Row | undefined>,
): Promise<{ inserted: true; row: Row } | { inserted: false; row: Row }> {
	let id: number;
	try {
		id = await insert();
	} catch (error) {
		if (!isDuplicateKeyError(error)) throw error;
		const existing = await findExisting();
		// The winner rolled back between its insert and our read: the caller may simply retry.
		if (existing === undefined) throw new RetryableError('a concurrent insert of the same key was rolled back; retry', 0, { cause: error });
		return { inserted: false, row: existing };
	}
	const row = await findById(id);
	if (row === undefined) throw new Error(`row ${id} vanished right after its insert`);
	return { inserted: true, row };
}

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
	return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** The auto-increment id of an INSERT (both drivers report it; SQLite as rowid). */
export function insertedId(result: { insertId?: bigint }): number {
	if (result.insertId === undefined) throw new Error('the database did not report the inserted id');
	return Number(result.insertId);
}
