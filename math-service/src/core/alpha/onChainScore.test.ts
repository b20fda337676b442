import { describe, expect, it } from 'vitest';
import { latestZScore, onChainScore } from './onChainScore.js';

describe('latestZScore', () => {
	it('compares the latest value with the population mean and stdev of the points before it', () => {
		// history 1..10: mean 5.5, population variance 8.25
		const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20];
		expect(latestZScore(values, 30, 10)).toBeCloseTo((20 - 5.5) / Math.sqrt(8.25), 12);
	});
	it('uses only the last `window` points of history and skips nulls', () => {
		expect(latestZScore([1000, null, 1, 2, 3, 4, null, 5], 4, 3)).toBeCloseTo((5 - 2.5) / Math.sqrt(1.25), 12);
	});
	it('returns null without enough history and 0 for a flat history', () => {
		expect(latestZScore([1, 2, 3], 30, 10)).toBeNull();
		expect(latestZScore(new Array(12).fill(7), 30, 10)).toBe(0);
	});
});

describe('onChainScore', () => {
	const calm = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 100 : -100));
	it('scores a large exchange outflow as bullish and a large inflow as bearish', () => {
		expect(onChainScore([...calm, -500], []).netflowScore!).toBeGreaterThan(99);
		expect(onChainScore([...calm, 500], []).netflowScore!).toBeLessThan(1);
		expect(onChainScore([...calm, 0], []).netflowScore!).toBeCloseTo(50, 10);
	});
	it('scores long-term holders selling at an unusual profit as bearish', () => {
		const sopr = Array.from({ length: 30 }, (_, i) => 1.5 + (i % 3) * 0.1);
		expect(onChainScore([], [...sopr, 3]).lthSoprScore!).toBeLessThan(1);
		expect(onChainScore([], [...sopr, 0.9]).lthSoprScore!).toBeGreaterThan(99);
	});
	it('averages the sub-scores present and is null when both are missing', () => {
		const both = onChainScore([...calm, 0], [...calm, 500]);
		expect(both.score!).toBeCloseTo((both.netflowScore! + both.lthSoprScore!) / 2, 12);
		expect(onChainScore([1, 2], []).score).toBeNull();
		expect(onChainScore([...calm, 0], [1]).score).toBeCloseTo(50, 10);
	});
});
