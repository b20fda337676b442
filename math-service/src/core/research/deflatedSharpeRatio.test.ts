import { describe, expect, it } from 'vitest';
import { deflatedSharpeRatio, expectedMaxSharpe, normalCdf } from './deflatedSharpeRatio.js';

describe('normalCdf', () => {
	it('matches scipy.stats.norm.cdf', () => {
		// scipy 1.x: norm.cdf(1.96), norm.cdf(-1), norm.cdf(3), norm.cdf(-8)
		expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
		expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
		expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 14);
		expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 6);
		expect(normalCdf(0)).toBe(0.5);
	});
});

describe('deflatedSharpeRatio', () => {
	const paper = { sharpeRatio: 2.5 / Math.sqrt(250), periods: 1250, skewness: -3, kurtosis: 10, trials: 100, trialSharpeVariance: 0.5 / 250 };

	it('reproduces the worked example of Bailey & López de Prado (2014): SR0 ≈ 0.1132, DSR ≈ 0.9004', () => {
		const r = deflatedSharpeRatio(paper)!;
		expect(r.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
		expect(r.deflatedSharpeRatio).toBeCloseTo(0.9004, 4);
	});

	it('is the probabilistic Sharpe ratio against 0 for a single trial and normal returns', () => {
		const r = deflatedSharpeRatio({ ...paper, trials: 1, skewness: 0, kurtosis: 3 })!;
		const sr = paper.sharpeRatio;
		expect(r.expectedMaxSharpe).toBe(0);
		expect(r.deflatedSharpeRatio).toBeCloseTo(normalCdf((sr * Math.sqrt(1249)) / Math.sqrt(1 + sr * sr / 2)), 12);
	});

	it('deflates more as the number of trials grows', () => {
		const d = [10, 100, 1000, 10000].map((trials) => deflatedSharpeRatio({ ...paper, trials })!.deflatedSharpeRatio);
		for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThan(d[i - 1]);
		expect(expectedMaxSharpe(1000, 0)).toBe(0);
	});

	it('returns null when undefined: too few periods or a non-positive variance term', () => {
		expect(deflatedSharpeRatio({ ...paper, periods: 1 })).toBeNull();
		expect(deflatedSharpeRatio({ ...paper, sharpeRatio: 1, skewness: 5, kurtosis: 1 })).toBeNull();
	});
});
