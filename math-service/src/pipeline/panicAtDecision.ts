/**
 * @module pipeline/panicAtDecision
 * The news panic score the panic switch sees for one entry: the newest CryptoPanic sentiment
 * snapshot of the asset computed at or before the decision (point in time: a snapshot is what the
 * scorer knew then, never a later revision of the votes). When the asset has no usable snapshot
 * (none, no post in its window, or older than `panic_max_age_hours`), the market-wide snapshot
 * ('*', every post) stands in, because seed 2's switch is about the market's fear. Neither → null,
 * and the gate applies `on_missing_panic`. Read once per currency per decision batch.
 */
import type { DecisionStatements } from '../storage/decisionStatements.js';
import type { Thresholds } from './thresholds.js';

export interface PanicBlock {
	/** 0–100 as stored by the sentiment refresh; null = unknown. */
	score: number | null;
	/** 'asset' (the base currency's snapshot), 'market' ('*'), or null when neither was usable. */
	basis: 'asset' | 'market' | null;
	currency: string | null;
	computed_at: string | null;
	age_hours: number | null;
	note: string;
}

type Snapshot = Awaited<ReturnType<DecisionStatements['latestPanicSnapshot']>>;
const HOUR_MS = 3_600_000;

/** `cache` lives as long as the decision batch (one clock reading). */
export async function panicBlockFor(st: DecisionStatements, cache: Map<string, Snapshot>, asset: string, nowMs: number, t: Thresholds): Promise<PanicBlock> {
	const read = async (currency: string): Promise<Snapshot> => {
		if (!cache.has(currency)) cache.set(currency, await st.latestPanicSnapshot(currency, nowMs));
		return cache.get(currency) ?? null;
	};
	const usable = (s: Snapshot): s is NonNullable<Snapshot> & { panicScore: number } =>
		s !== null && s.panicScore !== null && Number.isFinite(s.panicScore) && nowMs - s.computedAt <= t.panicMaxAgeMs;
	const code = asset.toUpperCase();
	const own = await read(code);
	const snapshot = usable(own) ? own : await read('*');
	if (usable(snapshot)) {
		const basis = snapshot === own ? 'asset' : 'market';
		return {
			score: snapshot.panicScore,
			basis,
			currency: snapshot.currency,
			computed_at: new Date(snapshot.computedAt).toISOString(),
			age_hours: (nowMs - snapshot.computedAt) / HOUR_MS,
			note: basis === 'asset' ? `${code} news panic score` : `no recent ${code} panic score: the market-wide score stands in`,
		};
	}
	return {
		score: null,
		basis: null,
		currency: null,
		computed_at: null,
		age_hours: null,
		note: `no news panic score for ${code} or the market within ${t.panicMaxAgeMs / HOUR_MS} h (sentiment refresh not configured or not run)`,
	};
}

const caches = new WeakMap<object, Map<string, Snapshot>>();

/** The per-batch snapshot cache of a batch context (any object that lives as long as the batch). */
export function panicCacheOf(batch: object): Map<string, Snapshot> {
	let cache = caches.get(batch);
	if (cache === undefined) {
		cache = new Map();
		caches.set(batch, cache);
	}
	return cache;
}
