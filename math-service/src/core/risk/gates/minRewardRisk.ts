/**
 * @module risk/gates/minRewardRisk
 * Financial rule (seed risk table, "R/R minimum 1.5:1 required"): a long entry must offer at least
 * `minRewardRisk` units of reward per unit of risk, measured at the planned entry:
 * R/R = (target − entry) / (entry − stop). A stop at or above the entry leaves the risk undefined
 * (`invalid_levels`, value null); a target at or below the entry gives R/R ≤ 0 and fails.
 * Compared with a relative tolerance of 1e-9 so that 1.5 computed from decimal prices passes.
 *
 * Docs:
 * ```
 * minRewardRisk  { minRewardRisk: 1.5 }
 *   value = (target − entry) / (entry − stop), limit = 1.5; below → reject "reward_risk_below_min".
 * ```
 */
import { z } from 'zod';
import { LIMIT_EPSILON, type RiskGate } from '../RiskGate.js';

export const MinRewardRiskConfigSchema = z.object({ minRewardRisk: z.number().finite().nonnegative() });
export type MinRewardRiskConfig = z.infer<typeof MinRewardRiskConfigSchema>;

/** (target − entry) / (entry − stop) for a long; null when entry ≤ stop (risk undefined). */
export function rewardRiskRatio(entry: number, stop: number, target: number): number | null {
	const risk = entry - stop;
	return risk > 0 ? (target - entry) / risk : null;
}

export const minRewardRisk: RiskGate<MinRewardRiskConfig> = {
	name: 'minRewardRisk',
	description: 'Reward/risk at entry, (target − entry)/(entry − stop), must be at least 1.5',
	configSchema: MinRewardRiskConfigSchema,
	defaults: { minRewardRisk: 1.5 },
	evaluate(ctx, config) {
		const { entry, stop, target } = ctx.candidate;
		const rr = rewardRiskRatio(entry, stop, target);
		const base = { name: 'minRewardRisk', value: rr, limit: config.minRewardRisk };
		if (rr === null) {
			return {
				...base,
				passed: false,
				action: 'reject',
				reasonCode: 'invalid_levels',
				detail: `stop ${stop} is not below entry ${entry}: risk undefined for a long`,
			};
		}
		const text = `R/R ${rr.toFixed(2)} = (${target} − ${entry}) / (${entry} − ${stop})`;
		if (rr < config.minRewardRisk * (1 - LIMIT_EPSILON)) {
			return {
				...base,
				passed: false,
				action: 'reject',
				reasonCode: 'reward_risk_below_min',
				detail: `${text} is below ${config.minRewardRisk}`,
			};
		}
		return { ...base, passed: true, detail: `${text} ≥ ${config.minRewardRisk}` };
	},
};
