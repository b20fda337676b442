/**
 * @module alpha/compositeAlphaScore
 * The composite alpha score 0–100 (seed 2, "Strategy Engine"): a weighted blend of a technical
 * component (seed weight 40 %), an on-chain component (35 %) and a sentiment component (15 %), plus
 * an optional user-defined component (a mathjs expression, weight 0 by default).
 *
 * The seed's weights add up to 90 %. Weights here are RELATIVE: the score is the weighted mean
 *   score = Σ wᵢ·sᵢ / Σ wᵢ
 * over the components taken into account, so the default 40/35/15 acts as 44.4 % / 38.9 % / 16.7 %
 * and the score still spans 0–100 (with absolute weights the missing 10 % would cap it at 90 and a
 * threshold like 70 would mean something else than the user reads). To reproduce the seed literally,
 * add a custom component `50` with weight 10: a constant neutral 10 %.
 *
 * A component with missing data is never a silent 0: it is listed in `missing`, the score is flagged
 * `partial`, and `onMissing` says what the blend does with it — 'renormalize' (default: the weighted
 * mean of the components present) or 'neutral' (the missing component counts as 50). `coverageRatio`
 * is the share of the total weight that had data. With no component present the score is null.
 */
import { InvalidInputError } from '../../errors.js';

export const ALPHA_COMPONENTS = ['technical', 'onchain', 'sentiment', 'custom'] as const;
export type AlphaComponentName = (typeof ALPHA_COMPONENTS)[number];

export type AlphaWeights = Record<AlphaComponentName, number>;

/** Seed 2's weights (technical 40 %, chips 35 %, sentiment 15 %); the custom component is off. */
export const DEFAULT_ALPHA_WEIGHTS: AlphaWeights = { technical: 0.4, onchain: 0.35, sentiment: 0.15, custom: 0 };

export type MissingComponentPolicy = 'renormalize' | 'neutral';

export interface AlphaComponentValue {
	/** 0–100, or null when its data is missing. */
	score: number | null;
	/** Why it is missing (shown to the user). */
	detail?: string;
}

export interface CompositeAlphaScore {
	/** 0–100, null when no weighted component has data. */
	score: number | null;
	partial: boolean;
	missing: AlphaComponentName[];
	coverageRatio: number;
	components: Record<AlphaComponentName, { score: number | null; weight: number; detail?: string }>;
}

export function compositeAlphaScore(
	components: Partial<Record<AlphaComponentName, AlphaComponentValue>>,
	weights: AlphaWeights = DEFAULT_ALPHA_WEIGHTS,
	onMissing: MissingComponentPolicy = 'renormalize',
): CompositeAlphaScore {
	let totalWeight = 0;
	for (const name of ALPHA_COMPONENTS) {
		const w = weights[name];
		if (!(Number.isFinite(w) && w >= 0)) {
			throw new InvalidInputError(`weight of ${name} must be a number ≥ 0`, ['weights', name]);
		}
		totalWeight += w;
	}
	if (!(totalWeight > 0)) throw new InvalidInputError('at least one weight must be > 0', ['weights']);

	let weighted = 0;
	let usedWeight = 0;
	let presentWeight = 0;
	const missing: AlphaComponentName[] = [];
	const out = {} as CompositeAlphaScore['components'];
	for (const name of ALPHA_COMPONENTS) {
		const w = weights[name];
		const value = components[name];
		const s = value?.score;
		const has = typeof s === 'number' && Number.isFinite(s);
		out[name] = { score: has ? clamp100(s) : null, weight: w, ...(value?.detail ? { detail: value.detail } : {}) };
		if (w === 0) continue;
		if (has) {
			weighted += w * clamp100(s);
			usedWeight += w;
			presentWeight += w;
		} else {
			missing.push(name);
			if (onMissing === 'neutral') {
				weighted += w * 50;
				usedWeight += w;
			}
		}
	}
	const score = presentWeight > 0 ? weighted / usedWeight : null;
	return { score, partial: missing.length > 0, missing, coverageRatio: presentWeight / totalWeight, components: out };
}

function clamp100(x: number): number {
	return Math.min(100, Math.max(0, x));
}
