/**
 * @module risk/gates/operatorHalt
 * Financial rule (the kill switch): while the operator has halted the desk (`/halt` on Telegram,
 * `POST /v1/desk/halt`, the Desk Control node), every new entry is refused, whatever its size or
 * merit. Exits are never blocked; open positions keep their stops, targets and time stop (a halt
 * with "flatten" closes them itself). The halt has no expiry: it lasts until the operator resumes.
 *
 * Docs:
 * ```
 * operatorHalt  {}
 *   value = 1 while halted, 0 otherwise; limit = 0; halted → reject "operator_halt"
 *   (detail: who halted and since when).
 * ```
 */
import { z } from 'zod';
import type { RiskGate } from '../RiskGate.js';

export const OperatorHaltConfigSchema = z.object({});
export type OperatorHaltConfig = z.infer<typeof OperatorHaltConfigSchema>;

export const operatorHalt: RiskGate<OperatorHaltConfig> = {
	name: 'operatorHalt',
	description: 'No new entries while the operator has halted the desk (the kill switch)',
	configSchema: OperatorHaltConfigSchema,
	defaults: {},
	evaluate(ctx) {
		const halt = ctx.operatorHalt ?? null;
		if (halt === null) return { name: 'operatorHalt', passed: true, value: 0, limit: 0, detail: 'desk not halted by the operator' };
		return {
			name: 'operatorHalt',
			passed: false,
			value: 1,
			limit: 0,
			action: 'reject',
			reasonCode: 'operator_halt',
			detail: `desk halted by ${halt.by} since ${new Date(halt.sinceMs).toISOString()}: no new entries until resumed`,
		};
	},
};
