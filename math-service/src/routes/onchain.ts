/**
 * @module routes/onchain
 * On-chain observations, stored point in time (storage/onchainObservations):
 * - `POST /v1/onchain/observations` `{source?, observations: [{asset, metric, resolution, t, value}]}`
 *   stores what the Glassnode node fetched, stamped with the time the service learned it; a value
 *   equal to the one already known is not stored again; `t` is the period start in Unix seconds
 *   (Glassnode's `t`) or ms; `value` null = the provider's missing value, never 0.
 * - `GET /v1/onchain?asset&metric&resolution&as_of&limit` reads each period as known at `as_of`
 *   (default now), oldest first, and `latest_period_start` for incremental fetching.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { marketDataFor } from '../crawler/marketDataFor';
import { parseTimeMs } from '../crawler/parseTimeMs';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { leaseKey } from '../heartbeat/leaseKey';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { HeartbeatRunSchema, LeaseRequestFields, runBlock } from '../pipeline/heartbeatWire';

export const ONCHAIN_METRIC_NAMES = ['exchange_netflow', 'sopr', 'lth_sopr'] as const;

/** Glassnode's `t` is Unix seconds; accept ms too (anything past year 33658 in seconds is ms). */
function periodStartMs(t: number): number {
	return t < 1e12 ? t * 1000 : t;
}

const ObservationSchema = z.object({
	asset: z.string().min(1).max(16).transform((a) => a.toUpperCase()).openapi({ example: 'BTC' }),
	metric: z.enum(ONCHAIN_METRIC_NAMES).openapi({ description: 'exchange_netflow (positive = net inflow to exchanges), sopr, lth_sopr' }),
	resolution: z.enum(['10m', '1h', '24h', '1w']).openapi({ example: '24h' }),
	t: z.number().int().positive().openapi({ description: 'Period start: Unix seconds (Glassnode) or ms', example: 1735689600 }),
	value: z.number().finite().nullable(),
});

const RecordRequestSchema = z
	.object({
		source: z.string().min(1).max(32).default('glassnode'),
		observations: z.array(ObservationSchema).max(100_000),
		...LeaseRequestFields,
	})
	.openapi('OnchainObservations');

const recordRoute = createRoute({
	method: 'post',
	path: '/observations',
	summary: 'Store on-chain observations point in time (the time the service learned each value)',
	tags: ['onchain'],
	request: { body: jsonBody(RecordRequestSchema) },
	responses: {
		200: jsonResponse(
			z.object({
				stored: z.number().int(),
				unchanged: z.number().int(),
				learned_at: z.number().int(),
				ran: z.boolean().openapi({ description: 'False when a run storing the same asset/metric series still held the onchain lease: nothing stored (see run.reason)' }),
				run: HeartbeatRunSchema,
			}),
			'New or revised values stored',
		),
		...errorResponses,
	},
});

const timeQuery = z
	.string()
	.max(40)
	.refine((v) => parseTimeMs(/^\d+$/.test(v) ? Number(v) : v) !== null, { message: 'must be Unix milliseconds or an ISO 8601 date-time' })
	.transform((v) => parseTimeMs(/^\d+$/.test(v) ? Number(v) : v)!);

const listRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'On-chain values as known at a time (point in time), oldest first',
	tags: ['onchain'],
	request: {
		query: z.object({
			asset: z.string().min(1).max(16).transform((a) => a.toUpperCase()),
			metric: z.enum(ONCHAIN_METRIC_NAMES),
			resolution: z.enum(['10m', '1h', '24h', '1w']).default('24h'),
			as_of: timeQuery.optional(),
			limit: z.coerce.number().int().min(1).max(5000).default(500),
		}),
	},
	responses: {
		200: jsonResponse(
			z.object({
				asset: z.string(),
				metric: z.string(),
				resolution: z.string(),
				as_of: z.number().int(),
				latest_period_start: z.number().int().nullable(),
				values: z.array(z.object({ t: z.number().int(), value: z.number().nullable(), learned_at: z.number().int() })),
			}),
			'Values known at as_of',
		),
		...errorResponses,
	},
});

export function onchainRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(recordRoute, async (c) => {
			const b = c.req.valid('json');
			const md = marketDataFor(deps);
			const learnedAt = md.now();
			const series = [...new Set(b.observations.map((o) => `${o.asset}.${o.metric}.${o.resolution}`))].sort();
			const answer = await runHeartbeatJob(
				heartbeatFor(deps),
				'onchain',
				() =>
					md.storage.onchain.record(
						b.observations.map((o) => ({ asset: o.asset, metric: o.metric, resolution: o.resolution, periodStart: periodStartMs(o.t), value: o.value })),
						learnedAt,
						b.source,
					),
				{ lockKey: leaseKey('onchain', [b.source, ...series]), waitMs: b.wait_ms ?? 0, onRun: recordHeartbeat },
			);
			const r = answer.result ?? { stored: 0, unchanged: 0 };
			return c.json({ ...r, learned_at: learnedAt, ran: answer.ran, run: runBlock(answer) }, 200);
		})
		.openapi(listRoute, async (c) => {
			const q = c.req.valid('query');
			const md = marketDataFor(deps);
			const asOf = q.as_of ?? md.now();
			const values = await md.storage.onchain.asOf(q.asset, q.metric, q.resolution, asOf, q.limit);
			return c.json(
				{
					asset: q.asset,
					metric: q.metric,
					resolution: q.resolution,
					as_of: asOf,
					latest_period_start: await md.storage.onchain.latestPeriodStart(q.asset, q.metric, q.resolution),
					values: values.map((v) => ({ t: v.periodStart, value: v.value, learned_at: v.learnedAt })),
				},
				200,
			);
		});
}
