/**
 * @module pipeline/intakeSignal
 * Signal intake as a service: TradingView's raw body → an authenticated, normalised, stored signal.
 * Used by `POST /v1/signals/tradingview` (then the risk decision) and `POST /v1/signals/validate`
 * (the n8n Signal Intake node, which stops here).
 *
 * Order, and what each step may store (the route has already applied the rate limit, 429, and
 * the body size limit, 413):
 * 1. authenticate (IP allowlist when configured, the body's `secret` in constant time) → 401,
 *    nothing stored; before any validation, so a caller without the secret learns no schema detail;
 * 2. parse (text/plain or JSON, placeholders, fields) → `AlertParseError` 400/413/415/422, nothing stored;
 * 3. thresholds (query < body `thresholds`) → 422 naming the field, nothing stored;
 * 4. business gates (symbol, tiered whitelist, staleness) via core `evaluateIntake`;
 * 5. store the signal once per alert id (a repeat gets the first row); the secret is never stored;
 * 6. a business rejection is stored as a rejected decision right away (every alert gets an
 *    auditable answer); a repeat of an already decided alert returns that decision, `duplicate: true`.
 */
import { AlertParseError } from '../core/intake/AlertParseError.js';
import { deepFreeze } from '../core/deepFreeze.js';
import { extractSecret } from '../core/intake/extractSecret.js';
import { evaluateIntake, type IntakeGate, type NormalizedAlert } from '../core/intake/evaluateIntake.js';
import { isAllowedSourceIp, TRADINGVIEW_WEBHOOK_IPS } from '../core/intake/isAllowedSourceIp.js';
import { parseBodyJson } from '../core/intake/parseBodyJson.js';
import { parseTradingViewBody } from '../core/intake/parseTradingViewBody.js';
import { verifySecret } from '../core/intake/verifySecret.js';
import type { TradingViewAlert } from '../core/intake/tradingViewAlertSchema.js';
import { InvalidInputError } from '../errors.js';
import type { NewSignalRow } from '../storage/decisionStatements.js';
import type { Decision, Signal } from '../storage/schema.js';
import type { Pipeline } from './createPipeline.js';
import { log } from '../observability/logger.js';
import { countDecision, countIntakeRejection } from '../observability/serviceMetrics.js';
import { decisionGate, type ReceiptGate } from './receipt.js';
import { intakeConfigOf, resolveThresholds, ThresholdsSchema, thresholdsFromQuery, thresholdsToWire, type Thresholds } from './thresholds.js';

export interface IntakeRequest {
	rawBody: string;
	contentType: string | undefined;
	sourceIp?: string;
	/** Query parameters (threshold overrides). */
	query?: Record<string, string>;
	/** The service's own signal scan (pipeline/scanSignals): no network source, so the IP allowlist does not apply; the secret still does. */
	internal?: boolean;
}

export type IntakeSignalResult =
	| { kind: 'unauthorized'; reasonCode: 'bad_secret' | 'ip_not_allowed'; reason: string }
	| {
			kind: 'accepted' | 'rejected';
			alertId: string;
			signal: Signal;
			normalized: NormalizedAlert | null;
			gates: ReceiptGate[];
			thresholds: Thresholds;
			/** The decision already stored for this alert (a rejection made now, or an earlier decision). */
			decision: Decision | null;
			/** True when the signal was stored by an earlier delivery (and this request made no new decision). */
			duplicate: boolean;
	  };

/** A 422 on the thresholds, FastAPI-shaped by the route. */
export class ThresholdsError extends InvalidInputError {}

/**
 * The `thresholds` object of a JSON body, if any (the alert schema ignores unknown keys). The body
 * is read only when it can hold that key: its text names it, or it has a \u escape that could spell it.
 */
function bodyThresholds(rawBody: string): unknown {
	if (!rawBody.includes('thresholds') && !rawBody.includes('\\u')) return undefined;
	// parseTradingViewBody already accepted the body: this is its parse, not a second one.
	const json = parseBodyJson(rawBody.replace(/^\uFEFF/, '').trim());
	const parsed = json.ok ? json.value : undefined;
	if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.prototype.hasOwnProperty.call(parsed, 'thresholds')) {
		return (parsed as { thresholds: unknown }).thresholds;
	}
	return undefined;
}

/** Resolved thresholds by their wire input (query + body), so a repeated configuration is validated once. */
const resolvedCache = new Map<string, Thresholds>();
const RESOLVED_CACHE_SIZE = 256;
let defaults: Thresholds | undefined;

/**
 * Merges query and body threshold overrides and validates them; throws ThresholdsError (422).
 * The result is shared between requests with the same input and frozen (it is only read).
 */
export function readThresholds(query: Record<string, string>, body: unknown, loc: (string | number)[] = ['body', 'thresholds']): Thresholds {
	if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
		throw new ThresholdsError('thresholds must be an object', loc);
	}
	const noQuery = isEmpty(query);
	if (noQuery && body === undefined) return (defaults ??= deepFreeze(resolveThresholds({})));
	const key = `${noQuery ? '' : JSON.stringify(query)}\u0000${body === undefined ? '' : JSON.stringify(body)}\u0000${loc.join('.')}`;
	const cached = resolvedCache.get(key);
	if (cached !== undefined) return cached;
	const resolved = deepFreeze(validateThresholds(query, body, loc));
	if (resolvedCache.size >= RESOLVED_CACHE_SIZE) resolvedCache.delete(resolvedCache.keys().next().value!);
	resolvedCache.set(key, resolved);
	return resolved;
}

function validateThresholds(query: Record<string, string>, body: unknown, loc: (string | number)[]): Thresholds {
	const fromQuery = ThresholdsSchema.safeParse(thresholdsFromQuery(query));
	if (!fromQuery.success) {
		const issue = fromQuery.error.issues[0]!;
		throw new ThresholdsError(`thresholds ${issue.path.join('.')}: ${issue.message}`, ['query', ...(issue.path as (string | number)[])]);
	}
	const merged = { ...fromQuery.data, ...(body as object | undefined) };
	const parsed = ThresholdsSchema.safeParse(merged);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new ThresholdsError(`thresholds ${issue.path.join('.')}: ${issue.message}`, [...loc, ...(issue.path as (string | number)[])]);
	}
	return resolveThresholds(parsed.data);
}

function isEmpty(o: object): boolean {
	for (const _ in o) return false;
	return true;
}

/** The stored alert id: TradingView's alert_id as sent, else the content hash key. */
export function storedAlertId(key: string): string {
	return key.startsWith('id:') ? key.slice(3) : key;
}

/** The alert as stored in signals.payload_json: every field but the secret. */
function storedPayload(alert: TradingViewAlert, normalized: NormalizedAlert | null) {
	const { secret: _secret, ...rest } = alert;
	return { alert: rest, normalized };
}

/** An alert read, authenticated and checked in memory (nothing stored yet). */
export type AlertReading =
	| { kind: 'unauthorized'; reasonCode: 'bad_secret' | 'ip_not_allowed'; reason: string }
	| {
			kind: 'accepted' | 'rejected';
			alertId: string;
			normalized: NormalizedAlert | null;
			gates: ReceiptGate[];
			thresholds: Thresholds;
			/** The signal row to store (every field but the secret). */
			signalRow: NewSignalRow;
			/** A business rejection at intake, stored as the decision with this receipt (given the stored signal). */
			rejection: ((signal: Signal) => { reasonCode: string; receipt: Record<string, unknown> }) | null;
	  };

/** Steps 1–4: parse, authenticate, thresholds and the business gates, without touching storage. */
export function readAlert(p: Pipeline, req: IntakeRequest): AlertReading {
	const nowMs = p.now();
	const secret = p.settings.webhookSecret;

	// Authenticate before parsing the alert or its thresholds, so a stranger learns nothing from a
	// 400/415/422 (evaluateIntake repeats both checks on the parsed alert; the secret only when the
	// parsed one differs from the one verified here).
	const allowlist = p.settings.ipAllowlist;
	if (allowlist !== null && req.internal !== true && !isAllowedSourceIp(req.sourceIp, allowlist === 'tradingview' ? TRADINGVIEW_WEBHOOK_IPS : allowlist)) {
		return { kind: 'unauthorized', reasonCode: 'ip_not_allowed', reason: 'source address is not in the webhook IP allowlist' };
	}
	const givenSecret = typeof req.rawBody === 'string' ? extractSecret(req.rawBody) : undefined;
	if (givenSecret === undefined || !verifySecret(givenSecret, secret)) {
		return { kind: 'unauthorized', reasonCode: 'bad_secret', reason: 'missing or wrong secret' };
	}
	const alert = parseTradingViewBody(req.rawBody, req.contentType);

	const thresholds = readThresholds(req.query ?? {}, bodyThresholds(req.rawBody));
	const outcome = evaluateIntake(alert, intakeConfigOf(thresholds, secret, req.internal === true ? null : allowlist), nowMs, { sourceIp: req.sourceIp, verifiedSecret: givenSecret });
	if (outcome.status === 'unauthorized') return { kind: 'unauthorized', reasonCode: outcome.reasonCode, reason: outcome.reason };

	const alertId = storedAlertId(outcome.key);
	const normalized = outcome.normalized;
	const gates = outcome.gates.map((g) => intakeGateToReceipt(g, alert.timeMs, nowMs, thresholds, normalized));
	const signalRow: NewSignalRow = {
		alertId,
		source: 'tradingview',
		symbol: (normalized?.symbol ?? alert.ticker.trim().toUpperCase()).slice(0, 64),
		action: alert.action,
		payloadJson: JSON.stringify(storedPayload(alert, normalized)),
		receivedAt: nowMs,
		signalTime: alert.timeMs,
	};
	const rejection =
		outcome.status !== 'rejected'
			? null
			: (signal: Signal) => ({
					reasonCode: outcome.reasonCode!,
					receipt: {
						status: 'rejected',
						reason_code: outcome.reasonCode,
						reason: outcome.reason,
						mode: p.config.mode,
						alert_id: alertId,
						signal_id: signal.id,
						symbol: signal.symbol,
						action: alert.action,
						strategy: thresholds.strategy,
						entry: alert.close,
						stop: alert.stop,
						target: alert.target,
						gates,
						thresholds: thresholdsToWire(thresholds),
						notes: normalized?.notes ?? [],
						decided_at: new Date(nowMs).toISOString(),
					} as Record<string, unknown>,
				});
	return { kind: outcome.status === 'approved' ? 'accepted' : 'rejected', alertId, normalized, gates, thresholds, signalRow, rejection };
}

/** Intake (POST /v1/signals/validate), counted for GET /metrics: refusals and rejections by reason, new rejection decisions. */
export async function intakeSignal(p: Pipeline, req: IntakeRequest): Promise<IntakeSignalResult> {
	try {
		const r = await intakeSignalUncounted(p, req);
		if (r.kind === 'unauthorized') countRefusal(r.reasonCode, r.reason, req.sourceIp);
		else if (r.kind === 'rejected') {
			countIntakeRejection(r.decision?.reasonCode ?? 'rejected');
			if (r.decision !== null && !r.duplicate) countDecision(r.decision);
		}
		return r;
	} catch (error) {
		countParseFailure(error);
		throw error;
	}
}

/** A refused alert (wrong secret, address not allowed): counted and logged without its body. */
export function countRefusal(reasonCode: string, reason: string, sourceIp: string | null | undefined): void {
	countIntakeRejection(reasonCode);
	log.warn({ reasonCode, sourceIp }, `alert refused: ${reason}`);
}

/** An alert that could not be read (malformed body, bad thresholds), counted by reason. */
export function countParseFailure(error: unknown): void {
	if (error instanceof AlertParseError) countIntakeRejection(error.reasonCode);
	else if (error instanceof ThresholdsError) countIntakeRejection('invalid_thresholds');
}

async function intakeSignalUncounted(p: Pipeline, req: IntakeRequest): Promise<IntakeSignalResult> {
	const reading = readAlert(p, req);
	if (reading.kind === 'unauthorized') return reading;
	const { alertId, signalRow, rejection } = reading;
	const storage = p.storage;
	// A repeat delivery (the common case under retries) is answered from two reads, no failed insert.
	const seen = await storage.signals.getByAlertId(alertId);
	const { inserted, signal } =
		seen !== null
			? { inserted: false, signal: seen }
			: await storage.signals.insert({
					alertId,
					source: signalRow.source,
					symbol: signalRow.symbol,
					action: signalRow.action,
					payload: JSON.parse(signalRow.payloadJson) as unknown,
					receivedAt: signalRow.receivedAt,
					signalTime: signalRow.signalTime,
				});

	let decision = await storage.decisions.getByAlertId(alertId);
	let duplicate = !inserted;
	if (rejection !== null && decision === null) {
		const { reasonCode, receipt } = rejection(signal);
		const result = await storage.decisions.insert({ signalId: signal.id, alertId, status: 'rejected', reasonCode, symbol: signal.symbol, receipt, createdAt: signalRow.receivedAt });
		decision = result.decision;
		duplicate = !result.inserted;
	}
	return { kind: reading.kind, alertId, signal, normalized: reading.normalized, gates: reading.gates, thresholds: reading.thresholds, decision, duplicate };
}

function intakeGateToReceipt(g: IntakeGate, alertTimeMs: number, nowMs: number, t: Thresholds, n: NormalizedAlert | null): ReceiptGate {
	if (g.name === 'staleness') {
		return decisionGate({ name: 'staleness', passed: g.passed, value: (nowMs - alertTimeMs) / 1000, limit: t.maxLagMs / 1000, detail: g.detail });
	}
	if (g.name === 'whitelist') {
		return decisionGate({ name: 'whitelist', passed: g.passed, value: g.passed ? n?.tier ?? null : null, limit: null, detail: g.detail });
	}
	return decisionGate({ name: g.name, passed: g.passed, value: null, limit: null, detail: g.detail });
}

export { AlertParseError };
