/**
 * @module routes/decisions
 * Decisions are the risk engine's verdicts (pipeline/decide): `POST /v1/decisions` decides a signal
 * stored by /v1/signals/validate (the n8n Risk Sizer → Decide step; idempotent: a second call returns
 * the first decision with `duplicate: true`), `GET /v1/decisions/:id`, `GET /v1/decisions?limit=`,
 * and `POST /v1/decisions/:id/callbacks` records a Telegram "Executed"/"Skipped" press (once per
 * callback_query_id; 404 for an unknown decision).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, HTTPError, jsonBody, jsonResponse } from '../http/createRouter';
import { pipelineFor } from '../pipeline/createPipeline';
import { decide, normalizedOf } from '../pipeline/decide';
import { readThresholds } from '../pipeline/intakeSignal';
import { decisionResponse } from '../pipeline/receipt';
import { NotFoundError, recordButtonPress } from '../pipeline/recordButtonPress';
import { CallbackRequestSchema, CallbackResponseSchema, DecideRequestSchema, DecisionResponseSchema } from '../pipeline/wireSchemas';

const notFound = { 404: { description: 'No such signal or decision', content: { 'application/json': { schema: HTTPError } } } };
const IdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });

const decideRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Risk decision for a stored signal (n8n Risk Sizer → Decide)',
	description: 'Fractional Kelly from the trade log (or the prior), then every risk gate against the paper account; approved in PAPER opens a paper position. Idempotent per alert.',
	tags: ['decisions'],
	request: { body: jsonBody(DecideRequestSchema) },
	responses: { 200: jsonResponse(DecisionResponseSchema, 'The decision'), ...notFound, ...errorResponses },
});

const getRoute = createRoute({
	method: 'get',
	path: '/{id}',
	summary: 'One decision with its receipt',
	tags: ['decisions'],
	request: { params: IdParam },
	responses: { 200: jsonResponse(DecisionResponseSchema, 'The decision'), ...notFound, ...errorResponses },
});

const listRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Recent decisions, newest first',
	tags: ['decisions'],
	request: {
		query: z.object({
			limit: z.coerce.number().int().min(1).max(1000).default(50),
			status: z.enum(['approved', 'rejected']).optional(),
		}),
	},
	responses: { 200: jsonResponse(z.object({ decisions: z.array(DecisionResponseSchema) }), 'Decisions'), ...errorResponses },
});

const callbackRoute = createRoute({
	method: 'post',
	path: '/{id}/callbacks',
	summary: 'Record a Telegram button press (Executed / Skipped)',
	tags: ['decisions'],
	request: { params: IdParam, body: jsonBody(CallbackRequestSchema) },
	responses: { 200: jsonResponse(CallbackResponseSchema, 'The recorded press (the first one for a repeated callback_query_id)'), ...notFound, ...errorResponses },
});

export function decisionsRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(decideRoute, async (c) => {
			const p = pipelineFor(deps);
			const body = c.req.valid('json');
			const thresholds = readThresholds({}, body.thresholds);
			const signal =
				body.signal_id !== undefined ? await p.storage.signals.getById(body.signal_id) : await p.storage.signals.getByAlertId(body.alert_id!);
			if (signal === null) return c.json({ detail: `signal ${body.signal_id ?? JSON.stringify(body.alert_id)} not found: send it to /v1/signals/validate first` }, 404);
			const existing = await p.storage.decisions.getByAlertId(signal.alertId);
			if (existing) return c.json(decisionResponse(existing, true), 200);
			const normalized = normalizedOf(signal);
			if (normalized === null) return c.json({ detail: `signal ${signal.id} has no normalised alert to decide on` }, 404);
			const { decision, duplicate } = await decide(p, { signal, normalized, thresholds });
			return c.json(decisionResponse(decision, duplicate), 200);
		})
		.openapi(getRoute, async (c) => {
			const { id } = c.req.valid('param');
			const decision = await pipelineFor(deps).storage.decisions.getById(id);
			if (decision === null) return c.json({ detail: `decision ${id} not found` }, 404);
			return c.json(decisionResponse(decision, false), 200);
		})
		.openapi(listRoute, async (c) => {
			const { limit, status } = c.req.valid('query');
			const rows = await pipelineFor(deps).storage.decisions.listRecent({ limit, status });
			return c.json({ decisions: rows.map((d) => decisionResponse(d, false)) }, 200);
		})
		.openapi(callbackRoute, async (c) => {
			const { id } = c.req.valid('param');
			const body = c.req.valid('json');
			try {
				const { event, duplicate } = await recordButtonPress(pipelineFor(deps), id, {
					action: body.action,
					user: body.user,
					callbackQueryId: body.callback_query_id ?? null,
					raw: body.raw ?? null,
				});
				return c.json(
					{
						event_id: event.id,
						decision_id: event.decisionId,
						action: event.action,
						user: event.user,
						callback_query_id: event.callbackQueryId,
						received_at: new Date(event.receivedAt).toISOString(),
						duplicate,
					},
					200,
				);
			} catch (error) {
				if (error instanceof NotFoundError) return c.json({ detail: error.message }, 404);
				throw error;
			}
		});
}
