/**
 * @module heartbeat/HotCache
 * The hot cache: small, frequently read facts the heartbeat writes and the service answers from
 * without a database round trip — the latest alpha score per symbol and each job's last run
 * (heartbeat freshness). Values live in named hashes (field → JSON); every write renews the hash's
 * TTL, so a desk that stopped running lets its facts expire instead of serving stale ones forever.
 *
 * RedisHotCache shares them across service instances; InProcessHotCache keeps them in a Map.
 */
import { cacheKeyPrefix, DEFAULT_REDIS_KEY_PREFIX } from './redisKeyPrefixFromEnv';

export interface HotCache {
	readonly backend: 'redis' | 'in_process';
	/** Stores `value` (JSON-serialisable) under hash/field and renews the hash's TTL. */
	set(hash: string, field: string, value: unknown): Promise<void>;
	/** The value under hash/field, null when absent or expired. */
	get<T>(hash: string, field: string): Promise<T | null>;
	/** Every field of the hash, {} when absent or expired. */
	getAll<T>(hash: string): Promise<Record<string, T>>;
	close(): Promise<void>;
}

export const DEFAULT_CACHE_KEY_PREFIX = cacheKeyPrefix(DEFAULT_REDIS_KEY_PREFIX);
/** Facts not renewed within a week expire. */
export const DEFAULT_CACHE_TTL_MS = 7 * 24 * 3_600_000;

export class InProcessHotCache implements HotCache {
	readonly backend = 'in_process' as const;
	private readonly hashes = new Map<string, { fields: Map<string, string>; expiresAt: number }>();

	constructor(private readonly ttlMs: number = DEFAULT_CACHE_TTL_MS) {}

	private live(hash: string) {
		const h = this.hashes.get(hash);
		if (h && h.expiresAt <= Date.now()) {
			this.hashes.delete(hash);
			return undefined;
		}
		return h;
	}

	async set(hash: string, field: string, value: unknown): Promise<void> {
		const h = this.live(hash) ?? { fields: new Map<string, string>(), expiresAt: 0 };
		h.fields.set(field, JSON.stringify(value));
		h.expiresAt = Date.now() + this.ttlMs;
		this.hashes.set(hash, h);
	}

	async get<T>(hash: string, field: string): Promise<T | null> {
		const v = this.live(hash)?.fields.get(field);
		return v === undefined ? null : (JSON.parse(v) as T);
	}

	async getAll<T>(hash: string): Promise<Record<string, T>> {
		const out: Record<string, T> = {};
		for (const [k, v] of this.live(hash)?.fields ?? []) out[k] = JSON.parse(v) as T;
		return out;
	}

	async close(): Promise<void> {}
}
