import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { sizePosition } from './sizePosition.js';

describe('sizePosition', () => {
	it('sizes quarter-Kelly 2.5 % of 100k at 84,012.5 as notional 2,500', () => {
		const size = sizePosition({
			equity: 100_000,
			entry: 84012.5,
			stop: 81492.125,
			target: 86020.1,
			kellyPositionRatio: 0.025,
			capRatio: 0.1,
		});
		expect(size.notional).toBeCloseTo(2500, 9);
		expect(size.quantity).toBeCloseTo(2500 / 84012.5, 15);
		expect(size.positionPct).toBeCloseTo(2.5, 12);
		expect(size.rewardRisk).toBeCloseTo(2007.6 / 2520.375, 12);
		expect(size.riskToStopRatio).toBeCloseTo(0.025 * 0.03, 12);
		expect(size).toMatchObject({ capped: false, reason: null, stop: 81492.125 });
	});
	it('caps at capRatio and says so', () => {
		expect(sizePosition({ equity: 50_000, entry: 10, stop: 9, kellyPositionRatio: 0.4, capRatio: 0.1 })).toMatchObject({
			positionRatio: 0.1,
			quantity: 500,
			notional: 5000,
			capped: true,
			target: null,
			rewardRisk: null,
		});
	});
	it('returns quantity 0 with a reason for no edge or no equity', () => {
		expect(sizePosition({ equity: 50_000, entry: 10, stop: 9, kellyPositionRatio: -0.2 })).toMatchObject({
			quantity: 0,
			positionPct: 0,
			reason: expect.stringMatching(/no edge/),
		});
		expect(sizePosition({ equity: 0, entry: 10, stop: 9, kellyPositionRatio: 0.05 })).toMatchObject({
			quantity: 0,
			riskToStopRatio: null,
		});
	});
	it('throws InvalidInputError for a non-positive entry, NaN or a bad cap', () => {
		expect(() => sizePosition({ equity: 1, entry: 0, stop: 0, kellyPositionRatio: 0.1 })).toThrow(InvalidInputError);
		expect(() => sizePosition({ equity: Number.NaN, entry: 1, stop: 0, kellyPositionRatio: 0.1 })).toThrow(/equity/);
		expect(() => sizePosition({ equity: 1, entry: 1, stop: 0, kellyPositionRatio: 0.1, capRatio: 10 })).toThrow(
			/capRatio/,
		);
	});
});
