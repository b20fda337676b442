import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { annualVolatility } from './annualVolatility.js';
import { cagr } from './cagr.js';
import { calmarRatio } from './calmarRatio.js';
import { omegaRatio } from './omegaRatio.js';
import { sharpeRatio } from './sharpeRatio.js';
import { sortinoRatio } from './sortinoRatio.js';
import { tailRatio } from './tailRatio.js';
import { totalReturn } from './totalReturn.js';

// [0.02, −0.01, 0.03, 0.00]: mean 0.01, sample variance 0.001/3, sample std 0.018257418583505537.
const R = [0.02, -0.01, 0.03, 0.0];
const STD = Math.sqrt(0.001 / 3);

describe('sharpeRatio', () => {
	it('returns mean / std(ddof = 1) · √P', () => {
		expect(sharpeRatio(R, 365)).toBeCloseTo((0.01 / STD) * Math.sqrt(365), 12);
		expect(sharpeRatio(R, 8760)).toBeCloseTo((0.01 / STD) * Math.sqrt(8760), 11);
	});

	it('returns null for zero variance, floating-point-noise variance and < 2 returns', () => {
		expect(sharpeRatio([0.001, 0.001, 0.001], 365)).toBeNull();
		expect(sharpeRatio([0.3, 0.1 + 0.2, 0.3], 365)).toBeNull();
		expect(sharpeRatio([0.01], 365)).toBeNull();
	});

	it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('throws InvalidInputError for periodsPerYear %s', (p) => {
		try {
			sharpeRatio(R, p);
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).loc).toEqual(['periodsPerYear']);
		}
	});
});

describe('sortinoRatio', () => {
	it('returns mean·P / (√(Σmin(r,0)²/n)·√P) with the downside averaged over all n', () => {
		// Only −0.01 is below 0: downside deviation √(0.0001/4) = 0.005 (not 0.01, which averaging over losers would give).
		expect(sortinoRatio(R, 365)).toBeCloseTo((0.01 * 365) / (0.005 * Math.sqrt(365)), 10);
	});

	it('returns null when no return is negative, a number for constant losses', () => {
		expect(sortinoRatio([0.01, 0.02], 365)).toBeNull();
		expect(sortinoRatio([-0.001, -0.001, -0.001], 365)).toBeCloseTo(-Math.sqrt(365), 10);
	});
});

describe('annualVolatility', () => {
	it('returns std(ddof = 1)·√P, 0 for a constant series, null below 2 returns', () => {
		expect(annualVolatility(R, 365)).toBeCloseTo(STD * Math.sqrt(365), 14);
		expect(annualVolatility([0.001, 0.001, 0.001], 365)).toBe(0);
		expect(annualVolatility([0.01], 365)).toBeNull();
	});
});

describe('totalReturn and cagr', () => {
	it('returns Π(1 + r) − 1 and its yearly rate with years = n / P', () => {
		expect(totalReturn([0.1, -0.1])).toBeCloseTo(-0.01, 15);
		// 365 daily returns of 0.1 % compound to 1.001^365 − 1 in exactly one year.
		const year = new Array(365).fill(0.001);
		expect(cagr(year, 365)).toBeCloseTo(1.001 ** 365 - 1, 12);
		// Half a year of +10 % total becomes 1.1² − 1 = 21 % a year.
		expect(cagr([0.1], 2)).toBeCloseTo(0.21, 14);
	});

	it('returns −1 for a total loss and null when empty or overflowing', () => {
		expect(cagr([0.1, -1], 365)).toBe(-1);
		expect(cagr([], 365)).toBeNull();
		expect(totalReturn([])).toBeNull();
		expect(cagr([0.5, 0.5], 525600)).toBeNull();
	});
});

describe('calmarRatio', () => {
	it('returns CAGR / max drawdown', () => {
		const returns = [0.1, -0.2, 0.15];
		const growth = cagr(returns, 3)!;
		expect(calmarRatio(returns, 3)).toBeCloseTo(growth / 0.2, 12);
	});

	it('returns null without a drawdown', () => {
		expect(calmarRatio([0.01, 0.02], 365)).toBeNull();
	});
});

describe('omegaRatio', () => {
	it('returns Σ gains / Σ |losses| at threshold 0', () => {
		expect(omegaRatio(R)).toBeCloseTo(0.05 / 0.01, 13);
	});

	it('returns 0 without gains and null without losses or below 2 returns', () => {
		expect(omegaRatio([-0.01, -0.02])).toBe(0);
		expect(omegaRatio([0.01, 0.02])).toBeNull();
		expect(omegaRatio([-0.01])).toBeNull();
	});
});

describe('tailRatio', () => {
	it('returns |P95| / |P5| with numpy linear percentiles', () => {
		// np.percentile([−0.04, −0.01, 0, 0.02, 0.05], [5, 95]) = −0.034, 0.044.
		expect(tailRatio([0.05, -0.01, 0, 0.02, -0.04])).toBeCloseTo(0.044 / 0.034, 13);
	});

	it('returns null when the 5th percentile is 0 or the series is empty', () => {
		expect(tailRatio([0, 0, 0.01])).toBeNull();
		expect(tailRatio([])).toBeNull();
	});
});
