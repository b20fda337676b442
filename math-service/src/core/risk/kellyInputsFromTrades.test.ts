import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { kellyPosition } from '../kelly/index.js';
import { DEFAULT_KELLY_PRIOR, kellyInputsFromTrades, type RecordedTrade } from './kellyInputsFromTrades.js';

const prior = { winRate: 0.55, avgWin: 0.04, avgLoss: 0.03 };
/** 22 wins of +4.5 %, 18 losses of −3 %, 2 break-evens (n = 42). */
const record: RecordedTrade[] = [
	...Array.from({ length: 22 }, () => ({ pnl: 45, returnRatio: 0.045 })),
	...Array.from({ length: 18 }, () => ({ pnl: -30, returnRatio: -0.03 })),
	{ pnl: 0, returnRatio: 0 },
	{ pnl: 0, returnRatio: 0 },
];

describe('kellyInputsFromTrades', () => {
	it('uses the prior below the minimum sample and says so with n', () => {
		const result = kellyInputsFromTrades(record.slice(0, 29), { minSample: 30, prior });
		expect(result).toMatchObject({ source: 'prior', n: 29, ...prior });
		expect(result.note).toMatch(/29 recorded trade\(s\) < minimum sample 30/);
	});
	it('uses the recorded statistics at n ≥ minSample, break-evens lowering the win rate only', () => {
		const result = kellyInputsFromTrades(record, { minSample: 30, prior });
		expect(result).toMatchObject({ source: 'recorded', n: 42, wins: 22, losses: 18 });
		expect(result.winRate).toBeCloseTo(22 / 42, 15);
		expect(result.avgWin).toBeCloseTo(0.045, 15);
		expect(result.avgLoss).toBeCloseTo(0.03, 15);
	});
	it('feeds kellyPosition: f* = p − (1 − p)/b with b = 1.5', () => {
		const inputs = kellyInputsFromTrades(record, { prior });
		const sized = kellyPosition({ ...inputs, fraction: 0.25, cap: 0.1 });
		const p = 22 / 42;
		expect(sized.kellyFraction).toBeCloseTo(p - (1 - p) / 1.5, 12);
		expect(sized.fractionalKelly).toBeCloseTo(0.25 * (p - (1 - p) / 1.5), 12);
	});
	it('gives no edge for a record without wins', () => {
		const losers = Array.from({ length: 30 }, () => ({ pnl: -1, returnRatio: -0.02 }));
		const inputs = kellyInputsFromTrades(losers, { prior });
		expect(inputs).toMatchObject({ source: 'recorded', winRate: 0 });
		expect(inputs.avgWin).toBe(inputs.avgLoss);
		expect(inputs.avgLoss).toBeCloseTo(0.02, 15);
		expect(kellyPosition(inputs).positionPct).toBe(0);
	});
	it('sets b = 1 for a record without losses and notes it', () => {
		const winners = Array.from({ length: 30 }, () => ({ pnl: 1, returnRatio: 0.02 }));
		const inputs = kellyInputsFromTrades(winners, { prior });
		expect(inputs).toMatchObject({ winRate: 1, note: expect.stringMatching(/no losing trades/) });
		expect(inputs.avgLoss).toBe(inputs.avgWin);
	});
	it('falls back to the prior when every trade broke even', () => {
		const flat = Array.from({ length: 30 }, () => ({ pnl: 0, returnRatio: 0 }));
		expect(kellyInputsFromTrades(flat, { prior }).source).toBe('prior');
	});
	it('defaults to minSample 30 and the documented prior', () => {
		expect(kellyInputsFromTrades([])).toMatchObject({ source: 'prior', ...DEFAULT_KELLY_PRIOR });
	});
	it('throws InvalidInputError on a non-finite trade or a bad prior', () => {
		expect(() => kellyInputsFromTrades([{ pnl: Number.NaN, returnRatio: 0 }], { prior })).toThrow(InvalidInputError);
		expect(() => kellyInputsFromTrades([], { prior: { winRate: 2, avgWin: 1, avgLoss: 1 } })).toThrow(
			InvalidInputError,
		);
	});
});
