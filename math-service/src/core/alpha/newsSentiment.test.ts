import { describe, expect, it } from 'vitest';
import { newsSentiment, type NewsPost } from './newsSentiment.js';

const H = 3_600_000;
const now = Date.UTC(2025, 2, 4, 18);
const post = (hoursAgo: number, votes: NewsPost['votes']): NewsPost => ({ publishedAtMs: now - hoursAgo * H, votes });

describe('newsSentiment', () => {
	it('returns null scores when no post is in the window (missing, not neutral)', () => {
		expect(newsSentiment([], { nowMs: now })).toMatchObject({ sentimentScore: null, panicScore: null, postCount: 0 });
		expect(newsSentiment([post(49, { positive: 5 })], { nowMs: now }).sentimentScore).toBeNull();
	});

	it('ignores posts published after the scoring time (point in time)', () => {
		const result = newsSentiment([post(-1, { negative: 500 }), post(0, { positive: 3 })], { nowMs: now });
		expect(result.postCount).toBe(1);
		expect(result.bearishVotes).toBe(0);
	});

	it('computes the Laplace-smoothed bullish share and the volume-scaled bearish share', () => {
		// fresh post: weight 1; B = 14 + 9 = 23, R = 1 + 0 + 0 = 1
		const r = newsSentiment([post(0, { positive: 14, liked: 9, negative: 1, disliked: 0, toxic: 0, important: 6 })], { nowMs: now });
		expect(r.sentimentScore).toBeCloseTo((100 * 24) / 26, 12);
		expect(r.panicScore).toBeCloseTo(100 * (1 / 24) * (1 - Math.exp(-1 / 20)), 12);
	});

	it('halves the weight of a vote every half-life', () => {
		const r = newsSentiment([post(6, { negative: 40 })], { nowMs: now });
		expect(r.bearishVotes).toBeCloseTo(20, 12);
		expect(r.panicScore).toBeCloseTo(100 * (1 - Math.exp(-1)), 12);
	});

	it('rates a flood of bearish votes as panic and a single one as calm', () => {
		const flood = newsSentiment([post(0.5, { negative: 80, toxic: 20, positive: 5 })], { nowMs: now });
		const single = newsSentiment([post(0.5, { negative: 1 })], { nowMs: now });
		expect(flood.panicScore!).toBeGreaterThan(85);
		expect(single.panicScore!).toBeLessThan(5);
		expect(flood.sentimentScore!).toBeLessThan(10);
	});

	it('treats posts without votes as neutral sentiment and no panic', () => {
		expect(newsSentiment([post(1, {})], { nowMs: now })).toMatchObject({ sentimentScore: 50, panicScore: 0, postCount: 1 });
	});
});
