/**
 * @module pipeline/receiveTradingViewAlert
 * The one-stop path TradingView (or n8n's Webhook node) calls: intake (parse, authenticate,
 * whitelist, staleness, store the signal) then, for an accepted alert, the risk decision. Every
 * delivery of one alert id gets the same decision; only the first can open a paper position.
 */
import type { Pipeline } from './createPipeline.js';
import { decide } from './decide.js';
import { intakeSignal, type IntakeRequest } from './intakeSignal.js';
import { decisionResponse, type DecisionResponse } from './receipt.js';

export type ReceiveResult = { kind: 'unauthorized'; reasonCode: string; reason: string } | { kind: 'decided'; response: DecisionResponse };

export async function receiveTradingViewAlert(p: Pipeline, req: IntakeRequest): Promise<ReceiveResult> {
	const intake = await intakeSignal(p, req);
	if (intake.kind === 'unauthorized') return intake;
	if (intake.decision !== null) return { kind: 'decided', response: decisionResponse(intake.decision, intake.duplicate) };
	// Accepted at intake (a rejection always has its decision stored by intakeSignal).
	const { decision, duplicate } = await decide(p, { signal: intake.signal, normalized: intake.normalized!, thresholds: intake.thresholds, intakeGates: intake.gates, knownUndecided: true });
	return { kind: 'decided', response: decisionResponse(decision, duplicate) };
}
