/**
 * @module heartbeat/JobLock
 * A lease per scheduled job so that overlapping schedule runs never act twice: the n8n heartbeat
 * (market data every minute, risk monitor every 10 s, …) fires again while the previous run may
 * still be closing positions; the second run must skip (or wait a bounded time) and say so, never
 * close the same position or send the same Telegram message twice.
 *
 * A lease is a key with a unique token and an expiry (`ttlMs`). While the job runs the holder
 * extends the expiry every ttl/3, so the lease never lapses under a live job; a holder that dies
 * stops extending and its lease lapses after at most `ttlMs`. Only the holder's own token releases
 * or extends it, so a late release never frees somebody else's lease.
 *
 * `LeaseJobLock.run` holds the shared logic; subclasses supply the four lease primitives
 * (RedisJobLock: shared by every service instance on one Redis; InProcessJobLock: one process).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { InvalidInputError, RetryableError } from '../errors';
import { DEFAULT_REDIS_KEY_PREFIX, lockKeyPrefix } from './redisKeyPrefixFromEnv';

export interface JobLockOptions {
	/** Lease length in ms; extended every ttlMs/3 while the job runs, lapses ttlMs after a holder dies. */
	ttlMs: number;
	/** How long a run waits for the previous one before it skips; 0 (default) = skip at once. */
	waitMs?: number;
}

export type JobLockOutcome<T> =
	| {
			ran: true;
			result: T;
			/** ms spent waiting for the previous run (0 when the lease was free). */
			waitedMs: number;
			/** True when the lease was found gone or taken while the job ran (e.g. the process stalled longer than ttlMs). */
			lockLost: boolean;
	  }
	| {
			ran: false;
			skipped: 'locked';
			/** Who holds the lease ("host:pid:instance"), null when it lapsed between the attempt and the look-up. */
			heldBy: string | null;
			/** When the holder took the lease (Unix ms), null when unknown. */
			since: number | null;
			waitedMs: number;
	  };

export interface JobLock {
	/** 'redis' (shared across service instances) or 'in_process'. */
	readonly backend: 'redis' | 'in_process';
	/** Runs `fn` under the job's lease, or answers skipped when another run holds it (after waiting up to waitMs). */
	run<T>(jobName: string, options: JobLockOptions, fn: () => Promise<T>): Promise<JobLockOutcome<T>>;
	/** Releases connections (Redis); held leases are released by their runs, not here. */
	close(): Promise<void>;
}

/** A lease as stored: who took it and when, plus a random part that makes the token unique. */
export interface LeaseHolder {
	heldBy: string;
	since: number;
}

export const DEFAULT_LOCK_KEY_PREFIX = lockKeyPrefix(DEFAULT_REDIS_KEY_PREFIX);
const JOB_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MIN_TTL_MS = 30;

/** Identity of this process in lease values: "host:pid:random". */
export function defaultHolderId(): string {
	return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function leaseToken(holderId: string, since: number): string {
	return `${holderId} ${since} ${randomUUID()}`;
}

/** Reads "holder since random" back; null for anything else. */
export function parseLeaseToken(token: string | null): LeaseHolder | null {
	if (token === null) return null;
	const parts = token.split(' ');
	if (parts.length !== 3 || !/^\d+$/.test(parts[1]!)) return null;
	return { heldBy: parts[0]!, since: Number(parts[1]) };
}

export function assertJobName(jobName: string): void {
	if (!JOB_NAME.test(jobName)) {
		throw new InvalidInputError(`job name ${JSON.stringify(jobName)} must be 1–64 letters, digits, '_', '.', ':' or '-'`, ['job']);
	}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export abstract class LeaseJobLock implements JobLock {
	abstract readonly backend: 'redis' | 'in_process';
	readonly holderId: string;
	readonly keyPrefix: string;

	constructor(options: { keyPrefix?: string; holderId?: string } = {}) {
		this.keyPrefix = options.keyPrefix ?? DEFAULT_LOCK_KEY_PREFIX;
		this.holderId = options.holderId ?? defaultHolderId();
	}

	/** Takes the lease when free (or lapsed); true when `token` now holds it. */
	abstract acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
	/** Pushes the expiry to now + ttlMs if `token` still holds the lease; false otherwise. */
	abstract extend(key: string, token: string, ttlMs: number): Promise<boolean>;
	/** Deletes the lease if `token` still holds it; false (and nothing deleted) otherwise. */
	abstract release(key: string, token: string): Promise<boolean>;
	/** The current holder's token, null when free. */
	abstract holderToken(key: string): Promise<string | null>;
	abstract close(): Promise<void>;

	keyOf(jobName: string): string {
		return `${this.keyPrefix}${jobName}`;
	}

	async run<T>(jobName: string, options: JobLockOptions, fn: () => Promise<T>): Promise<JobLockOutcome<T>> {
		assertJobName(jobName);
		const ttlMs = Math.max(MIN_TTL_MS, Math.floor(options.ttlMs));
		const waitMs = Math.max(0, Math.floor(options.waitMs ?? 0));
		if (!Number.isFinite(options.ttlMs)) throw new InvalidInputError('ttlMs must be a finite number of milliseconds', ['ttl_ms']);
		const key = this.keyOf(jobName);
		const startedAt = Date.now();
		const token = leaseToken(this.holderId, startedAt);

		let acquired = await this.guard(() => this.acquire(key, token, ttlMs));
		const pollMs = Math.max(10, Math.min(50, Math.floor(ttlMs / 4)));
		while (!acquired && Date.now() - startedAt < waitMs) {
			await sleep(Math.min(pollMs, waitMs - (Date.now() - startedAt)));
			acquired = await this.guard(() => this.acquire(key, token, ttlMs));
		}
		if (!acquired) {
			// The holder may finish between our attempt and the look-up: a lease nobody holds is taken
			// (this run acts), never skipped for "another run" (a few tries: someone else may take it first).
			for (let tries = 0; tries < 3 && !acquired; tries++) {
				const holder = parseLeaseToken(await this.guard(() => this.holderToken(key)));
				if (holder !== null) return { ran: false, skipped: 'locked', heldBy: holder.heldBy, since: holder.since, waitedMs: Date.now() - startedAt };
				acquired = await this.guard(() => this.acquire(key, token, ttlMs));
			}
			if (!acquired) return { ran: false, skipped: 'locked', heldBy: null, since: null, waitedMs: Date.now() - startedAt };
		}
		const waitedMs = Date.now() - startedAt;

		let lockLost = false;
		let pending: Promise<void> = Promise.resolve();
		const timer = setInterval(() => {
			pending = this.extend(key, token, ttlMs).then(
				(kept) => {
					if (!kept) lockLost = true;
				},
				() => {
					// Redis briefly unreachable: the next extension retries; the lease may lapse meanwhile.
				},
			);
		}, Math.max(10, Math.floor(ttlMs / 3)));
		let result: T;
		let released = true;
		try {
			result = await fn();
		} finally {
			clearInterval(timer);
			await pending;
			released = await this.release(key, token).catch(() => true);
		}
		return { ran: true, result, waitedMs, lockLost: lockLost || !released };
	}

	private async guard<T>(op: () => Promise<T>): Promise<T> {
		try {
			return await op();
		} catch (error) {
			throw new RetryableError(`job lock store (${this.backend}) unavailable: ${(error as Error).message}`, 1_000, { cause: error });
		}
	}
}
