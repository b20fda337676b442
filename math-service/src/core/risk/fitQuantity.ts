/**
 * @module risk/fitQuantity
 * Shared resize rule of the size-limiting gates (per-asset cap, heat, cash, VaR budget).
 * A candidate that exceeds a gate's headroom is shrunk to the headroom when the gate allows it and
 * the shrunk position is still at least `minPositionRatio` of equity; otherwise it is rejected.
 * Shrinking never breaks a limit another gate has already checked, because every limit is an
 * upper bound increasing in quantity.
 */
import { LIMIT_EPSILON } from './RiskGate.js';

export interface ResizeConfig {
	/** Shrink to fit instead of rejecting. */
	allowResize: boolean;
	/** Smallest position worth opening after a resize, a fraction of equity (0.001 = 0.1 %). */
	minPositionRatio: number;
}

export type Fit = { kind: 'fits' } | { kind: 'resize'; quantity: number } | { kind: 'reject'; maxQuantity: number };

/** Compare `quantity` with the largest allowed `maxQuantity` (≤ 0 means nothing fits). */
export function fitQuantity(
	quantity: number,
	maxQuantity: number,
	entry: number,
	equity: number,
	cfg: ResizeConfig,
): Fit {
	if (quantity <= maxQuantity * (1 + LIMIT_EPSILON)) return { kind: 'fits' };
	const max = Math.max(0, maxQuantity);
	if (cfg.allowResize && max > 0 && (max * entry) / equity >= cfg.minPositionRatio)
		return { kind: 'resize', quantity: max };
	return { kind: 'reject', maxQuantity: max };
}

export const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
