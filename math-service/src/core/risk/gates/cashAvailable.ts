/**
 * @module risk/gates/cashAvailable
 * Financial rule (spot, no leverage — not in the seed's table but implied by "1inch swap"): the
 * entry's notional plus the estimated fee must be payable from free cash:
 * quantity × entry × (1 + feeRatio) ≤ cash. An oversized candidate is resized to the cash
 * available (same resize rule as the other size limits), else rejected (`insufficient_cash`).
 *
 * Docs:
 * ```
 * cashAvailable  { feeRatio: 0.001, allowResize: true, minPositionRatio: 0.001 }
 *   value = quantity × entry × (1 + fee) / cash, limit = 1.
 * ```
 */
import { z } from 'zod';
import type { RiskGate } from '../RiskGate.js';
import { fitQuantity } from '../fitQuantity.js';
import { DEFAULT_RESIZE, resizeConfigFields } from '../resizeConfigSchema.js';

export const CashAvailableConfigSchema = z.object({ feeRatio: z.number().min(0).lt(0.1), ...resizeConfigFields });
export type CashAvailableConfig = z.infer<typeof CashAvailableConfigSchema>;

export const cashAvailable: RiskGate<CashAvailableConfig> = {
	name: 'cashAvailable',
	description: 'Spot entries must be payable from free cash, fee included',
	configSchema: CashAvailableConfigSchema,
	defaults: { feeRatio: 0.001, ...DEFAULT_RESIZE },
	evaluate(ctx, config) {
		const { candidate, equity } = ctx;
		const cash = Math.max(0, ctx.cash);
		const perUnit = candidate.entry * (1 + config.feeRatio);
		const fit = fitQuantity(candidate.quantity, cash / perUnit, candidate.entry, equity, config);
		const usedAt = (q: number) => (cash > 0 ? (q * perUnit) / cash : null);
		const base = { name: 'cashAvailable', limit: 1 };
		const cost = (q: number) => (q * perUnit).toFixed(2);
		if (fit.kind === 'fits')
			return {
				...base,
				passed: true,
				value: usedAt(candidate.quantity),
				detail: `cost ${cost(candidate.quantity)} ≤ cash ${cash.toFixed(2)}`,
			};
		if (fit.kind === 'resize') {
			return {
				...base,
				passed: true,
				action: 'resize',
				resizedQuantity: fit.quantity,
				value: usedAt(fit.quantity),
				detail: `cost ${cost(candidate.quantity)} > cash ${cash.toFixed(2)}; resized to ${fit.quantity}`,
			};
		}
		return {
			...base,
			passed: false,
			action: 'reject',
			reasonCode: 'insufficient_cash',
			value: usedAt(candidate.quantity),
			detail: `cost ${cost(candidate.quantity)} > cash ${cash.toFixed(2)}`,
		};
	},
};
