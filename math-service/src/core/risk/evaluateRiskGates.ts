/**
 * @module risk/evaluateRiskGates
 * The seed's risk framework applied to one entry candidate against the account's state. Pure: the
 * caller passes the state (equity, cash, open positions, day-start equity, active halt) and `nowMs`.
 *
 * 1. The context is validated (`InvalidInputError` on NaN, negative prices, bad symbols).
 * 2. `sizing`: a candidate needs equity > 0 (`no_equity`) and quantity > 0 (`zero_size`, e.g.
 *    Kelly found no edge).
 * 3. Every gate runs (with equity ≤ 0 only the halt and time stop), in registry order, so the receipt shows all numbers. A `resize` shrinks the
 *    candidate seen by the following gates; `reject` and `halt` fail the decision. The first failure
 *    gives `reasonCode`. A `halt` result carries `haltUntilMs`, returned for the caller to persist.
 *
 * The final size is the candidate after all resizes (0 when rejected). Every limit is an upper bound
 * that grows with quantity, so later shrinking never breaks an earlier gate.
 *
 * @example
 * const decision = evaluateRiskGates({ ...state, nowMs, candidate }, { portfolioHeat: { maxHeatRatio: 0.25 } });
 * if (decision.haltUntilMs !== null) await store.setHalt(decision.haltUntilMs);
 */
import {
	type RiskCandidate,
	type RiskGate,
	type RiskGateContext,
	type RiskGateResult,
	type RiskReasonCode,
} from './RiskGate.js';
import { validateRiskGateContext } from './riskGateContextSchema.js';
import { DEFAULT_RISK_GATES, resolveRiskGateConfig, type RiskGateConfigs } from './riskGates.js';
import { pct } from './fitQuantity.js';

export interface RiskEvaluation {
	status: 'approved' | 'rejected';
	/** First failing gate's code; null when approved. */
	reasonCode: RiskReasonCode | null;
	reason: string;
	/** `sizing` first, then one result per gate in evaluation order. */
	results: RiskGateResult[];
	requestedQuantity: number;
	/** Final quantity after resizes; 0 when rejected. */
	quantity: number;
	/** quantity × entry, account currency. */
	notional: number;
	/** notional / equity (fraction). */
	positionRatio: number;
	/** positionRatio × 100 (0–100). */
	positionPct: number;
	resized: boolean;
	/** A halt triggered by this evaluation (persist it), else null. An already active halt is not repeated. */
	haltUntilMs: number | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous config types
type ResolvedGates = (readonly [RiskGate<any>, unknown])[];
const resolvedByConfigs = new WeakMap<RiskGateConfigs, ResolvedGates>();

/** Each gate with its validated config; frozen configs (shared, unchangeable) are validated once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous config types
function resolvedGates(gates: readonly RiskGate<any>[], configs: RiskGateConfigs): ResolvedGates {
	const cacheable = gates === DEFAULT_RISK_GATES && Object.isFrozen(configs);
	const cached = cacheable ? resolvedByConfigs.get(configs) : undefined;
	if (cached) return cached;
	const resolved = gates.map((gate) => [gate, resolveRiskGateConfig(gate, (configs as Record<string, unknown>)[gate.name])] as const);
	if (cacheable) resolvedByConfigs.set(configs, resolved);
	return resolved;
}

export function evaluateRiskGates(
	context: RiskGateContext,
	configs: RiskGateConfigs = {},
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous config types
	gates: readonly RiskGate<any>[] = DEFAULT_RISK_GATES,
): RiskEvaluation {
	const ctx = validateRiskGateContext(context);
	const resolved = resolvedGates(gates, configs);

	const requestedQuantity = ctx.candidate.quantity;
	const ratioOf = (q: number) => (ctx.equity > 0 ? (q * ctx.candidate.entry) / ctx.equity : 0);
	const sizingOk = ctx.equity > 0 && requestedQuantity > 0;
	const sizing: RiskGateResult = {
		name: 'sizing',
		passed: sizingOk,
		value: ratioOf(requestedQuantity),
		limit: 0,
		detail:
			ctx.equity <= 0
				? `equity ${ctx.equity} ≤ 0: nothing to size from`
				: requestedQuantity <= 0
				? 'position size 0: Kelly found no edge (or the cap is 0)'
				: `requested ${requestedQuantity} ${ctx.candidate.symbol.split('/')[0]} = ${pct(
						ratioOf(requestedQuantity),
				  )} of equity`,
		...(sizingOk
			? {}
			: { action: 'reject' as const, reasonCode: ctx.equity <= 0 ? ('no_equity' as const) : ('zero_size' as const) }),
	};
	const results: RiskGateResult[] = [sizing];

	let candidate: RiskCandidate = ctx.candidate;
	let haltUntilMs: number | null = null;
	for (const [gate, config] of resolved) {
		// With no equity the ratios are undefined; only the halts and the time stop still say something.
		if (ctx.equity <= 0 && gate.name !== 'dailyDrawdownHalt' && gate.name !== 'operatorHalt' && gate.name !== 'timeStop') continue;
		const result = gate.evaluate({ ...ctx, candidate }, config);
		results.push(result);
		if (result.action === 'halt' && result.haltUntilMs !== undefined) haltUntilMs = result.haltUntilMs;
		if (
			result.action === 'resize' &&
			result.resizedQuantity !== undefined &&
			result.resizedQuantity < candidate.quantity
		) {
			candidate = { ...candidate, quantity: result.resizedQuantity, positionRatio: ratioOf(result.resizedQuantity) };
		}
	}

	const failure = results.find((r) => !r.passed);
	const approved = failure === undefined;
	const quantity = approved ? candidate.quantity : 0;
	const notional = quantity * candidate.entry;
	const positionRatio = ratioOf(quantity);
	return {
		status: approved ? 'approved' : 'rejected',
		reasonCode: failure ? failure.reasonCode ?? null : null,
		reason: failure ? failure.detail : `all ${resolved.length} risk gates passed`,
		results,
		requestedQuantity,
		quantity,
		notional,
		positionRatio,
		positionPct: positionRatio * 100,
		resized: approved && quantity < requestedQuantity,
		haltUntilMs,
	};
}
