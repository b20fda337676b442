/**
 * @module routes/heartbeat
 * `GET /v1/heartbeat`: each scheduled job's last run (ran, skipped because the previous run still
 * held its lease, or failed) and its freshness: the age of its last successful run. An operator
 * (or a monitor) sees at a glance that the risk monitor stopped ticking. Read from the hot cache,
 * so with REDIS_URL every service instance answers the same.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { heartbeatFreshness } from '../heartbeat/runHeartbeatJob';
import { RetryableError } from '../errors';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';

const RunSchema = z.object({
	outcome: z.enum(['ran', 'skipped', 'failed']).openapi({ description: 'ran; skipped (another run held the lease); failed (the job threw)' }),
	started_at: z.number().int().openapi({ description: 'Unix ms' }),
	finished_at: z.number().int().openapi({ description: 'Unix ms' }),
	duration_ms: z.number().int(),
	reason: z.string().nullable().openapi({ description: 'Why it was skipped or failed; null when it ran' }),
});

const HeartbeatResponse = z
	.object({
		backend: z.enum(['redis', 'in_process']).openapi({ description: 'Where locks and freshness live: redis when REDIS_URL is set' }),
		now: z.number().int().openapi({ description: 'The service clock, Unix ms' }),
		jobs: z.array(
			z.object({
				job: z.string().openapi({ example: 'risk_monitor' }),
				last_run: RunSchema.nullable().openapi({ description: 'The latest attempt, whatever its outcome' }),
				last_success_at: z.number().int().nullable().openapi({ description: 'Finish time of the last completed run (Unix ms); null = never' }),
				age_ms: z.number().int().nullable().openapi({ description: 'now − last_success_at: the heartbeat freshness; null = never ran' }),
			}),
		),
	})
	.openapi('Heartbeat');

const heartbeatRoute = createRoute({
	method: 'get',
	path: '/',
	summary: "Each scheduled job's last run and the age of its last successful run",
	tags: ['heartbeat'],
	responses: { 200: jsonResponse(HeartbeatResponse, 'Jobs ordered by name'), ...errorResponses },
});

export function heartbeatRoutes(deps: AppDeps) {
	return createRouter().openapi(heartbeatRoute, async (c) => {
		const hb = heartbeatFor(deps);
		const now = (hb.now ?? Date.now)();
		const rows = await heartbeatFreshness(hb.cache).catch((error: Error) => {
			throw new RetryableError(`heartbeat cache (${hb.cache.backend}) unavailable: ${error.message}`, 1_000, { cause: error });
		});
		return c.json(
			{
				backend: hb.lock.backend,
				now,
				jobs: rows.map((r) => ({
					job: r.job,
					last_run: r.lastRun
						? { outcome: r.lastRun.outcome, started_at: r.lastRun.started_at, finished_at: r.lastRun.finished_at, duration_ms: r.lastRun.duration_ms, reason: r.lastRun.reason ?? null }
						: null,
					last_success_at: r.lastSuccess?.finished_at ?? null,
					age_ms: r.lastSuccess ? Math.max(0, now - r.lastSuccess.finished_at) : null,
				})),
			},
			200,
		);
	});
}
