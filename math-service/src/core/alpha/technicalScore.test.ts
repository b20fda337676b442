import { describe, expect, it } from 'vitest';
import { technicalScore } from './technicalScore.js';

describe('technicalScore', () => {
	it('returns null sub-scores without enough history', () => {
		expect(technicalScore([100, 101, 102])).toMatchObject({ score: null, rsi: null, bollingerScore: null, volatilityScore: null });
	});

	it('scores a sharp drop below the lower band near 100 on RSI and Bollinger', () => {
		const closes = Array.from({ length: 120 }, (_, i) => 100 + Math.sin(i / 3));
		for (let k = 0; k < 6; k++) closes.push(closes[closes.length - 1]! * 0.98);
		const t = technicalScore(closes);
		expect(t.rsi!).toBeLessThan(20);
		expect(t.rsiScore!).toBeCloseTo(100 - t.rsi!, 12);
		expect(t.bollingerPercentB!).toBeLessThan(0);
		expect(t.bollingerScore).toBe(100);
		expect(t.volatilityRatio!).toBeGreaterThan(1); // the drop is more volatile than usual
		expect(t.score!).toBeCloseTo((t.rsiScore! + t.bollingerScore! + t.volatilityScore!) / 3, 12);
	});

	it('computes the volatility ratio from population stdevs of log returns', () => {
		// alternating ±1 % returns: identical short and long stdev → ratio 1 → score 50
		const closes = [100];
		for (let i = 0; i < 150; i++) closes.push(closes[i]! * (i % 2 === 0 ? 1.01 : 1 / 1.01));
		const t = technicalScore(closes);
		expect(t.volatilityRatio!).toBeCloseTo(1, 10);
		expect(t.volatilityScore!).toBeCloseTo(50, 8);
		expect(t.bollingerPercentB!).toBeGreaterThan(0);
	});
});
