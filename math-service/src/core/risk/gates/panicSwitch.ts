/**
 * @module risk/gates/panicSwitch
 * Financial rule (seed 2, "Panic Switch: blocks buying if market sentiment is too fearful"): no new
 * long entry while the news panic score (0–100, core/alpha/newsSentiment: the bearish share of
 * recent news votes scaled by how much bearish voting there is) is above `maxPanicScore`. Exits are
 * never blocked. The score is the one known at decision time (point in time).
 *
 * Missing panic score (no sentiment provider configured, or no recent post): `onMissing: 'pass'`
 * (default) lets the entry through and says so in the receipt; `'reject'` refuses it
 * (`panic_unavailable`).
 *
 * Docs:
 * ```
 * panicSwitch  { maxPanicScore: 70, onMissing: "pass" | "reject" }
 *   value = panic score 0–100, limit = 70; above → reject "panic_switch".
 * ```
 */
import { z } from 'zod';
import type { RiskGate } from '../RiskGate.js';

export const PanicSwitchConfigSchema = z.object({
	maxPanicScore: z.number().min(0).max(100),
	onMissing: z.enum(['pass', 'reject']),
});
export type PanicSwitchConfig = z.infer<typeof PanicSwitchConfigSchema>;

export const panicSwitch: RiskGate<PanicSwitchConfig> = {
	name: 'panicSwitch',
	description: 'No new buys while the news panic score is above 70 of 100',
	configSchema: PanicSwitchConfigSchema,
	defaults: { maxPanicScore: 70, onMissing: 'pass' },
	evaluate(ctx, config) {
		const base = { name: 'panicSwitch', limit: config.maxPanicScore };
		const panic = ctx.panicScore;
		if (panic === null || panic === undefined || !Number.isFinite(panic)) {
			return config.onMissing === 'pass'
				? { ...base, passed: true, value: null, detail: 'panic score unknown (no recent news sentiment): switch not checked' }
				: {
						...base,
						passed: false,
						value: null,
						action: 'reject',
						reasonCode: 'panic_unavailable',
						detail: 'panic score unknown and onMissing is "reject"',
					};
		}
		if (panic > config.maxPanicScore) {
			return {
				...base,
				passed: false,
				value: panic,
				action: 'reject',
				reasonCode: 'panic_switch',
				detail: `panic score ${panic.toFixed(1)} > ${config.maxPanicScore}: no new buys`,
			};
		}
		return { ...base, passed: true, value: panic, detail: `panic score ${panic.toFixed(1)} ≤ ${config.maxPanicScore}` };
	},
};
