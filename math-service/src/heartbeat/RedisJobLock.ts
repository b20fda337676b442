/**
 * @module heartbeat/RedisJobLock
 * Job leases in Redis, shared by every service instance on the same Redis:
 * - take: `SET key token NX PX ttl` (only when free; a dead holder's key expires by itself);
 * - extend: Lua "if GET key = token then PEXPIRE key ttl", every ttl/3 while the job runs;
 * - release: Lua "if GET key = token then DEL key" (compare-and-delete), so a run whose lease
 *   lapsed never deletes the lease a later run took.
 */
import type { Redis } from 'ioredis';
import { LeaseJobLock } from './JobLock';

const EXTEND_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const DELETE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisJobLock extends LeaseJobLock {
	readonly backend = 'redis' as const;
	private readonly ownsConnection: boolean;

	constructor(
		private readonly redis: Redis,
		options: { keyPrefix?: string; holderId?: string; ownsConnection?: boolean } = {},
	) {
		super(options);
		this.ownsConnection = options.ownsConnection ?? false;
	}

	async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
		return (await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
	}

	async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
		return Number(await this.redis.eval(EXTEND_IF_OWNER, 1, key, token, String(ttlMs))) === 1;
	}

	async release(key: string, token: string): Promise<boolean> {
		return Number(await this.redis.eval(DELETE_IF_OWNER, 1, key, token)) === 1;
	}

	async holderToken(key: string): Promise<string | null> {
		return this.redis.get(key);
	}

	async close(): Promise<void> {
		if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
	}
}
