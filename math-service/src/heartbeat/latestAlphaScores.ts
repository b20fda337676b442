/**
 * @module heartbeat/latestAlphaScores
 * The latest composite alpha score per symbol in the hot cache (`alpha:latest`, field = symbol),
 * so the signal scan and any service instance read it without recomputing or querying the
 * database. The stored score row (storage/alphaScores) stays the point-in-time record; this is
 * only the newest value.
 */
import type { HotCache } from './HotCache';

export const LATEST_ALPHA_HASH = 'alpha:latest';

export interface LatestAlphaScore {
	symbol: string;
	/** 0–100; null when no component had data. */
	scorePct: number | null;
	partial: boolean;
	/** When the score was computed (Unix ms). */
	asOf: number;
}

export function putLatestAlphaScore(cache: HotCache, score: LatestAlphaScore): Promise<void> {
	return cache.set(LATEST_ALPHA_HASH, score.symbol, score);
}

export async function latestAlphaScores(cache: HotCache): Promise<LatestAlphaScore[]> {
	return Object.values(await cache.getAll<LatestAlphaScore>(LATEST_ALPHA_HASH)).sort((a, b) => a.symbol.localeCompare(b.symbol));
}
