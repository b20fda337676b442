/**
 * @module risk/gates/portfolioHeat
 * Financial rule (seed risk table, "Portfolio Heat 30 % — Max exposure"): the book's heat after the
 * entry may not exceed `maxHeatRatio` of equity. Heat has two common definitions; `heatBasis` picks:
 * - `exposure` (default, the seed's "max exposure"): Σ |quantity| × markPrice of open positions +
 *   candidate quantity × entry, over equity. 30 % means at most 30 % of equity is invested.
 * - `risk_to_stop` (the trading-desk meaning of "heat"): Σ quantity × max(0, markPrice − stopPrice)
 *   + candidate quantity × (entry − stop), over equity — what is lost if every stop fills at its
 *   level (a position without a stop counts its full value). With this basis 30 % is very loose;
 *   desks use 6–10 %.
 * Gaps through stops and slippage are not included in either.
 *
 * Decision: like the per-asset cap, an oversized candidate is resized down to the remaining heat
 * (unless `allowResize` is false or the room is below `minPositionRatio`), else rejected.
 *
 * Docs:
 * ```
 * portfolioHeat  { maxHeatRatio: 0.30, heatBasis: "exposure" | "risk_to_stop", allowResize: true, minPositionRatio: 0.001 }
 *   value = heat after the entry / equity, limit = 0.30; above → resize or reject "portfolio_heat".
 * ```
 */
import { z } from 'zod';
import type { OpenPosition, RiskGate } from '../RiskGate.js';
import { fitQuantity, pct } from '../fitQuantity.js';
import { DEFAULT_RESIZE, resizeConfigFields } from '../resizeConfigSchema.js';

export const HEAT_BASES = ['exposure', 'risk_to_stop'] as const;
export type HeatBasis = (typeof HEAT_BASES)[number];

export const PortfolioHeatConfigSchema = z.object({
	maxHeatRatio: z.number().gt(0).max(1),
	heatBasis: z.enum(HEAT_BASES),
	...resizeConfigFields,
});
export type PortfolioHeatConfig = z.infer<typeof PortfolioHeatConfigSchema>;

/** Heat of the open positions in account currency (not divided by equity). */
export function openHeat(positions: readonly OpenPosition[], basis: HeatBasis): number {
	return positions.reduce((sum, p) => {
		const qty = Math.abs(p.quantity);
		if (basis === 'exposure') return sum + qty * p.markPrice;
		const stop = p.stopPrice ?? 0;
		return sum + qty * Math.max(0, p.markPrice - stop);
	}, 0);
}

export const portfolioHeat: RiskGate<PortfolioHeatConfig> = {
	name: 'portfolioHeat',
	description: 'Total exposure (or risk to stop) after the entry at most 30 % of equity',
	configSchema: PortfolioHeatConfigSchema,
	defaults: { maxHeatRatio: 0.3, heatBasis: 'exposure', ...DEFAULT_RESIZE },
	evaluate(ctx, config) {
		const { candidate, equity } = ctx;
		const existing = openHeat(ctx.openPositions, config.heatBasis);
		const perUnit = config.heatBasis === 'exposure' ? candidate.entry : Math.max(0, candidate.entry - candidate.stop);
		const maxQuantity = perUnit > 0 ? (config.maxHeatRatio * equity - existing) / perUnit : Number.POSITIVE_INFINITY;
		const fit = fitQuantity(candidate.quantity, maxQuantity, candidate.entry, equity, config);
		const heatAt = (q: number) => (existing + q * perUnit) / equity;
		const base = { name: 'portfolioHeat', limit: config.maxHeatRatio };
		const what = config.heatBasis === 'exposure' ? 'exposure' : 'risk to stop';
		if (fit.kind === 'fits') {
			return {
				...base,
				passed: true,
				value: heatAt(candidate.quantity),
				detail: `${what} ${pct(heatAt(candidate.quantity))} of equity (open ${pct(existing / equity)}) ≤ ${pct(
					config.maxHeatRatio,
				)}`,
			};
		}
		if (fit.kind === 'resize') {
			return {
				...base,
				passed: true,
				action: 'resize',
				resizedQuantity: fit.quantity,
				value: heatAt(fit.quantity),
				detail: `${what} would be ${pct(heatAt(candidate.quantity))} (open ${pct(existing / equity)}); resized from ${
					candidate.quantity
				} to ${fit.quantity} to stay at ${pct(config.maxHeatRatio)}`,
			};
		}
		return {
			...base,
			passed: false,
			action: 'reject',
			reasonCode: 'portfolio_heat',
			value: heatAt(candidate.quantity),
			detail: `${what} would be ${pct(heatAt(candidate.quantity))} of equity (open ${pct(
				existing / equity,
			)}), above ${pct(config.maxHeatRatio)}`,
		};
	},
};
