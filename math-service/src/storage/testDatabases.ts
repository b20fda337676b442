/**
 * @module storage/testDatabases
 * Throw-away databases for tests: a fresh `hfq_test_<random>` database on the local MariaDB/MySQL
 * (root@127.0.0.1:3306, no password, or HFQ_TEST_MYSQL_URL), dropped afterwards. Used by the
 * storage suite and by integration tests that need the service on MariaDB.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
	/** A DATABASE_URL for openStorage. */
	url: string;
	/** Drops the database (MySQL) or does nothing (SQLite in memory). */
	drop(): Promise<void>;
}

/** The server the tests use, without a database name. */
export function testMysqlServerUrl(): string {
	return process.env.HFQ_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

/** Creates an empty utf8mb4 database with a random name on the test server. */
export async function createMysqlTestDatabase(prefix = 'hfq_test'): Promise<TestDatabase> {
	const server = new URL(testMysqlServerUrl());
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	const connect = () =>
		createConnection({
			host: server.hostname,
			port: server.port === '' ? 3306 : Number(server.port),
			user: decodeURIComponent(server.username) || 'root',
			password: decodeURIComponent(server.password),
		});
	const admin = await connect();
	try {
		await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
	} finally {
		await admin.end();
	}
	const url = new URL(server.href);
	url.pathname = `/${name}`;
	return {
		url: url.href,
		async drop() {
			const dropper = await connect();
			try {
				await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
			} finally {
				await dropper.end();
			}
		},
	};
}

/** An in-memory SQLite database (nothing to drop). */
export async function createSqliteTestDatabase(): Promise<TestDatabase> {
	return { url: 'sqlite::memory:', drop: async () => {} };
}
