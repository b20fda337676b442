import { afterEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { createHotCache, createJobLock } from './createJobLock';
import { redactRedisUrl, redisUrlFromEnv } from './redisUrlFromEnv';
import { TEST_REDIS_URL } from './testRedis';

describe('REDIS_URL', () => {
	it('returns null when unset or empty (in-process locks)', () => {
		expect(redisUrlFromEnv({})).toBeNull();
		expect(redisUrlFromEnv({ REDIS_URL: '  ' })).toBeNull();
	});

	it('accepts redis:// and rediss:// with credentials, port and database', () => {
		expect(redisUrlFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe('redis://127.0.0.1:6379');
		expect(redisUrlFromEnv({ REDIS_URL: 'rediss://user:s3cret@cache.internal:6380/2' })).toBe('rediss://user:s3cret@cache.internal:6380/2');
	});

	it.each([
		['127.0.0.1:6379', /REDIS_URL: .*(not a URL|scheme)/],
		['http://127.0.0.1:6379', /REDIS_URL: scheme "http" is not redis/],
		['redis://127.0.0.1:99999', /REDIS_URL: /],
		['redis://127.0.0.1:6379/cache', /REDIS_URL: database "cache"/],
		['redis://:pw@127.0.0.1:6379/0?tls=1', /REDIS_URL: query/],
	])('refuses %s with an OperatorError naming REDIS_URL', (value, message) => {
		expect(() => redisUrlFromEnv({ REDIS_URL: value })).toThrow(OperatorError);
		expect(() => redisUrlFromEnv({ REDIS_URL: value })).toThrow(message);
	});

	it('never echoes the password of a refused URL', () => {
		expect(() => redisUrlFromEnv({ REDIS_URL: 'redis://u:hunter2@h:1/x' })).toThrow(/^(?!.*hunter2)/s);
		expect(redactRedisUrl('redis://u:hunter2@h:1/0')).toBe('redis://u:***@h:1/0');
	});
});

describe('createJobLock / createHotCache', () => {
	const closers: Array<() => Promise<void>> = [];
	afterEach(async () => {
		await Promise.all(closers.map((c) => c()));
		closers.length = 0;
	});

	it('picks Redis when REDIS_URL is set and in-process otherwise', async () => {
		const lock = createJobLock({ REDIS_URL: TEST_REDIS_URL }, { keyPrefix: `hfq:test:${process.pid}:${Date.now()}:` });
		const cache = createHotCache({ REDIS_URL: TEST_REDIS_URL }, { keyPrefix: `hfq:test:${process.pid}:${Date.now()}:` });
		closers.push(() => lock.close(), () => cache.close());
		expect(lock.backend).toBe('redis');
		expect(cache.backend).toBe('redis');
		expect(await lock.run('probe', { ttlMs: 1_000 }, async () => 'ok')).toMatchObject({ ran: true, result: 'ok' });
		expect(createJobLock({}).backend).toBe('in_process');
		expect(createHotCache({}).backend).toBe('in_process');
		expect(() => createJobLock({ REDIS_URL: 'localhost' })).toThrow(/REDIS_URL/);
	});

	it('answers RetryableError (503) when Redis does not answer', async () => {
		const lock = createJobLock({ REDIS_URL: 'redis://127.0.0.1:1' });
		closers.push(() => lock.close());
		await expect(lock.run('probe', { ttlMs: 1_000 }, async () => 'acted')).rejects.toMatchObject({ name: 'RetryableError' });
	});
});
