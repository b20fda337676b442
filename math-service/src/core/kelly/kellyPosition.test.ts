import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { HALF_KELLY, kellyPosition, QUARTER_KELLY } from './kellyPosition.js';

describe('kellyPosition', () => {
	it('returns quarter-Kelly by default: p = 0.55, b = 1 → f* 0.10, 0.025, 2.5 %', () => {
		const position = kellyPosition({ winRate: 0.55, avgWin: 1, avgLoss: 1 });
		expect(position.kellyFraction).toBeCloseTo(0.1, 15);
		expect(position.fractionalKelly).toBeCloseTo(0.025, 15);
		expect(position.positionPct).toBeCloseTo(2.5, 13);
	});

	it('returns the seed-1 figures: kelly_fraction 0.10 and a 10 % position only at the cap', () => {
		// Seed 1 prints {"kelly_fraction": 0.10, "position_pct": 10%} for 0.25× Kelly. Those two
		// numbers are consistent only when the quarter-Kelly stake exceeds the 10 % cap, e.g.
		// p = 0.6, b = 3: f* = 0.6 − 0.4/3 = 0.4667, ×0.25 = 0.1167 → capped at 10 %.
		const capped = kellyPosition({ winRate: 0.6, avgWin: 0.03, avgLoss: 0.01 });
		expect(capped.kellyFraction).toBeCloseTo(0.6 - 0.4 / 3, 14);
		expect(capped.fractionalKelly).toBeCloseTo((0.6 - 0.4 / 3) * 0.25, 14);
		expect(capped.positionPct).toBeCloseTo(10, 12);
	});

	it('returns half-Kelly when fraction = HALF_KELLY (seed 2)', () => {
		const position = kellyPosition({ winRate: 0.5, avgWin: 2, avgLoss: 1, fraction: HALF_KELLY, cap: 1 });
		expect(position.fractionalKelly).toBeCloseTo(0.125, 15);
		expect(position.positionPct).toBeCloseTo(12.5, 13);
	});

	it('returns zero size but the negative f* when there is no edge', () => {
		const position = kellyPosition({ winRate: 0.4, avgWin: 1, avgLoss: 1, fraction: QUARTER_KELLY });
		expect(position.kellyFraction).toBeCloseTo(-0.2, 15);
		expect(position.fractionalKelly).toBe(0);
		expect(position.positionPct).toBe(0);
	});

	it('applies a custom cap', () => {
		const position = kellyPosition({ winRate: 0.55, avgWin: 1, avgLoss: 1, fraction: 1, cap: 0.05 });
		expect(position.fractionalKelly).toBeCloseTo(0.1, 15);
		expect(position.positionPct).toBeCloseTo(5, 13);
	});

	it.each([
		[{ fraction: 0 }, 'fraction'],
		[{ fraction: 1.5 }, 'fraction'],
		[{ cap: -0.1 }, 'cap'],
		[{ cap: Number.NaN }, 'cap'],
	])('throws InvalidInputError for %o', (extra, field) => {
		expect(() => kellyPosition({ winRate: 0.55, avgWin: 1, avgLoss: 1, ...extra })).toThrow(InvalidInputError);
		try {
			kellyPosition({ winRate: 0.55, avgWin: 1, avgLoss: 1, ...extra });
		} catch (error) {
			expect((error as InvalidInputError).loc).toEqual([field]);
		}
	});
});
