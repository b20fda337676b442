/**
 * @module heartbeat/RedisHotCache
 * HotCache in Redis hashes: `HSET prefix+hash field json` then `PEXPIRE prefix+hash ttl` in one
 * MULTI, so every service instance reads the same latest scores and heartbeat times.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_CACHE_KEY_PREFIX, DEFAULT_CACHE_TTL_MS, type HotCache } from './HotCache';

export class RedisHotCache implements HotCache {
	readonly backend = 'redis' as const;
	private readonly keyPrefix: string;
	private readonly ttlMs: number;
	private readonly ownsConnection: boolean;

	constructor(
		private readonly redis: Redis,
		options: { keyPrefix?: string; ttlMs?: number; ownsConnection?: boolean } = {},
	) {
		this.keyPrefix = options.keyPrefix ?? DEFAULT_CACHE_KEY_PREFIX;
		this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
		this.ownsConnection = options.ownsConnection ?? false;
	}

	async set(hash: string, field: string, value: unknown): Promise<void> {
		const key = this.keyPrefix + hash;
		const replies = await this.redis.multi().hset(key, field, JSON.stringify(value)).pexpire(key, this.ttlMs).exec();
		const failed = replies?.find(([error]) => error !== null);
		if (failed) throw failed[0];
	}

	async get<T>(hash: string, field: string): Promise<T | null> {
		const v = await this.redis.hget(this.keyPrefix + hash, field);
		return v === null ? null : (JSON.parse(v) as T);
	}

	async getAll<T>(hash: string): Promise<Record<string, T>> {
		const all = await this.redis.hgetall(this.keyPrefix + hash);
		const out: Record<string, T> = {};
		for (const [k, v] of Object.entries(all)) out[k] = JSON.parse(v) as T;
		return out;
	}

	async close(): Promise<void> {
		if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
	}
}
