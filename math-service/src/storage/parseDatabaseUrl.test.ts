import { describe, expect, it } from 'vitest';
import { OperatorError } from '../errors.js';
import { parseDatabaseUrl, redactDatabaseUrl } from './parseDatabaseUrl.js';

describe('parseDatabaseUrl', () => {
	it('returns the relative file path of sqlite:PATH', () => {
		expect(parseDatabaseUrl('sqlite:./data/highfreqquant.db')).toEqual({ dialect: 'sqlite', path: './data/highfreqquant.db' });
	});
	it('returns an absolute path for sqlite:/abs and SQLAlchemy-style sqlite:////abs', () => {
		expect(parseDatabaseUrl('sqlite:/var/lib/hfq.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/hfq.db' });
		expect(parseDatabaseUrl('sqlite:////var/lib/hfq.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/hfq.db' });
	});
	it('returns :memory: for sqlite::memory:', () => {
		expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
	});
	it('returns host, port, decoded credentials and database of a mysql URL', () => {
		expect(parseDatabaseUrl('mysql://hfq:p%40ss%3Aword@db.local:3307/highfreqquant')).toEqual({
			dialect: 'mysql',
			host: 'db.local',
			port: 3307,
			user: 'hfq',
			password: 'p@ss:word',
			database: 'highfreqquant',
		});
	});
	it('defaults the MySQL port to 3306 and accepts mariadb://', () => {
		expect(parseDatabaseUrl('mariadb://root@127.0.0.1/hfq')).toMatchObject({ port: 3306, user: 'root', password: '' });
	});
	it.each([
		['', /no scheme/],
		['postgres://u:p@h/db', /scheme "postgres" is not supported/],
		['sqlite:', /no file path/],
		['mysql://root@127.0.0.1:3306/', /names no single database/],
		['mysql://root@127.0.0.1:99999/db', /not a valid URL/],
	])('throws OperatorError for %j', (url, message) => {
		expect(() => parseDatabaseUrl(url)).toThrow(OperatorError);
		expect(() => parseDatabaseUrl(url)).toThrow(message);
	});
	it('never repeats the password of an unsupported URL', () => {
		expect(() => parseDatabaseUrl('postgres://u:secret@h/db')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
	});
	it('redacts the password of a mysql URL', () => {
		expect(redactDatabaseUrl('mysql://hfq:secret@h:3306/db')).toBe('mysql://hfq:***@h:3306/db');
	});
});
