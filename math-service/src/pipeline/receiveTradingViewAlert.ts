/**
 * @module pipeline/receiveTradingViewAlert
 * The one-stop path TradingView (or n8n's Webhook node) calls: intake (parse, authenticate,
 * whitelist, staleness) in memory, then one step in the decision batch (pipeline/decisionBatch):
 * store the signal, and store either the intake rejection or the risk decision, in the same
 * savepoint. Every delivery of one alert id gets the same decision; only the first can open a paper
 * position.
 */
import type { Pipeline } from './createPipeline.js';
import { decideOnce } from './decide.js';
import { countParseFailure, countRefusal, readAlert, type IntakeRequest } from './intakeSignal.js';
import { countIntakeRejection } from '../observability/serviceMetrics.js';
import { decisionResponse, decisionResponseText, type DecisionResponse } from './receipt.js';

export type ReceiveResult =
	| { kind: 'unauthorized'; reasonCode: string; reason: string }
	| {
			kind: 'decided';
			response: DecisionResponse;
			/** The response as JSON text (JSON.stringify(response)), when it could be assembled from the stored receipt text. */
			body?: string;
	  };

export async function receiveTradingViewAlert(p: Pipeline, req: IntakeRequest): Promise<ReceiveResult> {
	let reading: ReturnType<typeof readAlert>;
	try {
		reading = readAlert(p, req);
	} catch (error) {
		countParseFailure(error);
		throw error;
	}
	if (reading.kind === 'unauthorized') {
		countRefusal(reading.reasonCode, reading.reason, req.sourceIp);
		return reading;
	}
	const { decision, duplicate, receipt, receiptText } = await decideOnce(p, {
		alertId: reading.alertId,
		signal: reading.signalRow,
		normalized: reading.normalized,
		thresholds: reading.thresholds,
		intakeGates: reading.gates,
		intakeRejection: reading.rejection,
	});
	if (reading.kind === 'rejected') countIntakeRejection(decision.reasonCode ?? 'rejected');
	if (receipt === undefined || receiptText === undefined) return { kind: 'decided', response: decisionResponse(decision, duplicate, receipt) };
	// The route answers with `body`; the object form is built only when someone reads it.
	let response: DecisionResponse | undefined;
	return {
		kind: 'decided',
		get response() {
			return (response ??= decisionResponse(decision, duplicate, receipt));
		},
		body: decisionResponseText(decision, duplicate, receipt, receiptText),
	};
}
