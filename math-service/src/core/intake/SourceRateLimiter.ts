/**
 * @module intake/SourceRateLimiter
 * A token bucket per source address for the webhook intake. Each address starts with `burst`
 * tokens; one alert takes one; tokens come back at `ratePerSecond`, up to `burst`. An alert that
 * finds no token is refused with the wait until the next one (HTTP 429 + Retry-After).
 * `burst = 0` or `ratePerSecond = 0` switches the limit off.
 *
 * Time is passed in (milliseconds, any monotonic origin), so the bucket arithmetic is testable.
 * Memory is bounded: past `maxSources` addresses, buckets that have refilled completely (they
 * carry no state a fresh bucket would not) are dropped first, then the oldest.
 */

export interface RateDecision {
	allowed: boolean;
	/** When refused: milliseconds until one token is back. 0 when allowed. */
	retryAfterMs: number;
}

interface Bucket {
	tokens: number;
	atMs: number;
}

export class SourceRateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		readonly burst: number,
		readonly ratePerSecond: number,
		private readonly maxSources = 10_000,
	) {}

	get enabled(): boolean {
		return this.burst > 0 && this.ratePerSecond > 0;
	}

	/** Takes one token for `source` at `nowMs`. */
	take(source: string, nowMs: number): RateDecision {
		if (!this.enabled) return { allowed: true, retryAfterMs: 0 };
		const bucket = this.refilled(source, nowMs);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { allowed: true, retryAfterMs: 0 };
		}
		return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.ratePerSecond) * 1000) };
	}

	private refilled(source: string, nowMs: number): Bucket {
		let bucket = this.buckets.get(source);
		if (bucket === undefined) {
			if (this.buckets.size >= this.maxSources) this.evict(nowMs);
			bucket = { tokens: this.burst, atMs: nowMs };
			this.buckets.set(source, bucket);
			return bucket;
		}
		const elapsedMs = Math.max(0, nowMs - bucket.atMs);
		bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsedMs / 1000) * this.ratePerSecond);
		bucket.atMs = nowMs;
		return bucket;
	}

	private evict(nowMs: number): void {
		const fullAfterMs = (this.burst / this.ratePerSecond) * 1000;
		for (const [source, bucket] of this.buckets) {
			if (nowMs - bucket.atMs >= fullAfterMs) this.buckets.delete(source);
		}
		// Still full of active sources: drop the oldest entry (Map keeps insertion order).
		if (this.buckets.size >= this.maxSources) this.buckets.delete(this.buckets.keys().next().value as string);
	}
}
