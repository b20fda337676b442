/**
 * @module heartbeat/recordHeartbeatRun
 * Records a run of a heartbeat job that does not take a lease of its own, in the same hot-cache
 * hashes runHeartbeatJob writes (`heartbeat:last_run`, and `heartbeat:last_success` when it ran),
 * so GET /v1/heartbeat and the watchdog see its freshness. Used by the market-data sync: the
 * Market Data node syncs one symbol and timeframe per request, and every completed sync is a sign
 * of life of the `market_data` job (a shared lease would make those requests skip each other).
 * Best effort: a cache that cannot record the run never fails the sync that already happened.
 */
import type { HotCache } from './HotCache';
import { LAST_RUN_HASH, LAST_SUCCESS_HASH, type HeartbeatRecord } from './runHeartbeatJob';

/** The market-data job's name in GET /v1/heartbeat (the watchdog watches it). */
export const MARKET_DATA_JOB = 'market_data';

/** Stores the run; resolves false when the cache did not take it. */
export async function recordHeartbeatRun(cache: HotCache, record: HeartbeatRecord): Promise<boolean> {
	try {
		await Promise.all([cache.set(LAST_RUN_HASH, record.job, record), ...(record.outcome === 'ran' ? [cache.set(LAST_SUCCESS_HASH, record.job, record)] : [])]);
		return true;
	} catch {
		return false;
	}
}
