/**
 * @module heartbeat/createJobLock
 * Picks the backends from the environment: with `REDIS_URL` the job leases and the hot cache live
 * in Redis (shared by every service instance), without it in this process. A REDIS_URL that does
 * not parse throws OperatorError naming it, before anything runs. Every key sits under
 * `HFQ_REDIS_KEY_PREFIX` (default `hfq:`): leases under `<prefix>lock:`, the cache under `<prefix>cache:`.
 */
import { Redis } from 'ioredis';
import { InProcessHotCache, type HotCache } from './HotCache';
import { InProcessJobLock } from './InProcessJobLock';
import type { JobLock } from './JobLock';
import { RedisHotCache } from './RedisHotCache';
import { RedisJobLock } from './RedisJobLock';
import { cacheKeyPrefix, lockKeyPrefix, redisKeyPrefixFromEnv } from './redisKeyPrefixFromEnv';
import { redisUrlFromEnv } from './redisUrlFromEnv';

type Env = Record<string, string | undefined>;

/** One ioredis connection that fails a command fast (one retry) instead of queueing it forever. */
export function connectRedis(url: string): Redis {
	const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: false });
	// Connection errors surface on the commands (as RetryableError); the event itself is expected noise.
	redis.on('error', () => undefined);
	return redis;
}

export function createJobLock(env: Env, options: { keyPrefix?: string; holderId?: string } = {}): JobLock {
	const url = redisUrlFromEnv(env);
	const keyPrefix = options.keyPrefix ?? lockKeyPrefix(redisKeyPrefixFromEnv(env));
	if (url === null) return new InProcessJobLock({ keyPrefix, holderId: options.holderId });
	return new RedisJobLock(connectRedis(url), { keyPrefix, holderId: options.holderId, ownsConnection: true });
}

export function createHotCache(env: Env, options: { keyPrefix?: string; ttlMs?: number } = {}): HotCache {
	const url = redisUrlFromEnv(env);
	const keyPrefix = options.keyPrefix ?? cacheKeyPrefix(redisKeyPrefixFromEnv(env));
	if (url === null) return new InProcessHotCache(options.ttlMs);
	return new RedisHotCache(connectRedis(url), { keyPrefix, ttlMs: options.ttlMs, ownsConnection: true });
}
