import { describe, expect, it } from 'vitest';
import { context } from '../__fixtures__/context.js';
import { minRewardRisk, rewardRiskRatio } from './minRewardRisk.js';

const run = (entry: number, stop: number, target: number) =>
	minRewardRisk.evaluate(
		context({ candidate: { symbol: 'BTC/USDT', entry, stop, target, positionRatio: 0.02, quantity: 1 } }),
		minRewardRisk.defaults,
	);

describe('minRewardRisk', () => {
	it('passes R/R 2 and reports it', () => {
		expect(run(100, 97, 106)).toMatchObject({ passed: true, value: 2, limit: 1.5 });
	});
	it('passes exactly 1.5 computed from decimal prices', () => {
		expect((0.3 - 0.27) / (0.27 - 0.25)).not.toBe(1.5);
		expect(run(0.27, 0.25, 0.3).passed).toBe(true);
	});
	it('rejects R/R 1.49 as reward_risk_below_min', () => {
		expect(run(100, 98, 102.98)).toMatchObject({
			passed: false,
			reasonCode: 'reward_risk_below_min',
			action: 'reject',
		});
	});
	it('rejects a target below the entry (negative R/R)', () => {
		expect(run(100, 97, 99)).toMatchObject({ passed: false, value: -1 / 3 });
	});
	it('rejects a stop at or above the entry as invalid_levels with value null', () => {
		expect(run(100, 100, 110)).toMatchObject({ passed: false, reasonCode: 'invalid_levels', value: null });
		expect(rewardRiskRatio(100, 101, 110)).toBeNull();
	});
	it('matches the Pine strategy: stop 3 % below, target at VWAP', () => {
		expect(rewardRiskRatio(84012.5, 84012.5 * 0.97, 86020.1)).toBeCloseTo(2007.6 / 2520.375, 10);
	});
});
