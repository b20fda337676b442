import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { valueAtRisk } from './valueAtRisk.js';

/** Deterministic pseudo-random returns (LCG + Box-Muller), no seed library needed. */
function gaussianReturns(count: number, seed: number, mean = 0, sd = 0.01): number[] {
	let state = seed >>> 0;
	const uniform = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return (state + 0.5) / 2 ** 32;
	};
	return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

function loc(fn: () => unknown): (string | number)[] {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).loc;
	}
	throw new Error('expected InvalidInputError');
}

describe('valueAtRisk', () => {
	it('returns the hand-computed historical VaR and CVaR (linear percentile, empyrical tail)', () => {
		// Sorted: −0.05, −0.02, 0.01, 0.03, 0.04; α = 0.2 → h = 4·0.2 = 0.8 → −0.05 + 0.8·0.03 = −0.026.
		// CVaR tail = the ⌊0.8⌋ + 1 = 1 smallest return → 0.05.
		const result = valueAtRisk([0.03, -0.05, 0.04, 0.01, -0.02], { confidence: 0.8 });
		expect(result.var).toBeCloseTo(0.026, 15);
		expect(result.cvar).toBeCloseTo(0.05, 15);
		expect(result.reason).toBeNull();
	});

	it('defaults to historical, 95 % and a 1-period horizon', () => {
		const result = valueAtRisk(gaussianReturns(100, 1));
		expect(result).toMatchObject({ method: 'historical', confidence: 0.95, horizon: 1 });
	});

	it('returns the same historical VaR as a full sort on 100,000 returns', () => {
		const returns = gaussianReturns(100_000, 42);
		const sorted = [...returns].sort((a, b) => a - b);
		const h = (returns.length - 1) * (1 - 0.99);
		const lo = Math.floor(h);
		const expected = -(sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]));
		const tail = sorted.slice(0, lo + 1).reduce((a, b) => a + b, 0) / (lo + 1);
		const result = valueAtRisk(Float64Array.from(returns), { confidence: 0.99 });
		expect(Math.abs(result.var! / expected - 1)).toBeLessThan(1e-12);
		expect(Math.abs(result.cvar! / -tail - 1)).toBeLessThan(1e-12);
	});

	it('does not reorder the caller’s array', () => {
		const returns = [0.03, -0.05, 0.04, 0.01, -0.02];
		valueAtRisk(returns, { confidence: 0.9 });
		expect(returns).toEqual([0.03, -0.05, 0.04, 0.01, -0.02]);
	});

	it('returns the Gaussian formula −(μ + z·σ) with population σ for parametric', () => {
		// [−0.02, 0.02]: μ = 0, population σ = 0.02, z₀.₀₅ = −1.6448536269514726.
		const result = valueAtRisk([-0.02, 0.02], { method: 'parametric' });
		expect(result.var).toBeCloseTo(1.6448536269514726 * 0.02, 15);
		// CVaR = σ·φ(z)/α = 0.02 · 0.10313564037537132 / 0.05.
		expect(result.cvar).toBeCloseTo((0.02 * 0.10313564037537132) / 0.05, 14);
	});

	it.each(['historical', 'parametric', 'cornish_fisher'] as const)(
		'scales %s VaR and CVaR by √horizon',
		(method) => {
			const returns = gaussianReturns(500, 7, -0.001, 0.02);
			const one = valueAtRisk(returns, { method, confidence: 0.99 });
			const ten = valueAtRisk(returns, { method, confidence: 0.99, horizon: 10 });
			expect(ten.horizon).toBe(10);
			expect(ten.var!).toBeCloseTo(one.var! * Math.sqrt(10), 14);
			expect(ten.cvar!).toBeCloseTo(one.cvar! * Math.sqrt(10), 14);
		},
	);

	it('returns CVaR ≥ VaR for every method on a fat-tailed series', () => {
		const returns = gaussianReturns(2000, 3).map((r, i) => (i % 97 === 0 ? r * 8 : r));
		for (const method of ['historical', 'parametric', 'cornish_fisher'] as const) {
			const result = valueAtRisk(returns, { method, confidence: 0.99 });
			expect(result.cvar!).toBeGreaterThanOrEqual(result.var!);
		}
	});

	it('returns a larger Cornish-Fisher VaR than Gaussian when the left tail is fat', () => {
		const returns = gaussianReturns(2000, 5).map((r, i) => (i % 50 === 0 ? -Math.abs(r) * 6 : r));
		const gaussian = valueAtRisk(returns, { method: 'parametric', confidence: 0.99 });
		const modified = valueAtRisk(returns, { method: 'cornish_fisher', confidence: 0.99 });
		expect(modified.var!).toBeGreaterThan(gaussian.var!);
	});

	it('returns null VaR with a reason when the Cornish-Fisher quantile is a gain', () => {
		// One −60 % crash among small returns: the expansion overshoots and its 5 % quantile lands on the gain side.
		const returns = gaussianReturns(300, 11, 0.0005, 0.01);
		returns[150] = -0.6;
		const result = valueAtRisk(returns, { method: 'cornish_fisher', confidence: 0.95 });
		expect(result.var).toBeNull();
		expect(result.reason).toMatch(/Cornish-Fisher VaR undefined: the 95% .* is a gain/);
		// The historical estimate of the same series is an ordinary loss.
		expect(valueAtRisk(returns).var!).toBeGreaterThan(0);
	});

	it('returns null Cornish-Fisher VaR and CVaR with a reason for zero variance', () => {
		const result = valueAtRisk([0, 0, 0, 0], { method: 'cornish_fisher' });
		expect(result.var).toBeNull();
		expect(result.cvar).toBeNull();
		expect(result.reason).toMatch(/zero variance/);
	});

	it('returns −r for a point mass under historical and parametric', () => {
		expect(valueAtRisk([-0.01, -0.01, -0.01], { method: 'parametric' }).var).toBeCloseTo(0.01, 15);
		expect(valueAtRisk([-0.01]).var).toBe(0.01);
		expect(valueAtRisk([-0.01]).cvar).toBe(0.01);
	});

	it('returns a negative historical VaR when even the tail is a gain', () => {
		const result = valueAtRisk([0.01, 0.02, 0.03, 0.04]);
		expect(result.var!).toBeLessThan(0);
		expect(result.reason).toBeNull();
	});

	it('returns null with a reason for an empty series', () => {
		const result = valueAtRisk([]);
		expect(result.var).toBeNull();
		expect(result.cvar).toBeNull();
		expect(result.reason).toMatch(/no returns/);
	});

	it('throws InvalidInputError naming the field to fix', () => {
		expect(loc(() => valueAtRisk([0.01, Number.NaN]))).toEqual(['returns', 1]);
		expect(loc(() => valueAtRisk([0.01, Number.POSITIVE_INFINITY]))).toEqual(['returns', 1]);
		for (const confidence of [0, 1, 1.2, -0.5, Number.NaN]) {
			expect(loc(() => valueAtRisk([0.01], { confidence }))).toEqual(['confidence']);
		}
		expect(loc(() => valueAtRisk([0.01], { horizon: 0.5 }))).toEqual(['horizon']);
		expect(loc(() => valueAtRisk([0.01], { horizon: Number.POSITIVE_INFINITY }))).toEqual(['horizon']);
		expect(loc(() => valueAtRisk([0.01], { method: 'monte_carlo' as never }))).toEqual(['method']);
	});
});
