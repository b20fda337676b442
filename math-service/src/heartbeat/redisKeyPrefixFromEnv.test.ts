import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { createHotCache, createJobLock } from './createJobLock';
import { redisKeyPrefixFromEnv } from './redisKeyPrefixFromEnv';
import { TEST_REDIS_URL } from './testRedis';

describe('HFQ_REDIS_KEY_PREFIX', () => {
	it('returns hfq: when unset or empty', () => {
		expect(redisKeyPrefixFromEnv({})).toBe('hfq:');
		expect(redisKeyPrefixFromEnv({ HFQ_REDIS_KEY_PREFIX: ' ' })).toBe('hfq:');
	});

	it('accepts a desk namespace, a Redis Cluster hash tag included', () => {
		expect(redisKeyPrefixFromEnv({ HFQ_REDIS_KEY_PREFIX: 'hfq:desk-a:' })).toBe('hfq:desk-a:');
		expect(redisKeyPrefixFromEnv({ HFQ_REDIS_KEY_PREFIX: '{hfq.b}:' })).toBe('{hfq.b}:');
	});

	it.each(['desk a', 'hfq/*', 'x'.repeat(101), 'hfq:\u00e9:'])('refuses %j with an OperatorError naming HFQ_REDIS_KEY_PREFIX', (value) => {
		expect(() => redisKeyPrefixFromEnv({ HFQ_REDIS_KEY_PREFIX: value })).toThrow(OperatorError);
		expect(() => redisKeyPrefixFromEnv({ HFQ_REDIS_KEY_PREFIX: value })).toThrow(/^HFQ_REDIS_KEY_PREFIX: /);
	});
});

describe('createJobLock / createHotCache under HFQ_REDIS_KEY_PREFIX (real Redis)', () => {
	const closers: Array<() => Promise<unknown>> = [];
	afterEach(async () => {
		for (const close of closers.reverse()) await close();
		closers.length = 0;
	});

	it('writes leases under <prefix>lock: and the cache under <prefix>cache:, so two desks do not share a lease', async () => {
		const deskA = `hfq:test:${randomUUID()}:`;
		const deskB = `hfq:test:${randomUUID()}:`;
		const raw = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
		closers.push(async () => {
			const keys = [...(await raw.keys(`${deskA}*`)), ...(await raw.keys(`${deskB}*`))];
			if (keys.length > 0) await raw.del(...keys);
			await raw.quit();
		});
		const env = (prefix: string) => ({ REDIS_URL: TEST_REDIS_URL, HFQ_REDIS_KEY_PREFIX: prefix });
		const lockA = createJobLock(env(deskA));
		const lockB = createJobLock(env(deskB));
		const cacheA = createHotCache(env(deskA));
		closers.push(() => lockA.close(), () => lockB.close(), () => cacheA.close());

		// desk A's risk monitor is working: desk B's acts anyway (another namespace), a second desk-A run skips
		let seenInside: string | null = null;
		let bRan: unknown;
		let aAgain: unknown;
		await lockA.run('risk_monitor', { ttlMs: 5_000 }, async () => {
			seenInside = await raw.get(`${deskA}lock:risk_monitor`);
			bRan = await lockB.run('risk_monitor', { ttlMs: 5_000 }, async () => 'desk b acted');
			aAgain = await createJobLock(env(deskA)).run('risk_monitor', { ttlMs: 5_000 }, async () => 'acted twice');
		});
		expect(seenInside).toMatch(/ \d+ /); // the lease token, under desk A's prefix
		expect(bRan).toMatchObject({ ran: true, result: 'desk b acted' });
		expect(aAgain).toMatchObject({ ran: false, skipped: 'locked' });

		await cacheA.set('heartbeat:last_run', 'risk_monitor', { outcome: 'ran' });
		expect(await raw.hget(`${deskA}cache:heartbeat:last_run`, 'risk_monitor')).toBe('{"outcome":"ran"}');
	});
});
