import { describe, expect, it } from 'vitest';
import { StdevStream, stdev } from './stdev.js';

const f = (xs: number[]) => Float64Array.from(xs);

/** Naive two-pass population/sample σ of xs[i-n+1..i], for comparison. */
function twoPass(xs: Float64Array, i: number, n: number, biased = true): number {
	let m = 0;
	for (let k = i - n + 1; k <= i; k++) m += xs[k];
	m /= n;
	let q = 0;
	for (let k = i - n + 1; k <= i; k++) q += (xs[k] - m) ** 2;
	return Math.sqrt(q / (biased ? n : n - 1));
}

describe('stdev', () => {
	it('is the population (biased) standard deviation by default', () => {
		const out = stdev(f([2, 4, 4, 4, 5, 5, 7, 9]), 8);
		expect(out[7]).toBe(2);
		expect(out.slice(0, 7).every(Number.isNaN)).toBe(true);
	});

	it('is the sample standard deviation with biased = false', () => {
		expect(stdev(f([2, 4, 4, 4, 5, 5, 7, 9]), 8, false)[7]).toBeCloseTo(Math.sqrt(32 / 7), 14);
	});

	it('has its first value on bar length-1 (bar 49 for length 50)', () => {
		const xs = new Float64Array(60).map((_, i) => i);
		const out = stdev(xs, 50);
		expect(Number.isNaN(out[48])).toBe(true);
		expect(out[49]).toBeCloseTo(twoPass(xs, 49, 50), 12);
	});

	it('returns exactly 0 for a flat window at a high price level (zero-volume bars, o=h=l=c)', () => {
		const xs = new Float64Array(120);
		for (let i = 0; i < 120; i++) xs[i] = i < 40 ? 27_950.1 + (i % 7) * 3.3 : 27_961.37;
		const out = stdev(xs, 50);
		expect(out[89]).toBe(0);
		expect(out[119]).toBe(0);
		expect(out[88]).toBeGreaterThan(0);
	});

	it('keeps full precision at 1e5 price levels and on micro-priced series (1e-5)', () => {
		for (const level of [100_000, 1e-5]) {
			const n = 20_000;
			const xs = new Float64Array(n);
			let p = level;
			for (let i = 0; i < n; i++) {
				p *= 1 + Math.sin(i * 12.9898) * 0.0007; // deterministic, ~0.05% moves
				xs[i] = p;
			}
			const out = stdev(xs, 50);
			let worst = 0;
			for (let i = 49; i < n; i += 7) worst = Math.max(worst, Math.abs(out[i] / twoPass(xs, i, 50) - 1));
			expect(worst).toBeLessThan(1e-10);
		}
	});

	it('skips na inputs', () => {
		const out = stdev(f([1, NaN, 3, NaN]), 2);
		expect(Array.from(out)).toEqual([NaN, NaN, 1, 1]);
	});

	it('is na for the unbiased form with length 1, 0 for the biased form', () => {
		expect(Number.isNaN(stdev(f([1, 2]), 1, false)[1])).toBe(true);
		expect(stdev(f([1, 2]), 1)[1]).toBe(0);
	});

	it('streams the batch numbers', () => {
		const s = new StdevStream(2);
		expect([s.update(1), s.update(null), s.update(3)]).toEqual([null, null, 1]);
		expect(s.value).toBe(1);
	});
});
