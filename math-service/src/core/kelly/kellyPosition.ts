/**
 * @module kellyPosition
 * Position sizing from the Kelly fraction. Full Kelly maximises long-run growth but is violently
 * volatile and assumes the edge is known exactly; practitioners bet a fixed fraction of it
 * (quarter-Kelly by default, seed 1; half-Kelly, seed 2) and cap any single position (10 % of
 * capital per asset in the seed's risk framework). No edge (f* ≤ 0) means no position.
 */
import { InvalidInputError } from '../../errors.js';
import { kellyFraction, type KellyInput } from './kellyFraction.js';

/** Half-Kelly multiplier: ¾ of full Kelly's growth rate at ¼ of its variance. */
export const HALF_KELLY = 0.5;
/** Quarter-Kelly multiplier, the service default. */
export const QUARTER_KELLY = 0.25;
/** Default cap on one position, a fraction of capital (10 %). */
export const DEFAULT_POSITION_CAP = 0.1;

export interface KellyPosition {
	/** Full Kelly f* (fraction, may be negative). */
	kellyFraction: number;
	/** max(0, f*) · fraction (fraction of capital, ≥ 0). */
	fractionalKelly: number;
	/** min(fractionalKelly, cap) · 100 (percent of capital, 0–100). */
	positionPct: number;
}

export interface KellyPositionInput extends KellyInput {
	/** Multiplier on full Kelly in (0, 1]; default 0.25 (quarter-Kelly). */
	fraction?: number;
	/** Largest position as a fraction of capital in (0, 1]; default 0.10. */
	cap?: number;
}

/**
 * Sized position: fractionalKelly = max(0, f*)·fraction, positionPct = min(fractionalKelly, cap)·100.
 * Units: kellyFraction and fractionalKelly are fractions of capital; positionPct is 0–100.
 * Degenerate cases: f* ≤ 0 (no edge) → fractionalKelly 0 and positionPct 0. Invalid input (see
 * kellyFraction; fraction or cap outside (0, 1]) throws `InvalidInputError`.
 * Example: p = 0.55, b = 1 → f* 0.10, quarter-Kelly 0.025, positionPct 2.5.
 * Source: E. O. Thorp (2006) §7 on fractional Kelly; L. C. MacLean, E. O. Thorp, W. T. Ziemba,
 * "Good and bad properties of the Kelly criterion" (2010).
 */
export function kellyPosition(input: KellyPositionInput): KellyPosition {
	const fraction = input.fraction ?? QUARTER_KELLY;
	const cap = input.cap ?? DEFAULT_POSITION_CAP;
	validateUnitInterval(fraction, 'fraction', 'e.g. 0.25 for quarter-Kelly, 0.5 for half-Kelly');
	validateUnitInterval(cap, 'cap', 'e.g. 0.10 for at most 10 % of capital');
	const fullKelly = kellyFraction(input);
	const fractionalKelly = Math.max(0, fullKelly) * fraction;
	return {
		kellyFraction: fullKelly,
		fractionalKelly,
		positionPct: Math.min(fractionalKelly, cap) * 100,
	};
}

function validateUnitInterval(value: unknown, field: string, hint: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
		throw new InvalidInputError(`${field} must be in (0, 1] (got ${String(value)}); ${hint}`, [field]);
	}
}
