/**
 * @module risk/gates/maxPositionPerAsset
 * Financial rule (seed risk table, "Position/Asset 10 %, Kelly-based"): the total notional held in
 * one asset — an existing position marked to market plus the candidate at its entry price — may not
 * exceed `maxPositionRatio` of equity. Assets are compared by base (BTC/USDT and BTC/USDC are both
 * BTC exposure).
 *
 * Decision: an oversized candidate is RESIZED down to the remaining room (the Kelly size is an upper
 * bound, not a target), unless `allowResize` is false or the room left is smaller than
 * `minPositionRatio` of equity; then it is rejected (`max_position_per_asset`).
 *
 * Docs:
 * ```
 * maxPositionPerAsset  { maxPositionRatio: 0.10, allowResize: true, minPositionRatio: 0.001 }
 *   value = (existing asset notional + quantity × entry) / equity after any resize, limit = 0.10.
 * ```
 */
import { z } from 'zod';
import { baseAsset, type RiskGate } from '../RiskGate.js';
import { fitQuantity, pct } from '../fitQuantity.js';
import { DEFAULT_RESIZE, resizeConfigFields } from '../resizeConfigSchema.js';

export const MaxPositionPerAssetConfigSchema = z.object({
	maxPositionRatio: z.number().gt(0).max(1),
	...resizeConfigFields,
});
export type MaxPositionPerAssetConfig = z.infer<typeof MaxPositionPerAssetConfigSchema>;

/** Σ quantity × markPrice of open positions in `symbol`'s base asset. */
export function assetNotional(
	ctx: { openPositions: { symbol: string; quantity: number; markPrice: number }[] },
	symbol: string,
): number {
	const asset = baseAsset(symbol);
	return ctx.openPositions
		.filter((p) => baseAsset(p.symbol) === asset)
		.reduce((sum, p) => sum + Math.abs(p.quantity) * p.markPrice, 0);
}

export const maxPositionPerAsset: RiskGate<MaxPositionPerAssetConfig> = {
	name: 'maxPositionPerAsset',
	description: 'At most 10 % of equity in one asset, existing position included; oversize is resized down',
	configSchema: MaxPositionPerAssetConfigSchema,
	defaults: { maxPositionRatio: 0.1, ...DEFAULT_RESIZE },
	evaluate(ctx, config) {
		const { candidate, equity } = ctx;
		const existing = assetNotional(ctx, candidate.symbol);
		const maxQuantity = (config.maxPositionRatio * equity - existing) / candidate.entry;
		const fit = fitQuantity(candidate.quantity, maxQuantity, candidate.entry, equity, config);
		const ratioAt = (q: number) => (existing + q * candidate.entry) / equity;
		const base = { name: 'maxPositionPerAsset', limit: config.maxPositionRatio };
		const held = existing > 0 ? ` (${pct(existing / equity)} already held)` : '';
		const asset = baseAsset(candidate.symbol);
		if (fit.kind === 'fits') {
			return {
				...base,
				passed: true,
				value: ratioAt(candidate.quantity),
				detail: `${asset} ${pct(ratioAt(candidate.quantity))} of equity${held} ≤ ${pct(config.maxPositionRatio)}`,
			};
		}
		if (fit.kind === 'resize') {
			return {
				...base,
				passed: true,
				action: 'resize',
				resizedQuantity: fit.quantity,
				value: ratioAt(fit.quantity),
				detail: `${asset} would be ${pct(ratioAt(candidate.quantity))} of equity${held}; resized from ${
					candidate.quantity
				} to ${fit.quantity} to stay at ${pct(config.maxPositionRatio)}`,
			};
		}
		return {
			...base,
			passed: false,
			action: 'reject',
			reasonCode: 'max_position_per_asset',
			value: ratioAt(candidate.quantity),
			detail: `${asset} would be ${pct(ratioAt(candidate.quantity))} of equity${held}, above ${pct(
				config.maxPositionRatio,
			)}, and ${config.allowResize ? 'the room left is below the minimum position' : 'resizing is off'}`,
		};
	},
};
