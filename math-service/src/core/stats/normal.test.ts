import { describe, expect, it } from 'vitest';
import { normalPdf, normalQuantile } from './normal.js';

// Reference values: R 4.2 qnorm()/dnorm() printed with 17 significant digits.
describe('normalQuantile', () => {
	it.each([
		[0.05, -1.6448536269514726],
		[0.01, -2.3263478740408408],
		[0.5, 0],
		[0.975, 1.9599639845400536],
		[1e-10, -6.3613409024040557],
		[1e-300, -37.047096299361201],
	])('returns qnorm(%s) = %s', (p, z) => {
		if (z === 0) expect(normalQuantile(p)).toBe(0);
		else expect(Math.abs(normalQuantile(p) / z - 1)).toBeLessThan(1e-14);
	});

	it('returns ∓Infinity at 0 and 1 and NaN outside [0, 1]', () => {
		expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
		expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
		expect(normalQuantile(1.5)).toBeNaN();
	});
});

describe('normalPdf', () => {
	it('returns dnorm(0) = 1/√(2π) and dnorm(qnorm(0.05))', () => {
		expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 16);
		expect(normalPdf(-1.6448536269514726)).toBeCloseTo(0.10313564037537132, 16);
	});
});
