import { describe, expect, it } from 'vitest';
import { SourceRateLimiter } from './SourceRateLimiter.js';

describe('SourceRateLimiter', () => {
	it('allows a burst of `burst` alerts at once, then refuses with the wait until the next token', () => {
		const limiter = new SourceRateLimiter(3, 2);
		for (let i = 0; i < 3; i++) expect(limiter.take('52.89.214.238', 0).allowed).toBe(true);
		expect(limiter.take('52.89.214.238', 0)).toEqual({ allowed: false, retryAfterMs: 500 });
		expect(limiter.take('52.89.214.238', 250)).toEqual({ allowed: false, retryAfterMs: 250 });
		expect(limiter.take('52.89.214.238', 500).allowed).toBe(true);
	});

	it('keeps one bucket per source address', () => {
		const limiter = new SourceRateLimiter(1, 1);
		expect(limiter.take('a', 0).allowed).toBe(true);
		expect(limiter.take('a', 0).allowed).toBe(false);
		expect(limiter.take('b', 0).allowed).toBe(true);
	});

	it('refills at most to the burst size', () => {
		const limiter = new SourceRateLimiter(2, 10);
		limiter.take('a', 0);
		limiter.take('a', 0);
		expect(limiter.take('a', 60_000).allowed).toBe(true);
		expect(limiter.take('a', 60_000).allowed).toBe(true);
		expect(limiter.take('a', 60_000).allowed).toBe(false);
	});

	it('never throttles a bar-close burst of a 10-asset universe with the defaults (100 at once, 10/s)', () => {
		const limiter = new SourceRateLimiter(100, 10);
		// Entry, exit and two fill alerts per asset at the same second, every hour, for a day.
		for (let hour = 0; hour < 24; hour++) {
			for (let i = 0; i < 40; i++) expect(limiter.take('52.89.214.238', hour * 3_600_000).allowed).toBe(true);
		}
	});

	it('is off when burst or rate is 0', () => {
		for (const limiter of [new SourceRateLimiter(0, 10), new SourceRateLimiter(10, 0)]) {
			for (let i = 0; i < 1_000; i++) expect(limiter.take('a', 0).allowed).toBe(true);
		}
	});

	it('bounds its memory: past maxSources, refilled buckets are dropped first', () => {
		const limiter = new SourceRateLimiter(1, 1, 2);
		limiter.take('a', 0);
		limiter.take('b', 5_000);
		limiter.take('c', 5_000); // evicts a (refilled), keeps b (empty)
		expect(limiter.take('b', 5_000).allowed).toBe(false);
	});
});
