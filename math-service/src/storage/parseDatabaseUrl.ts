/**
 * @module storage/parseDatabaseUrl
 * Reads DATABASE_URL: `sqlite:PATH` (relative to the working directory, or absolute; also
 * SQLAlchemy's `sqlite:///relative.db` and `sqlite:////abs/path.db`), `sqlite::memory:` for a throw-away
 * database, or `mysql://user:pass@host:port/db` (also `mariadb://`) for MySQL 8 / MariaDB.
 */
import { OperatorError } from '../errors.js';

export type DatabaseTarget =
	| { dialect: 'sqlite'; path: string }
	| { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string };

const EXPECTED = 'expected sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/database';

/** Parses a DATABASE_URL; throws OperatorError (a configuration mistake) naming what is wrong. */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
	const url = databaseUrl.trim();
	if (/^sqlite:/i.test(url)) {
		let path = url.slice('sqlite:'.length);
		// SQLAlchemy style: sqlite:///relative.db and sqlite:////absolute.db.
		if (path.startsWith('///')) path = path.slice(3);
		else if (path.startsWith('//')) path = path.slice(2);
		if (path === '') throw new OperatorError(`DATABASE_URL "${url}" has no file path: ${EXPECTED}`);
		return { dialect: 'sqlite', path };
	}
	if (/^(mysql|mariadb):\/\//i.test(url)) {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			throw new OperatorError(`DATABASE_URL is not a valid URL: ${EXPECTED}`);
		}
		const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
		if (parsed.hostname === '') throw new OperatorError(`DATABASE_URL has no host: ${EXPECTED}`);
		if (database === '' || database.includes('/')) {
			throw new OperatorError(`DATABASE_URL names no single database after the host: ${EXPECTED}`);
		}
		const port = parsed.port === '' ? 3306 : Number(parsed.port);
		return {
			dialect: 'mysql',
			host: parsed.hostname.replace(/^\[|\]$/g, ''),
			port,
			user: decodeURIComponent(parsed.username) || 'root',
			password: decodeURIComponent(parsed.password),
			database,
		};
	}
	// Never echo a URL we cannot parse: it may carry a password.
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
	throw new OperatorError(
		scheme === undefined ? `DATABASE_URL has no scheme: ${EXPECTED}` : `DATABASE_URL scheme "${scheme}" is not supported: ${EXPECTED}`,
	);
}

/** The URL with its password replaced by ***, for logs and error messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
	return databaseUrl.replace(/^((?:mysql|mariadb):\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
