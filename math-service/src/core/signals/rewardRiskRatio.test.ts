import { describe, expect, it } from 'vitest';
import { rewardRiskRatio } from './rewardRiskRatio.js';

describe('rewardRiskRatio', () => {
	it('returns (target - entry) / (entry - stop) for a long', () => {
		expect(rewardRiskRatio(100, 97, 104.5)).toBeCloseTo(1.5, 12);
	});
	it('returns null when entry <= stop or an input is not finite', () => {
		expect(rewardRiskRatio(100, 100, 110)).toBeNull();
		expect(rewardRiskRatio(100, 101, 110)).toBeNull();
		expect(rewardRiskRatio(Number.NaN, 97, 110)).toBeNull();
		expect(rewardRiskRatio(100, 97, Number.POSITIVE_INFINITY)).toBeNull();
	});
	it('returns a non-positive ratio when the target is not above the entry', () => {
		expect(rewardRiskRatio(100, 97, 100)).toBe(0);
		expect(rewardRiskRatio(100, 97, 97)).toBe(-1);
	});
});
