import { describe, expect, it } from 'vitest';
import { floorToStep, planSweep } from './planSweep';

const base = { freeBalance: 5_000, keepAmount: 1_000, withdrawnToday: 0, dailyCap: 10_000, minWithdrawal: 10, step: 0.000001 };

describe('planSweep', () => {
	it('sweeps everything free above the threshold', () => {
		expect(planSweep(base)).toEqual({ action: 'withdraw', amount: 4_000, excess: 4_000, capRoom: 10_000 });
	});

	it('never lets today’s total exceed the daily cap', () => {
		const plan = planSweep({ ...base, withdrawnToday: 7_500 });
		expect(plan).toMatchObject({ action: 'withdraw', amount: 2_500 });
		expect(7_500 + (plan.action === 'withdraw' ? plan.amount : 0)).toBeLessThanOrEqual(base.dailyCap);
	});

	it('does nothing at or below the threshold, with the reason', () => {
		expect(planSweep({ ...base, freeBalance: 1_000 })).toMatchObject({ action: 'none', reasonCode: 'below_threshold' });
		expect(planSweep({ ...base, freeBalance: 400 })).toMatchObject({ action: 'none', reasonCode: 'below_threshold', excess: 0 });
	});

	it('does nothing once the cap is used up', () => {
		expect(planSweep({ ...base, withdrawnToday: 10_000 })).toMatchObject({ action: 'none', reasonCode: 'daily_cap_reached', capRoom: 0 });
		expect(planSweep({ ...base, withdrawnToday: 12_000 })).toMatchObject({ action: 'none', reasonCode: 'daily_cap_reached' });
	});

	it('does not send dust below the network minimum', () => {
		expect(planSweep({ ...base, freeBalance: 1_005 })).toMatchObject({ action: 'none', reasonCode: 'below_network_minimum' });
	});

	it('rounds down to the network step, never up', () => {
		expect(planSweep({ ...base, freeBalance: 1_100.1234567 })).toMatchObject({ action: 'withdraw', amount: 100.123456 });
		expect(floorToStep(0.3, 0.1)).toBe(0.3);
		expect(floorToStep(0.29999999, 0.1)).toBe(0.2);
		expect(floorToStep(12.5, null)).toBe(12.5);
		expect(floorToStep(0.00123456789, 0.00000001)).toBe(0.00123456);
	});
});
