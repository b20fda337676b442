/**
 * @module core/sweep/planSweep
 * How much of the exchange balance to move to the cold wallet now. The desk keeps a working
 * balance on the exchange (`keepAmount`, the threshold); everything free above it is excess and is
 * swept, but never more than the daily cap leaves room for:
 *
 *   amount = floor_step( min(free − keep, dailyCap − withdrawnToday) )
 *
 * where withdrawnToday is the sum of today's (UTC) withdrawals of the asset that are not cancelled,
 * rejected or failed, and floor_step rounds down to the network's withdrawal step (never up: a
 * rounded-up amount could exceed the cap or the balance). Nothing is swept when the balance is at or
 * below the threshold, when the cap is used up, or when the amount is below the network's minimum
 * withdrawal (the exchange would refuse it, and the fee would eat a dust-sized sweep). Amounts are
 * in units of the asset. Pure: no I/O, no clock.
 */

export interface SweepPlanInput {
	/** Free (not locked in orders) balance of the asset on the exchange. */
	freeBalance: number;
	/** Balance to keep on the exchange (the sweep threshold). */
	keepAmount: number;
	/** Sum of today's withdrawals of the asset that still count (pending or completed). */
	withdrawnToday: number;
	/** Largest total withdrawn per UTC day, this sweep included. */
	dailyCap: number;
	/** The network's minimum withdrawal; null when unknown. */
	minWithdrawal: number | null;
	/** The network's withdrawal step (e.g. 0.000001); null = no rounding. */
	step: number | null;
}

export type SweepPlan =
	| { action: 'withdraw'; amount: number; excess: number; capRoom: number }
	| { action: 'none'; reasonCode: 'below_threshold' | 'daily_cap_reached' | 'below_network_minimum'; reason: string; excess: number; capRoom: number };

/** Rounds down to a multiple of `step` (decimal-safe for steps like 0.000001). */
export function floorToStep(value: number, step: number | null): number {
	if (step === null || step <= 0) return value;
	const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
	const units = Math.floor(Number((value / step).toFixed(9)));
	return Number((units * step).toFixed(decimals));
}

export function planSweep(input: SweepPlanInput): SweepPlan {
	const excess = Math.max(0, input.freeBalance - input.keepAmount);
	const capRoom = Math.max(0, input.dailyCap - input.withdrawnToday);
	if (excess <= 0) return { action: 'none', reasonCode: 'below_threshold', reason: `free balance ${input.freeBalance} is not above the threshold ${input.keepAmount}`, excess, capRoom };
	if (capRoom <= 0) return { action: 'none', reasonCode: 'daily_cap_reached', reason: `today's withdrawals (${input.withdrawnToday}) have used the daily cap of ${input.dailyCap}`, excess, capRoom };
	const amount = floorToStep(Math.min(excess, capRoom), input.step);
	const minimum = input.minWithdrawal ?? 0;
	if (amount <= 0 || amount < minimum) {
		return { action: 'none', reasonCode: 'below_network_minimum', reason: `${amount} is below the network's minimum withdrawal of ${minimum}`, excess, capRoom };
	}
	return { action: 'withdraw', amount, excess, capRoom };
}
