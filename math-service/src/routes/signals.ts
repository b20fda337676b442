/**
 * @module routes/signals
 * `POST /v1/signals/tradingview`: TradingView's raw webhook body (application/json or text/plain)
 * → authenticated, de-duplicated, whitelisted, fresh → the risk decision (pipeline/decide), in one
 * call. `POST /v1/signals/validate`: the same intake for the n8n Signal Intake node, storing the
 * signal (and a rejection) but not deciding; the Risk Sizer node then calls `POST /v1/decisions`.
 *
 * Status codes: 200 for every business outcome (approved, rejected: stored as a decision);
 * 429 + Retry-After over the per-address rate limit and 413 over the alert size limit
 * (`/tradingview`, http/intakeGuard); 401 `{detail}` for a wrong secret or source IP, before the
 * body is validated (nothing stored); then 400 / 413 / 415 / 422 for a body that is not an alert
 * (nothing stored), `{detail, reason_code}`; 422 for bad thresholds.
 * The bodies are read as text, not through a JSON validator, because TradingView sends text/plain.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from '../appDeps';
import { AlertParseError } from '../core/intake/AlertParseError';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { requestClientAddress } from '../http/intakeGuard';
import { pipelineFor } from '../pipeline/createPipeline';
import { intakeSignal, ThresholdsError, type IntakeRequest } from '../pipeline/intakeSignal';
import { decisionResponse } from '../pipeline/receipt';
import { receiveTradingViewAlert } from '../pipeline/receiveTradingViewAlert';
import { DecisionResponseSchema, normalizedToWire, UnauthorizedSchema, ValidateResponseSchema } from '../pipeline/wireSchemas';
import { thresholdsToWire } from '../pipeline/thresholds';
import { z } from '@hono/zod-openapi';

const ALERT_BODY_DESCRIPTION =
	'The TradingView alert message as sent (application/json or text/plain): ' +
	'{"secret","alert_id","action":"buy","ticker","exchange","interval","time","close","vwap","stop","target"}, ' +
	'optionally "thresholds": {…} (overrides; see the Thresholds schema). Query parameters may carry the same thresholds flat.';

const alertBody = {
	required: true,
	description: ALERT_BODY_DESCRIPTION,
	// text/plain only in the document: a JSON schema here would make the router validate JSON bodies itself.
	content: { 'text/plain': { schema: z.string().openapi({ example: '{"secret":"…","alert_id":"BINANCE:BTCUSDT-60-1740000000000-long","action":"buy","ticker":"BINANCE:BTCUSDT","interval":"60","time":1740003600000,"close":84012.5,"vwap":86020.1,"stop":81492.1,"target":86020.1}' }) } },
};

const intakeErrors = { ...errorResponses, 401: jsonResponse(UnauthorizedSchema, 'Missing/wrong secret or source IP not allowed; nothing stored') };

/** The request as intake sees it; the source address is `trustedProxies` hops from the right (never a client-written entry). */
function requestOf(c: Context, rawBody: string, trustedProxies: number): IntakeRequest {
	const sourceIp = requestClientAddress(c, trustedProxies) ?? undefined;
	return { rawBody, contentType: c.req.header('content-type'), sourceIp, query: c.req.query() };
}

/** Maps intake failures to their HTTP answers; returns null for anything else (re-thrown). */
function intakeErrorResponse(c: Context, error: unknown): Response | null {
	if (error instanceof ThresholdsError) {
		return c.json({ detail: [{ type: 'value_error', loc: error.loc, msg: error.message, input: null }], reason_code: 'invalid_thresholds' }, 422);
	}
	if (error instanceof AlertParseError) {
		const status = error.httpStatus as ContentfulStatusCode;
		if (status === 422) {
			return c.json({ detail: [{ type: 'value_error', loc: error.loc, msg: error.message, input: null }], reason_code: error.reasonCode }, 422);
		}
		return c.json({ detail: error.message, reason_code: error.reasonCode }, status);
	}
	return null;
}

export function signalsRoutes(deps: AppDeps) {
	const router = createRouter();
	router.openAPIRegistry.registerPath({
		method: 'post',
		path: '/tradingview',
		summary: 'TradingView alert → stored signal → risk decision (one call)',
		description: 'Authenticates the body secret (constant time), de-duplicates by alert_id (a repeat returns the first decision with duplicate: true), rejects stale and non-whitelisted alerts (200, stored), then sizes and gates the entry; an approved PAPER decision opens a paper position.',
		tags: ['signals'],
		request: { body: alertBody },
		responses: {
			200: jsonResponse(DecisionResponseSchema, 'The decision (approved or rejected)'),
			...intakeErrors,
			413: jsonResponse(UnauthorizedSchema, 'Alert body larger than 16 KB; nothing read further'),
			429: jsonResponse(UnauthorizedSchema, 'Too many alerts from this address; retry after the Retry-After header (seconds)'),
		},
	});
	router.openAPIRegistry.registerPath({
		method: 'post',
		path: '/validate',
		summary: 'Signal intake only (n8n Signal Intake node)',
		description: 'Same parsing, authentication, whitelist, staleness and de-duplication; stores the signal (and a rejection as a decision) without deciding. Call POST /v1/decisions with the alert_id next.',
		tags: ['signals'],
		request: { body: alertBody },
		responses: { 200: jsonResponse(ValidateResponseSchema, 'The normalised signal and the intake gates'), ...intakeErrors },
	});

	router.post('/tradingview', async (c) => {
		const p = pipelineFor(deps);
		try {
			const result = await receiveTradingViewAlert(p, requestOf(c, await c.req.text(), p.settings.trustedProxies));
			if (result.kind === 'unauthorized') return c.json({ detail: `Unauthorized: ${result.reason}` }, 401);
			if (result.body !== undefined) return c.body(result.body, 200, { 'content-type': 'application/json' });
			return c.json(result.response, 200);
		} catch (error) {
			const answer = intakeErrorResponse(c, error);
			if (answer) return answer;
			throw error;
		}
	});

	router.post('/validate', async (c) => {
		const p = pipelineFor(deps);
		try {
			const r = await intakeSignal(p, requestOf(c, await c.req.text(), p.settings.trustedProxies));
			if (r.kind === 'unauthorized') return c.json({ detail: `Unauthorized: ${r.reason}` }, 401);
			const decision = r.decision === null ? null : decisionResponse(r.decision, r.duplicate);
			const rejected = r.kind === 'rejected';
			return c.json(
				{
					status: rejected ? 'rejected' : 'accepted',
					reason_code: decision?.reason_code ?? null,
					reason: decision?.reason ?? (rejected ? 'rejected at intake' : 'all intake gates passed'),
					alert_id: r.alertId,
					signal_id: r.signal.id,
					decision_id: decision?.decision_id ?? null,
					duplicate: r.duplicate,
					signal: r.normalized === null ? null : normalizedToWire(r.normalized),
					gates: r.gates,
					decision,
					thresholds: thresholdsToWire(r.thresholds),
				},
				200,
			);
		} catch (error) {
			const answer = intakeErrorResponse(c, error);
			if (answer) return answer;
			throw error;
		}
	});
	return router;
}
