import { describe, expect, it } from 'vitest';
import { probabilityOfBacktestOverfitting, type BlockReturnSums } from './probabilityOfBacktestOverfitting.js';

/** Seeded PRNG (mulberry32) for reproducible return matrices. */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
	};
}

function blockSums(matrix: number[][], s: number): BlockReturnSums {
	const t = matrix[0].length;
	const sum = new Float64Array(matrix.length * s);
	const sumSquares = new Float64Array(matrix.length * s);
	const periods = new Float64Array(s);
	for (let r = 0; r < t; r++) periods[Math.floor((r * s) / t)]++;
	matrix.forEach((row, c) => row.forEach((x, r) => {
		const b = Math.floor((r * s) / t);
		sum[c * s + b] += x;
		sumSquares[c * s + b] += x * x;
	}));
	return { count: s, sum, sumSquares, periods };
}

/** Brute-force CSCV straight from the paper on the raw T × N matrix (two-pass Sharpe per split). */
function naivePbo(matrix: number[][], s: number): number {
	const t = matrix[0].length;
	const blockOf = (r: number) => Math.floor((r * s) / t);
	const sharpe = (xs: number[]) => {
		const m = xs.reduce((a, x) => a + x, 0) / xs.length;
		const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
		return v > 0 ? m / Math.sqrt(v) : 0;
	};
	let splits = 0;
	let overfit = 0;
	for (let mask = 0; mask < 1 << s; mask++) {
		if (mask.toString(2).split('').filter((b) => b === '1').length !== s / 2) continue;
		const isSharpe = matrix.map((row) => sharpe(row.filter((_, r) => (mask >> blockOf(r)) & 1)));
		const oosSharpe = matrix.map((row) => sharpe(row.filter((_, r) => !((mask >> blockOf(r)) & 1))));
		const best = isSharpe.indexOf(Math.max(...isSharpe));
		const sorted = [...oosSharpe].sort((a, b) => a - b);
		const rank = sorted.indexOf(oosSharpe[best]) + 1;
		const omega = rank / (matrix.length + 1);
		splits++;
		if (Math.log(omega / (1 - omega)) <= 0) overfit++;
	}
	return overfit / splits;
}

describe('probabilityOfBacktestOverfitting', () => {
	it('agrees with a brute-force CSCV on a random return matrix', () => {
		const rnd = prng(11);
		const matrix = Array.from({ length: 12 }, (_, c) => Array.from({ length: 600 }, () => 0.01 * rnd() + 0.0003 * (c % 3)));
		const fast = probabilityOfBacktestOverfitting(blockSums(matrix, 8));
		expect(fast.splits).toBe(70);
		expect(fast.pbo).toBeCloseTo(naivePbo(matrix, 8), 12);
	});

	it('is 0 when one configuration is better in every block', () => {
		const rnd = prng(5);
		const matrix = Array.from({ length: 10 }, (_, c) => Array.from({ length: 400 }, (_, r) => 0.01 * rnd() + (c === 4 ? 0.02 : 0) * (r % 2)));
		const r = probabilityOfBacktestOverfitting(blockSums(matrix, 6));
		expect(r.pbo).toBe(0);
		expect(r.meanLogit).toBeGreaterThan(0);
	});

	it('is near 1 when in-sample luck reverses out of sample', () => {
		// 20 configurations, one per 3-of-6 subset of blocks: +μ in its 3 blocks, −μ in the others.
		// A split's in-sample score is then exactly minus its out-of-sample score.
		const s = 6;
		const rnd = prng(9);
		const subsets = Array.from({ length: 1 << s }, (_, m) => m).filter((m) => m.toString(2).split('1').length - 1 === 3);
		const matrix = subsets.map((m) => Array.from({ length: 600 }, (_, r) => ((m >> Math.floor((r * s) / 600)) & 1 ? 0.001 : -0.001) + 0.0001 * rnd()));
		expect(subsets).toHaveLength(20);
		expect(probabilityOfBacktestOverfitting(blockSums(matrix, s)).pbo).toBeGreaterThan(0.9);
	});

	it('rejects an odd block count', () => {
		expect(() => probabilityOfBacktestOverfitting({ count: 3, sum: new Float64Array(6), sumSquares: new Float64Array(6), periods: new Float64Array(3) })).toThrow(/even block count/);
	});
});
