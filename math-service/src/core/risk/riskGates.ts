/**
 * @module risk/riskGates
 * The registry of risk gates, by name, in evaluation order. Order matters only for resizes: rejecting
 * gates come first, then the size limits, each seeing the candidate as shrunk by the ones before it.
 * Adding a gate: one file in `gates/` implementing `RiskGate`, one line here, a test, a docs entry.
 */
import { InvalidInputError } from '../../errors.js';
import type { RiskGate } from './RiskGate.js';
import { cashAvailable } from './gates/cashAvailable.js';
import { dailyDrawdownHalt } from './gates/dailyDrawdownHalt.js';
import { maxPositionPerAsset } from './gates/maxPositionPerAsset.js';
import { minRewardRisk } from './gates/minRewardRisk.js';
import { operatorHalt } from './gates/operatorHalt.js';
import { panicSwitch } from './gates/panicSwitch.js';
import { portfolioHeat } from './gates/portfolioHeat.js';
import { timeStop } from './gates/timeStop.js';
import { varBudget } from './gates/varBudget.js';

export const RISK_GATES = {
	dailyDrawdownHalt,
	operatorHalt,
	panicSwitch,
	minRewardRisk,
	maxPositionPerAsset,
	portfolioHeat,
	cashAvailable,
	varBudget,
	timeStop,
} as const;

export type RiskGateName = keyof typeof RISK_GATES;
export type RiskGateConfigOf<K extends RiskGateName> = (typeof RISK_GATES)[K]['defaults'];
/** Per-gate overrides of the defaults, e.g. `{ portfolioHeat: { heatBasis: 'risk_to_stop', maxHeatRatio: 0.08 } }`. */
export type RiskGateConfigs = { [K in RiskGateName]?: Partial<RiskGateConfigOf<K>> };
export type ResolvedRiskGateConfigs = { [K in RiskGateName]: RiskGateConfigOf<K> };

/** Every registered gate, in evaluation order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous config types
export const DEFAULT_RISK_GATES: readonly RiskGate<any>[] = Object.values(RISK_GATES);

/** Defaults of every gate (the seed's risk table). */
export const DEFAULT_RISK_GATE_CONFIGS = Object.fromEntries(
	Object.entries(RISK_GATES).map(([name, gate]) => [name, gate.defaults]),
) as ResolvedRiskGateConfigs;

/** Overrides merged over each gate's defaults and validated; throws `InvalidInputError` naming the gate and field. */
export function resolveRiskGateConfig<C>(gate: RiskGate<C>, override: unknown): C {
	if (override !== undefined && (override === null || typeof override !== 'object' || Array.isArray(override))) {
		throw new InvalidInputError(`risk gate ${gate.name}: config must be an object`, ['gates', gate.name]);
	}
	if (override === undefined) return gate.defaults; // defaults are valid by construction (tested)
	const result = gate.configSchema.safeParse({ ...gate.defaults, ...(override as object) });
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const path = issue.path as (string | number)[];
		throw new InvalidInputError(`risk gate ${gate.name}.${path.join('.')}: ${issue.message}`, [
			'gates',
			gate.name,
			...path,
		]);
	}
	return result.data;
}

/** All registered gates' configs with `configs` applied, validated. Unknown gate names throw. */
export function resolveRiskGateConfigs(configs: RiskGateConfigs = {}): ResolvedRiskGateConfigs {
	for (const name of Object.keys(configs)) {
		if (!(name in RISK_GATES)) {
			throw new InvalidInputError(`unknown risk gate "${name}"; known: ${Object.keys(RISK_GATES).join(', ')}`, [
				'gates',
				name,
			]);
		}
	}
	return Object.fromEntries(
		Object.entries(RISK_GATES).map(([name, gate]) => [
			name,
			resolveRiskGateConfig(gate as RiskGate<unknown>, configs[name as RiskGateName]),
		]),
	) as ResolvedRiskGateConfigs;
}
