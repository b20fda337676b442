/**
 * @module routes/health
 * `GET /health`: liveness plus the facts an operator checks first: version, trading mode
 * (PAPER unless HFQ_MODE is exactly "LIVE") and whether the database answers a ping. Public (no API
 * key), so the n8n credential test and container health checks can call it. Always HTTP 200 while
 * the process serves requests; `status` is "degraded" when the database does not answer.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { SERVICE_VERSION } from '../config';
import { createRouter, jsonResponse } from '../http/createRouter';

/** A database ping slower than this counts as unreachable, so /health never hangs. */
export const HEALTH_PING_TIMEOUT_MS = 1_000;

const HealthResponse = z
	.object({
		status: z.enum(['ok', 'degraded']).openapi({ description: '"ok", or "degraded" when the database does not answer' }),
		version: z.string().openapi({ description: 'Math service version', example: '0.1.0' }),
		mode: z.enum(['PAPER', 'LIVE']).openapi({ description: 'Trading mode; LIVE only when HFQ_MODE is exactly "LIVE"' }),
		database: z
			.object({
				kind: z.enum(['sqlite', 'mysql']).openapi({ description: 'Engine named by DATABASE_URL' }),
				reachable: z
					.boolean()
					.nullable()
					.openapi({ description: 'Whether a ping succeeded within 1 s; null when no storage is attached' }),
			})
			.openapi({ description: 'The configured database' }),
	})
	.openapi('Health');

const healthRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Liveness, version, trading mode and database reachability',
	tags: ['service'],
	security: [],
	responses: { 200: jsonResponse(HealthResponse, 'The service is up') },
});

async function pingWithin(ping: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	try {
		const timeout = new Promise<false>((resolve) => {
			timer = setTimeout(() => resolve(false), timeoutMs);
		});
		const result = await Promise.race([ping().then((r) => r !== false), timeout]);
		return result;
	} catch {
		return false;
	} finally {
		clearTimeout(timer);
	}
}

export function healthRoutes(deps: AppDeps) {
	return createRouter().openapi(healthRoute, async (c) => {
		const reachable = deps.storage ? await pingWithin(() => deps.storage!.ping(), HEALTH_PING_TIMEOUT_MS) : null;
		return c.json(
			{
				status: reachable === false ? ('degraded' as const) : ('ok' as const),
				version: SERVICE_VERSION,
				mode: deps.config.mode,
				database: { kind: deps.config.databaseKind, reachable },
			},
			200,
		);
	});
}
