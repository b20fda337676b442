/**
 * @module storage/migrations/dialectDdl
 * The few places where SQLite and MySQL/MariaDB DDL must differ, kept in one file so migrations
 * read the same on both dialects.
 */
import { MysqlAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/** True when the migration runs against MySQL or MariaDB. */
export function isMysql(db: Kysely<unknown>): boolean {
	return db.getExecutor().adapter instanceof MysqlAdapter;
}

/**
 * Column type for JSON payloads: TEXT on SQLite (unbounded), MEDIUMTEXT on MySQL (16 MB; plain
 * TEXT stops at 64 KB, which a decision receipt with gate details could reach).
 */
export function jsonTextType(db: Kysely<unknown>): RawBuilder<unknown> {
	return isMysql(db) ? sql`mediumtext` : sql`text`;
}

/**
 * Text comparison on MySQL/MariaDB defaults to case-insensitive, trailing-space-insensitive
 * collations: 'abc' and 'ABC ' would collide on a UNIQUE alert_id there but not on SQLite. We pick a
 * binary NO PAD collation so both dialects compare strings byte for byte: MariaDB has
 * utf8mb4_nopad_bin, MySQL 8 utf8mb4_0900_bin; utf8mb4_bin (PAD SPACE) is the last resort.
 */
export async function binaryCollation(db: Kysely<unknown>): Promise<string> {
	const preferred = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'];
	const { rows } = await sql<{ Collation: string }>`SHOW COLLATION WHERE Collation IN (${sql.join(preferred)})`.execute(db);
	const available = new Set(rows.map((row) => row.Collation));
	return preferred.find((name) => available.has(name)) ?? 'utf8mb4_bin';
}

/** Table options appended to every CREATE TABLE: InnoDB, utf8mb4, binary collation on MySQL. */
export async function tableOptions(db: Kysely<unknown>): Promise<RawBuilder<unknown>> {
	if (!isMysql(db)) return sql``;
	const collation = await binaryCollation(db);
	return sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${sql.raw(collation)}`;
}
