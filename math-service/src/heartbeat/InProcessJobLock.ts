/**
 * @module heartbeat/InProcessJobLock
 * Job leases in this process's memory (no REDIS_URL): overlapping schedule runs hitting this one
 * service instance still act once. Same semantics as RedisJobLock (token, expiry, extension), so
 * a test or a second service instance behaves the same way; it just is not shared across processes.
 */
import { LeaseJobLock } from './JobLock';

interface Lease {
	token: string;
	expiresAt: number;
}

export class InProcessJobLock extends LeaseJobLock {
	readonly backend = 'in_process' as const;
	private readonly leases = new Map<string, Lease>();

	private live(key: string): Lease | undefined {
		const lease = this.leases.get(key);
		if (lease && lease.expiresAt <= Date.now()) {
			this.leases.delete(key);
			return undefined;
		}
		return lease;
	}

	async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
		if (this.live(key)) return false;
		this.leases.set(key, { token, expiresAt: Date.now() + ttlMs });
		return true;
	}

	async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
		const lease = this.live(key);
		if (!lease || lease.token !== token) return false;
		lease.expiresAt = Date.now() + ttlMs;
		return true;
	}

	async release(key: string, token: string): Promise<boolean> {
		const lease = this.live(key);
		if (!lease || lease.token !== token) return false;
		this.leases.delete(key);
		return true;
	}

	async holderToken(key: string): Promise<string | null> {
		return this.live(key)?.token ?? null;
	}

	async close(): Promise<void> {}
}
