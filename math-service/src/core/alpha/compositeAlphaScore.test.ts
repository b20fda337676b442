import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { compositeAlphaScore, DEFAULT_ALPHA_WEIGHTS } from './compositeAlphaScore.js';

describe('compositeAlphaScore', () => {
	it('blends with relative seed weights (40/35/15 act as 44.4/38.9/16.7 %)', () => {
		const r = compositeAlphaScore({ technical: { score: 80 }, onchain: { score: 60 }, sentiment: { score: 20 } });
		expect(r.score).toBeCloseTo((0.4 * 80 + 0.35 * 60 + 0.15 * 20) / 0.9, 12);
		expect(r).toMatchObject({ partial: false, missing: [], coverageRatio: 1 });
	});

	it('spans the full 0–100 range with the default weights', () => {
		expect(compositeAlphaScore({ technical: { score: 100 }, onchain: { score: 100 }, sentiment: { score: 100 } }).score).toBeCloseTo(100, 12);
	});

	it('flags a missing component as partial, names it and renormalises by default', () => {
		const r = compositeAlphaScore({ technical: { score: 80 }, onchain: { score: null, detail: 'Glassnode not configured' }, sentiment: { score: 20 } });
		expect(r.partial).toBe(true);
		expect(r.missing).toEqual(['onchain']);
		expect(r.coverageRatio).toBeCloseTo(0.55 / 0.9, 12);
		expect(r.score).toBeCloseTo((0.4 * 80 + 0.15 * 20) / 0.55, 12);
		expect(r.components.onchain).toEqual({ score: null, weight: 0.35, detail: 'Glassnode not configured' });
	});

	it("counts a missing component as 50 under 'neutral'", () => {
		const r = compositeAlphaScore({ technical: { score: 80 }, sentiment: { score: 20 } }, DEFAULT_ALPHA_WEIGHTS, 'neutral');
		expect(r.score).toBeCloseTo((0.4 * 80 + 0.35 * 50 + 0.15 * 20) / 0.9, 12);
		expect(r.partial).toBe(true);
	});

	it('reproduces the seed literally with a constant neutral custom component of weight 10 %', () => {
		const r = compositeAlphaScore(
			{ technical: { score: 100 }, onchain: { score: 100 }, sentiment: { score: 100 }, custom: { score: 50 } },
			{ ...DEFAULT_ALPHA_WEIGHTS, custom: 0.1 },
		);
		expect(r.score).toBeCloseTo(95, 12);
	});

	it('returns null when no weighted component has data, and ignores zero-weight ones', () => {
		expect(compositeAlphaScore({ custom: { score: 90 } }).score).toBeNull();
		expect(compositeAlphaScore({}).missing).toEqual(['technical', 'onchain', 'sentiment']);
	});

	it('refuses negative or all-zero weights', () => {
		expect(() => compositeAlphaScore({}, { ...DEFAULT_ALPHA_WEIGHTS, technical: -1 })).toThrow(InvalidInputError);
		expect(() => compositeAlphaScore({}, { technical: 0, onchain: 0, sentiment: 0, custom: 0 })).toThrow(/at least one weight/);
	});
});
