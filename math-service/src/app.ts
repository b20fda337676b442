/**
 * @module app
 * The math service as a Hono app: `createApp(deps)` builds it without listening, so tests call
 * `app.request()` and main.ts hands it to @hono/node-server. It replaces seed 1's FastAPI app and
 * keeps its wire contract: snake_case JSON, 422 `{"detail":[…]}` validation errors, `/openapi.json`
 * and Swagger UI at `/docs`.
 *
 * Request pipeline (in order): API key (`X-API-Key`, all paths but /health, /docs, /openapi.json)
 * → body read with a size limit (413; http/readBody.ts) → route: content-type gate (415) → JSON parse (400) → zod validation (422)
 * → handler → errors mapped by http/errorHandler.ts. No per-request logging (hot path stays lean);
 * every request is timed for `GET /metrics` (observability/metricsRoute.ts, key-protected like the rest).
 *
 * In front of the app (main.ts serves `createRequestListener`): a node:http listener that answers
 * the 200s of POST /v1/kelly and /v1/var itself, with the routes' own zod schemas, and hands every
 * other request — errors included — to this app (http/fastJsonRoutes.ts). So every status code
 * and error body still comes from here, and `app.request()` in tests sees the whole contract.
 *
 * ADDING A ROUTE (one line here):
 *   1. Write `src/routes/<resource>.ts` exporting `<resource>Routes(deps: AppDeps)` that returns
 *      `createRouter().openapi(createRoute({ path: '/…', … }), handler)` (see routes/kelly.ts),
 *      with zod request/response schemas in snake_case and `.openapi({ description })` per field.
 *   2. Add `['/v1/<resource>', <resource>Routes],` to RESOURCES below. Paths inside the sub-app are
 *      relative to that mount path. It is then served, key-protected and listed in /openapi.json.
 *   A route that needs something new (a broker, an LLM client) gets it as an optional field of
 *   AppDeps, so tests inject fakes.
 */
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { SERVICE_VERSION } from './config';
import { API_KEY_HEADER, apiKeyAuth, PUBLIC_PATHS } from './http/apiKeyAuth';
import { createErrorHandler, createNotFoundHandler } from './http/errorHandler';
import { fastApiValidationHook } from './http/createRouter';
import { fastJsonRoutes, type FastJsonAnswer } from './http/fastJsonRoutes';
import { intakeGuard } from './http/intakeGuard';
import { readBody } from './http/readBody';
import { METRICS_PATH, observeFastAnswer, requestMetrics, serveMetrics } from './observability/metricsRoute';
import { healthRoutes } from './routes/health';
import { kellyFastAnswer, kellyRoutes } from './routes/kelly';
import { metricsRoutes } from './routes/metrics';
import { varFastAnswer, varRoutes } from './routes/var';
import { signalsRoutes } from './routes/signals';
import { decisionsRoutes } from './routes/decisions';
import { positionsRoutes } from './routes/positions';
import { tradesRoutes } from './routes/trades';
import { backtestsRoutes } from './routes/backtests';
import { candlesRoutes } from './routes/candles';
import { chartsRoutes } from './routes/charts';
import { alphaRoutes } from './routes/alpha';
import { onchainRoutes } from './routes/onchain';
import { sentimentRoutes } from './routes/sentiment';
import { heartbeatRoutes } from './routes/heartbeat';
import { deskRoutes } from './routes/desk';
import { operatorRoutes } from './routes/operator';
import { reportsRoutes } from './routes/reports';
import { scanRoutes } from './routes/scan';
import type { AppDeps } from './appDeps';

export type { AppDeps, Clock } from './appDeps';


type ResourceRoutes = (deps: AppDeps) => OpenAPIHono;

/** Mount path → sub-app factory. One line per resource; order does not matter. */
const RESOURCES: ReadonlyArray<readonly [string, ResourceRoutes]> = [
	['/health', healthRoutes],
	['/v1/kelly', kellyRoutes],
	['/v1/var', varRoutes],
	['/v1/metrics', metricsRoutes],
	['/v1/signals', signalsRoutes],
	['/v1/decisions', decisionsRoutes],
	['/v1/positions', positionsRoutes],
	['/v1/trades', tradesRoutes],
	['/v1/backtests', backtestsRoutes],
	['/v1/candles', candlesRoutes],
	['/v1/decisions', chartsRoutes],
	['/v1/alpha', alphaRoutes],
	['/v1/onchain', onchainRoutes],
	['/v1/sentiment', sentimentRoutes],
	['/v1/heartbeat', heartbeatRoutes],
	['/v1/scan', scanRoutes],
	['/v1/desk', deskRoutes],
	['/v1/operator', operatorRoutes],
	['/v1/reports', reportsRoutes],
];

/**
 * Routes that authenticate themselves and so skip the X-API-Key check: TradingView webhooks cannot
 * send custom headers, so /v1/signals/tradingview checks the secret in its body (constant time)
 * and the source IP instead. Add a path here only when its route does its own authentication.
 */
export const SELF_AUTHENTICATED_PATHS: readonly string[] = ['/v1/signals/tradingview'];

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

export function createApp(deps: AppDeps): OpenAPIHono {
	const app = new OpenAPIHono({ defaultHook: fastApiValidationHook as never });
	const limit = formatBytes(deps.config.bodyLimitBytes);

	app.use('*', requestMetrics());
	app.use('*', apiKeyAuth({ apiKey: deps.config.apiKey, publicPaths: [...PUBLIC_PATHS, ...SELF_AUTHENTICATED_PATHS] }));
	app.use(SELF_AUTHENTICATED_PATHS[0]!, intakeGuard(deps)); // rate limit (429) and alert size limit (413)
	app.use('*', readBody({ maxBytes: deps.config.bodyLimitBytes, tooLargeMessage: `Request body too large: the limit is ${limit}` }));

	for (const [path, routes] of RESOURCES) app.route(path, routes(deps));
	app.get(METRICS_PATH, serveMetrics);

	app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKeyAuth', {
		type: 'apiKey',
		in: 'header',
		name: API_KEY_HEADER,
		description: 'Required on every route but /health, /docs and /openapi.json when MATH_SERVICE_API_KEY is set',
	});
	let openApiDocument: unknown;
	app.get(OPENAPI_PATH, (c) => {
		openApiDocument ??= app.getOpenAPI31Document({
			openapi: '3.1.0',
			info: {
				title: 'HighFreqQuant math service',
				version: SERVICE_VERSION,
				description:
					'Deterministic risk math for HighFreqQuant: Kelly sizing, VaR/CVaR and performance metrics. ' +
					'Ratios are fractions (0.031 = 3.1 %), `..._pct` fields are 0–100. Undefined results are null with a reason. ' +
					'Validation errors use FastAPI\'s 422 body.',
			},
			security: [{ ApiKeyAuth: [] }],
		});
		return c.json(openApiDocument);
	});
	app.get(DOCS_PATH, swaggerUI({ url: OPENAPI_PATH, title: 'HighFreqQuant math service' }));

	app.onError(createErrorHandler(deps.logError));
	app.notFound(createNotFoundHandler(methodsByPath(app)));
	return app;
}

/**
 * Routes whose 200 answers the node:http listener gives before the app (exact POST paths). A fast
 * answer must use the route's own schema and computation and return undefined for anything else.
 */
const FAST_JSON_ROUTES: Readonly<Record<string, FastJsonAnswer>> = {
	'/v1/kelly': kellyFastAnswer,
	'/v1/var': varFastAnswer,
};

/** The node:http listener main.ts serves: the fast JSON routes in front of `app`. */
export function createRequestListener(deps: AppDeps, app: OpenAPIHono = createApp(deps)): RequestListener {
	return fastJsonRoutes({
		routes: FAST_JSON_ROUTES,
		apiKey: deps.config.apiKey,
		maxBytes: deps.config.bodyLimitBytes,
		fallback: getRequestListener(app.fetch),
		onAnswered: observeFastAnswer,
	});
}

function formatBytes(n: number): string {
	const mb = n / (1024 * 1024);
	return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${n} bytes`;
}

/** For 405 answers: which methods the app serves on a concrete path (computed on misses only). */
function methodsByPath(app: OpenAPIHono): (path: string) => string[] {
	let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
	return (path) => {
		table ??= buildTable(app);
		const out = new Set<string>();
		for (const row of table) if (row.pattern.test(path)) for (const m of row.methods) out.add(m);
		if (out.has('GET')) out.add('HEAD');
		return [...out];
	};
}

function buildTable(app: OpenAPIHono) {
	const byPath = new Map<string, Set<string>>();
	for (const r of app.routes) {
		if (r.method === 'ALL' || r.path.includes('*')) continue;
		const set = byPath.get(r.path) ?? new Set<string>();
		set.add(r.method.toUpperCase());
		byPath.set(r.path, set);
	}
	return [...byPath].map(([path, methods]) => ({
		pattern: new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`),
		methods,
	}));
}
