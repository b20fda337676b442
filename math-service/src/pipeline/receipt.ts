/**
 * @module pipeline/receipt
 * The decision receipt's wire shapes and the one response every decision endpoint returns:
 * `{status, reason_code, reason, decision_id, alert_id, duplicate, gates, receipt}`. The receipt
 * is stored as JSON with the decision, so a repeat delivery, `GET /v1/decisions/:id` and the first
 * answer are byte-for-byte the same apart from `duplicate`.
 */
import type { RiskGateResult } from '../core/risk/RiskGate.js';
import type { Decision } from '../storage/schema.js';

/** One gate on the receipt: measured value vs limit (null when not numeric or undefined). */
export interface ReceiptGate {
	name: string;
	passed: boolean;
	value: number | null;
	limit: number | null;
	detail: string;
	reason_code?: string;
	action?: string;
}

export function decisionGate(g: ReceiptGate): ReceiptGate {
	return g;
}

export function riskGateToReceipt(r: RiskGateResult): ReceiptGate {
	const out: ReceiptGate = {
		name: r.name,
		passed: r.passed,
		value: r.value === null || Number.isFinite(r.value) ? r.value : null,
		limit: Number.isFinite(r.limit) ? r.limit : null,
		detail: r.detail,
	};
	if (r.reasonCode) out.reason_code = r.reasonCode;
	if (r.action) out.action = r.action;
	return out;
}

export interface DecisionResponse {
	status: 'approved' | 'rejected';
	reason_code: string;
	reason: string;
	decision_id: number;
	alert_id: string;
	signal_id: number | null;
	duplicate: boolean;
	mode: 'PAPER' | 'LIVE';
	gates: ReceiptGate[];
	receipt: Record<string, unknown>;
}

/**
 * The API answer for a stored decision. `made` is the receipt of a decision made just now (what
 * `decision.receiptJson` holds, still as an object): the answer is then built without parsing the
 * JSON back, and reads the same (a copy, so the caller's object is left as it was).
 */
export function decisionResponse(decision: Decision, duplicate: boolean, made?: Record<string, unknown>): DecisionResponse {
	let receipt: Record<string, unknown> = {};
	if (made !== undefined) receipt = { ...made };
	else {
		try {
			const parsed = JSON.parse(decision.receiptJson) as unknown;
			if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) receipt = parsed as Record<string, unknown>;
		} catch {
			receipt = {};
		}
	}
	receipt.decision_id = decision.id;
	return {
		status: decision.status,
		reason_code: decision.reasonCode,
		reason: typeof receipt.reason === 'string' ? receipt.reason : decision.reasonCode,
		decision_id: decision.id,
		alert_id: decision.alertId,
		signal_id: decision.signalId,
		duplicate,
		mode: receipt.mode === 'LIVE' ? 'LIVE' : 'PAPER',
		gates: Array.isArray(receipt.gates) ? (receipt.gates as ReceiptGate[]) : [],
		receipt,
	};
}

/** A receipt as stored (`json`) and its `gates` array's JSON, which the answer repeats at the top. */
export interface ReceiptText {
	json: string;
	gatesJson: string;
}

/** JSON of the frozen objects receipts share (thresholdsToWire): they cannot change, so they are serialised once. */
const frozenJson = new WeakMap<object, string>();

function valueJson(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value);
	let text = frozenJson.get(value);
	if (text === undefined) {
		text = JSON.stringify(value);
		frozenJson.set(value, text);
	}
	return text;
}

/**
 * JSON.stringify(receipt), with the gates serialised once so the answer can reuse them: the same
 * text, key for key (keys in order, undefined values left out). Built key by key, so a frozen
 * value shared by many receipts (the thresholds; deep-frozen by their maker) is serialised once.
 */
export function stringifyReceipt(receipt: Record<string, unknown>): ReceiptText {
	const gates = receipt.gates;
	const gatesJson = Array.isArray(gates) ? JSON.stringify(gates) : '[]';
	let json = '{';
	for (const key of Object.keys(receipt)) {
		const text = key === 'gates' && Array.isArray(gates) ? gatesJson : valueJson(receipt[key]);
		if (text === undefined) continue;
		json += `${json.length > 1 ? ',' : ''}${JSON.stringify(key)}:${text}`;
	}
	return { json: `${json}}`, gatesJson };
}

/**
 * The API answer of a decision made just now as JSON text, assembled from its stored receipt text:
 * the same text as JSON.stringify(decisionResponse(decision, duplicate, receipt)) without
 * serialising the receipt a second time.
 */
export function decisionResponseText(decision: Decision, duplicate: boolean, receipt: Record<string, unknown>, text: ReceiptText): string {
	const reason = typeof receipt.reason === 'string' ? receipt.reason : decision.reasonCode;
	const json = text.json;
	const receiptWithId = json.length > 2 ? `${json.slice(0, -1)},"decision_id":${decision.id}}` : `{"decision_id":${decision.id}}`;
	return (
		`{"status":${JSON.stringify(decision.status)},"reason_code":${JSON.stringify(decision.reasonCode)},"reason":${JSON.stringify(reason)},` +
		`"decision_id":${decision.id},"alert_id":${JSON.stringify(decision.alertId)},"signal_id":${JSON.stringify(decision.signalId)},"duplicate":${duplicate},` +
		`"mode":"${receipt.mode === 'LIVE' ? 'LIVE' : 'PAPER'}","gates":${text.gatesJson},"receipt":${receiptWithId}}`
	);
}
