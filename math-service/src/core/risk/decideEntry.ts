/**
 * @module risk/decideEntry
 * The whole "Risk Sizer" decision for one approved signal, as one pure call: Kelly inputs →
 * fractional Kelly (core/kelly) → size (`sizePosition`) → risk gates (`evaluateRiskGates`) →
 * receipt. The route and the n8n node both call this; storage, the LLM cross-check and Telegram
 * only read the receipt.
 *
 * Receipt: status and reason, final size (% of equity, quantity, notional), entry/stop/target,
 * reward/risk, the Kelly numbers and where they came from, every gate with its value and limit,
 * and `haltUntilMs` when this decision triggered the daily halt (persist it).
 */
import { kellyPosition } from '../kelly/index.js';
import { evaluateRiskGates } from './evaluateRiskGates.js';
import type { KellyInputsFromTrades } from './kellyInputsFromTrades.js';
import type { OpenPosition, RiskGateResult, RiskReasonCode } from './RiskGate.js';
import type { RiskGateConfigs } from './riskGates.js';
import { sizePosition } from './sizePosition.js';

export interface AccountState {
	equity: number;
	cash: number;
	openPositions: OpenPosition[];
	dayStartEquity: number;
	haltUntilMs: number | null;
}

export interface DecideEntryInput {
	nowMs: number;
	state: AccountState;
	signal: { symbol: string; entry: number; stop: number; target: number };
	/** From `kellyInputsFromTrades` (or a prior with `source: 'prior'`). */
	kelly: KellyInputsFromTrades;
	/** Multiplier on full Kelly, default 0.25. */
	kellyMultiplier?: number;
	/** Largest position from Kelly, fraction of equity, default 0.10. */
	capRatio?: number;
	varPerPositionRatio?: number | null;
	gateConfigs?: RiskGateConfigs;
}

export interface DecisionReceipt {
	status: 'approved' | 'rejected';
	reasonCode: RiskReasonCode | null;
	reason: string;
	symbol: string;
	entry: number;
	stop: number;
	target: number;
	rewardRisk: number | null;
	/** Final size, 0 when rejected. */
	positionPct: number;
	positionRatio: number;
	quantity: number;
	notional: number;
	/** Size before the gates' resizes. */
	requestedPositionPct: number;
	resized: boolean;
	kelly: {
		source: 'recorded' | 'prior';
		n: number;
		winRate: number;
		avgWin: number;
		avgLoss: number;
		kellyFraction: number;
		fractionalKelly: number;
		multiplier: number;
		capRatio: number;
		note: string;
	};
	gates: RiskGateResult[];
	haltUntilMs: number | null;
}

export function decideEntry(input: DecideEntryInput): DecisionReceipt {
	const multiplier = input.kellyMultiplier ?? 0.25;
	const capRatio = input.capRatio ?? 0.1;
	const { kelly, signal, state } = input;
	const sized = kellyPosition({
		winRate: kelly.winRate,
		avgWin: kelly.avgWin,
		avgLoss: kelly.avgLoss,
		fraction: multiplier,
		cap: capRatio,
	});
	const size = sizePosition({
		equity: state.equity,
		entry: signal.entry,
		stop: signal.stop,
		target: signal.target,
		kellyPositionRatio: sized.fractionalKelly,
		capRatio,
	});
	const decision = evaluateRiskGates(
		{
			...state,
			nowMs: input.nowMs,
			candidate: { ...signal, positionRatio: size.positionRatio, quantity: size.quantity },
			varPerPositionRatio: input.varPerPositionRatio ?? null,
		},
		input.gateConfigs,
	);
	return {
		status: decision.status,
		reasonCode: decision.reasonCode,
		reason: decision.reason,
		...signal,
		rewardRisk: size.rewardRisk,
		positionPct: decision.positionPct,
		positionRatio: decision.positionRatio,
		quantity: decision.quantity,
		notional: decision.notional,
		requestedPositionPct: size.positionPct,
		resized: decision.resized,
		kelly: {
			source: kelly.source,
			n: kelly.n,
			winRate: kelly.winRate,
			avgWin: kelly.avgWin,
			avgLoss: kelly.avgLoss,
			kellyFraction: sized.kellyFraction,
			fractionalKelly: sized.fractionalKelly,
			multiplier,
			capRatio,
			note: kelly.note,
		},
		gates: decision.results,
		haltUntilMs: decision.haltUntilMs,
	};
}
