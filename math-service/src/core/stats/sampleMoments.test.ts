import { describe, expect, it } from 'vitest';
import { isNoiseStd, sampleMoments, sampleStd } from './sampleMoments.js';

describe('sampleMoments', () => {
	it('returns the two-pass central moments of a small series', () => {
		const data = [0.02, -0.01, 0.03, 0.0, 0.05];
		const mean = data.reduce((a, b) => a + b, 0) / data.length;
		const power = (p: number) => data.reduce((a, x) => a + (x - mean) ** p, 0);
		const moments = sampleMoments(data);
		expect(moments.n).toBe(5);
		expect(moments.mean).toBeCloseTo(mean, 16);
		expect(moments.m2Sum / power(2)).toBeCloseTo(1, 13);
		expect(moments.m3Sum / power(3)).toBeCloseTo(1, 12);
		expect(moments.m4Sum / power(4)).toBeCloseTo(1, 12);
		expect(moments.maxAbs).toBe(0.05);
	});

	it('stays accurate when the mean dwarfs the spread (no catastrophic cancellation)', () => {
		const data = [1e6 + 0.1, 1e6 + 0.2, 1e6 + 0.3];
		expect(sampleStd(sampleMoments(data))).toBeCloseTo(0.1, 9);
	});

	it('returns NaN mean for an empty series and NaN std below two values', () => {
		expect(sampleMoments([]).mean).toBeNaN();
		expect(sampleStd(sampleMoments([0.1]))).toBeNaN();
	});
});

describe('isNoiseStd', () => {
	it('treats zero and rounding-level spreads as noise but real spreads as signal', () => {
		expect(isNoiseStd(0, 0)).toBe(true);
		expect(isNoiseStd(0, 0.01)).toBe(true);
		// 0.1 + 0.2 differs from 0.3 in the last bit only.
		const std = sampleStd(sampleMoments([0.3, 0.1 + 0.2, 0.3]));
		expect(std).toBeGreaterThan(0);
		expect(isNoiseStd(std, 0.3)).toBe(true);
		expect(isNoiseStd(1e-6, 0.01)).toBe(false);
	});
});
