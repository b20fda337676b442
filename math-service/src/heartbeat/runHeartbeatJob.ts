/**
 * @module heartbeat/runHeartbeatJob
 * One scheduled heartbeat run (market data, risk monitor, signal scan, on-chain/sentiment refresh):
 * under the job's lease, so an n8n schedule that fires while the previous run still works skips
 * (or waits up to `waitMs`) and says so instead of acting twice; each outcome is recorded in the
 * hot cache (last run, last success = heartbeat freshness) and a completed run is reported to
 * `onRun` (the metrics hook: `onRun: recordHeartbeat`).
 *
 * A job that throws is recorded as failed (freshness unchanged) and the error propagates, so the
 * route answers it the usual way (4xx/503/500). A cache write that fails after the job acted does
 * not fail the answer (the action stands); the answer says `freshness_not_recorded`.
 */
import type { HotCache } from './HotCache';
import type { JobLock } from './JobLock';

export interface HeartbeatDeps {
	lock: JobLock;
	cache: HotCache;
	/** Wall clock for the recorded times (Unix ms); default Date.now. */
	now?: () => number;
}

export interface HeartbeatJobOptions {
	/** Lease length; extended while the job runs. Default 60 s. */
	ttlMs?: number;
	/** Wait up to this long for a previous run to finish before skipping. Default 0 (skip at once). */
	waitMs?: number;
	/**
	 * The lease's key when it is narrower than the job (default: the job name), e.g. one market-data
	 * sync per symbol: overlapping syncs of one symbol act once, different symbols run side by side;
	 * freshness is still recorded under the job name.
	 */
	lockKey?: string;
	/** Called after each completed run with the job and its finish time (e.g. metrics' recordHeartbeat). */
	onRun?: (job: string, atMs: number) => void;
}

export interface HeartbeatRunAnswer<T> {
	job: string;
	ran: boolean;
	/** Present when the run did not act: another run of the same job held the lease. */
	skipped?: 'locked';
	/** Why it did not act, in words (who holds the lease, since when, how long this run waited). */
	reason?: string;
	held_by?: string | null;
	held_since?: number | null;
	waited_ms: number;
	/** True when the lease lapsed while this run worked (it still finished; another run may have started). */
	lock_lost?: boolean;
	/** True when the hot cache could not store this run (the job's own outcome stands; only freshness is stale). */
	freshness_not_recorded?: boolean;
	started_at: number;
	finished_at: number;
	duration_ms: number;
	result?: T;
}

/** What the hot cache keeps per job (`heartbeat:last_run` and `heartbeat:last_success`). */
export interface HeartbeatRecord {
	job: string;
	outcome: 'ran' | 'skipped' | 'failed';
	started_at: number;
	finished_at: number;
	duration_ms: number;
	reason?: string;
}

export const LAST_RUN_HASH = 'heartbeat:last_run';
export const LAST_SUCCESS_HASH = 'heartbeat:last_success';
export const DEFAULT_HEARTBEAT_TTL_MS = 60_000;

export async function runHeartbeatJob<T>(
	deps: HeartbeatDeps,
	jobName: string,
	fn: () => Promise<T>,
	opts: HeartbeatJobOptions = {},
): Promise<HeartbeatRunAnswer<T>> {
	const now = deps.now ?? Date.now;
	const startedAt = now();
	let outcome;
	try {
		outcome = await deps.lock.run(opts.lockKey ?? jobName, { ttlMs: opts.ttlMs ?? DEFAULT_HEARTBEAT_TTL_MS, waitMs: opts.waitMs ?? 0 }, fn);
	} catch (error) {
		const finishedAt = now();
		await deps.cache
			.set(LAST_RUN_HASH, jobName, {
				job: jobName,
				outcome: 'failed',
				started_at: startedAt,
				finished_at: finishedAt,
				duration_ms: finishedAt - startedAt,
				reason: (error as Error).message,
			} satisfies HeartbeatRecord)
			.catch(() => undefined);
		throw error;
	}
	const finishedAt = now();
	const timing = { started_at: startedAt, finished_at: finishedAt, duration_ms: finishedAt - startedAt };

	if (!outcome.ran) {
		const holder = outcome.heldBy ? `${outcome.heldBy}` : 'another run';
		const since = outcome.since !== null ? ` since ${new Date(outcome.since).toISOString()}` : '';
		const reason = `previous ${jobName} run still working (lease held by ${holder}${since}); skipped after waiting ${outcome.waitedMs} ms`;
		const recorded = await bestEffort(deps.cache.set(LAST_RUN_HASH, jobName, { job: jobName, outcome: 'skipped', ...timing, reason } satisfies HeartbeatRecord));
		return {
			job: jobName,
			ran: false,
			skipped: 'locked',
			reason,
			held_by: outcome.heldBy,
			held_since: outcome.since,
			waited_ms: outcome.waitedMs,
			...(recorded ? {} : { freshness_not_recorded: true }),
			...timing,
		};
	}

	const record: HeartbeatRecord = { job: jobName, outcome: 'ran', ...timing };
	const recorded = await bestEffort(Promise.all([deps.cache.set(LAST_RUN_HASH, jobName, record), deps.cache.set(LAST_SUCCESS_HASH, jobName, record)]));
	opts.onRun?.(jobName, finishedAt);
	return {
		job: jobName,
		ran: true,
		waited_ms: outcome.waitedMs,
		...(outcome.lockLost ? { lock_lost: true } : {}),
		...(recorded ? {} : { freshness_not_recorded: true }),
		...timing,
		result: outcome.result,
	};
}

/** The job already acted: a cache that cannot record it must not turn its answer into an error. */
async function bestEffort(write: Promise<unknown>): Promise<boolean> {
	try {
		await write;
		return true;
	} catch {
		return false;
	}
}

/** Each job's last run and last success, by job name (for GET /v1/heartbeat). */
export async function heartbeatFreshness(cache: HotCache): Promise<{ job: string; lastRun: HeartbeatRecord | null; lastSuccess: HeartbeatRecord | null }[]> {
	const [runs, successes] = await Promise.all([cache.getAll<HeartbeatRecord>(LAST_RUN_HASH), cache.getAll<HeartbeatRecord>(LAST_SUCCESS_HASH)]);
	const jobs = [...new Set([...Object.keys(runs), ...Object.keys(successes)])].sort();
	return jobs.map((job) => ({ job, lastRun: runs[job] ?? null, lastSuccess: successes[job] ?? null }));
}
