/**
 * @module risk
 * The seed's risk framework as plugins behind one interface (`RiskGate`), the registry
 * (`RISK_GATES`), the evaluator (`evaluateRiskGates`), Kelly-based sizing (`sizePosition`,
 * `kellyInputsFromTrades`) and the whole entry decision in one call (`decideEntry`). Pure: the caller
 * passes the account state and `nowMs`, and persists `haltUntilMs` when a decision returns one.
 */
export {
	baseAsset,
	LIMIT_EPSILON,
	type OpenPosition,
	type RiskCandidate,
	type RiskGate,
	type RiskGateContext,
	type RiskGateResult,
	type RiskReasonCode,
} from './RiskGate.js';
export {
	DEFAULT_RISK_GATE_CONFIGS,
	DEFAULT_RISK_GATES,
	RISK_GATES,
	resolveRiskGateConfig,
	resolveRiskGateConfigs,
	type ResolvedRiskGateConfigs,
	type RiskGateConfigOf,
	type RiskGateConfigs,
	type RiskGateName,
} from './riskGates.js';
export { evaluateRiskGates, type RiskEvaluation } from './evaluateRiskGates.js';
export {
	OpenPositionSchema,
	RiskCandidateSchema,
	RiskGateContextSchema,
	validateRiskGateContext,
} from './riskGateContextSchema.js';
export { sizePosition, type PositionSize, type SizePositionInput } from './sizePosition.js';
export {
	DEFAULT_KELLY_PRIOR,
	kellyInputsFromTrades,
	type KellyInputsFromTrades,
	type KellyInputsOptions,
	type RecordedTrade,
} from './kellyInputsFromTrades.js';
export { decideEntry, type AccountState, type DecideEntryInput, type DecisionReceipt } from './decideEntry.js';
export { dailyDrawdownHalt, type DailyDrawdownHaltConfig } from './gates/dailyDrawdownHalt.js';
export { operatorHalt, type OperatorHaltConfig } from './gates/operatorHalt.js';
export { panicSwitch, type PanicSwitchConfig } from './gates/panicSwitch.js';
export { minRewardRisk, rewardRiskRatio, type MinRewardRiskConfig } from './gates/minRewardRisk.js';
export { maxPositionPerAsset, assetNotional, type MaxPositionPerAssetConfig } from './gates/maxPositionPerAsset.js';
export {
	portfolioHeat,
	openHeat,
	HEAT_BASES,
	type HeatBasis,
	type PortfolioHeatConfig,
} from './gates/portfolioHeat.js';
export { cashAvailable, type CashAvailableConfig } from './gates/cashAvailable.js';
export { varBudget, type VarBudgetConfig } from './gates/varBudget.js';
export {
	timeStop,
	positionsToTimeStop,
	DEFAULT_MAX_HOLD_MS,
	type TimeStopConfig,
	type TimeStoppedPosition,
} from './gates/timeStop.js';
