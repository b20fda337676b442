/**
 * @module risk/gates/varBudget
 * Financial rule ("a VaR budget per position"): the loss a new position can cause on a bad
 * period, measured as its VaR contribution = positionRatio × VaR(asset, 1 period), may not exceed
 * `maxVarRatio` of equity. positionRatio is the candidate's notional / equity; VaR is the positive
 * loss fraction from `core/var` (historical 95 % by default there); a negative VaR (the tail is a
 * gain) counts as 0.
 *
 * Default budget 1 % of equity per position. Why: heat (30 %) and the per-asset cap (10 %) allow
 * about three full positions; at 1 % each, even perfectly correlated 1-in-20 days cost ≈ 3 %, below
 * the 5 % daily drawdown that halts trading. With BTC's daily 95 % VaR around 3–5 %, a 10 % position
 * uses 0.3–0.5 %, so the budget binds only in high-volatility regimes or for volatile assets.
 *
 * Missing VaR (not enough history): `onMissingVar: 'pass'` (default) lets the entry through and says
 * so; `'reject'` refuses it (`var_unavailable`). An over-budget candidate is resized to
 * maxVarRatio / VaR of equity (unless `allowResize` is false), else rejected (`var_budget`).
 *
 * Docs:
 * ```
 * varBudget  { maxVarRatio: 0.01, onMissingVar: "pass" | "reject", allowResize: true, minPositionRatio: 0.001 }
 *   value = quantity × entry / equity × VaR, limit = 0.01.
 * ```
 */
import { z } from 'zod';
import type { RiskGate } from '../RiskGate.js';
import { fitQuantity, pct } from '../fitQuantity.js';
import { DEFAULT_RESIZE, resizeConfigFields } from '../resizeConfigSchema.js';

export const VarBudgetConfigSchema = z.object({
	maxVarRatio: z.number().gt(0).max(1),
	onMissingVar: z.enum(['pass', 'reject']),
	...resizeConfigFields,
});
export type VarBudgetConfig = z.infer<typeof VarBudgetConfigSchema>;

export const varBudget: RiskGate<VarBudgetConfig> = {
	name: 'varBudget',
	description: "A position's VaR contribution (size × 1-period VaR) at most 1 % of equity",
	configSchema: VarBudgetConfigSchema,
	defaults: { maxVarRatio: 0.01, onMissingVar: 'pass', ...DEFAULT_RESIZE },
	evaluate(ctx, config) {
		const { candidate, equity } = ctx;
		const base = { name: 'varBudget', limit: config.maxVarRatio };
		const varRatio = ctx.varPerPositionRatio;
		if (varRatio === null || varRatio === undefined || !Number.isFinite(varRatio)) {
			return config.onMissingVar === 'pass'
				? {
						...base,
						passed: true,
						value: null,
						detail: 'VaR of the asset unknown (not enough history): budget not checked',
				  }
				: {
						...base,
						passed: false,
						value: null,
						action: 'reject',
						reasonCode: 'var_unavailable',
						detail: 'VaR of the asset unknown and onMissingVar is "reject"',
				  };
		}
		const loss = Math.max(0, varRatio);
		const contributionAt = (q: number) => ((q * candidate.entry) / equity) * loss;
		const maxQuantity = loss > 0 ? (config.maxVarRatio / loss) * (equity / candidate.entry) : Number.POSITIVE_INFINITY;
		const fit = fitQuantity(candidate.quantity, maxQuantity, candidate.entry, equity, config);
		const text = (q: number) =>
			`${pct((q * candidate.entry) / equity)} of equity × VaR ${pct(loss)} = ${pct(contributionAt(q))}`;
		if (fit.kind === 'fits')
			return {
				...base,
				passed: true,
				value: contributionAt(candidate.quantity),
				detail: `${text(candidate.quantity)} ≤ ${pct(config.maxVarRatio)}`,
			};
		if (fit.kind === 'resize') {
			return {
				...base,
				passed: true,
				action: 'resize',
				resizedQuantity: fit.quantity,
				value: contributionAt(fit.quantity),
				detail: `${text(candidate.quantity)} > ${pct(config.maxVarRatio)}; resized to ${text(fit.quantity)}`,
			};
		}
		return {
			...base,
			passed: false,
			action: 'reject',
			reasonCode: 'var_budget',
			value: contributionAt(candidate.quantity),
			detail: `${text(candidate.quantity)} > ${pct(config.maxVarRatio)}`,
		};
	},
};
