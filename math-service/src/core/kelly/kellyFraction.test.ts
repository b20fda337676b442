import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { kellyFraction } from './kellyFraction.js';

describe('kellyFraction', () => {
	it('returns 0.10 for p = 0.55 and even odds (textbook coin bet)', () => {
		expect(kellyFraction({ winRate: 0.55, avgWin: 1, avgLoss: 1 })).toBeCloseTo(0.1, 15);
	});

	it('returns p − (1−p)/b for uneven payoffs (p = 0.4, b = 2 → 0.1)', () => {
		// 0.4 − 0.6/2 = 0.1: a 40 % hit rate still has an edge when wins are twice the losses.
		expect(kellyFraction({ winRate: 0.4, avgWin: 0.04, avgLoss: 0.02 })).toBeCloseTo(0.1, 15);
	});

	it('returns 0.25 for p = 0.5, b = 2 (Thorp: f* = (bp − q)/b)', () => {
		expect(kellyFraction({ winRate: 0.5, avgWin: 2, avgLoss: 1 })).toBeCloseTo(0.25, 15);
	});

	it('returns a negative fraction when there is no edge', () => {
		expect(kellyFraction({ winRate: 0.45, avgWin: 1, avgLoss: 1 })).toBeCloseTo(-0.1, 15);
	});

	it('returns 1 for a certain win and −1/b for a certain loss', () => {
		expect(kellyFraction({ winRate: 1, avgWin: 1, avgLoss: 3 })).toBe(1);
		expect(kellyFraction({ winRate: 0, avgWin: 2, avgLoss: 1 })).toBe(-0.5);
	});

	it.each([
		[{ winRate: 1.2, avgWin: 1, avgLoss: 1 }, 'winRate'],
		[{ winRate: -0.1, avgWin: 1, avgLoss: 1 }, 'winRate'],
		[{ winRate: Number.NaN, avgWin: 1, avgLoss: 1 }, 'winRate'],
		[{ winRate: 0.5, avgWin: 1, avgLoss: 0 }, 'avgLoss'],
		[{ winRate: 0.5, avgWin: 1, avgLoss: -0.02 }, 'avgLoss'],
		[{ winRate: 0.5, avgWin: 0, avgLoss: 1 }, 'avgWin'],
		[{ winRate: 0.5, avgWin: Number.POSITIVE_INFINITY, avgLoss: 1 }, 'avgWin'],
	])('throws InvalidInputError for %o at loc [%s]', (input, field) => {
		try {
			kellyFraction(input);
			expect.unreachable('should have thrown');
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).loc).toEqual([field]);
		}
	});
});
