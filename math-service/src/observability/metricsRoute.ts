/**
 * @module observability/metricsRoute
 * The HTTP side of the metrics: `requestMetrics()` times every request (mounted first, so 401s and
 * 404s are measured too) and `serveMetrics` answers `GET /metrics` in Prometheus' text format
 * 0.0.4. /metrics sits behind the API key like every other route when MATH_SERVICE_API_KEY is set
 * (Prometheus sends it with `http_headers: {X-API-Key: {secrets: [...]}}` in its scrape config).
 */
import type { Handler, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { EXPOSITION_CONTENT_TYPE } from './metricsRegistry.js';
import { registry, requestDuration, requestsInFlight } from './serviceMetrics.js';

export const METRICS_PATH = '/metrics';

/** The matched route pattern of a handled request, `unmatched` when no route (only middleware) matched. */
function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
	const routes = matchedRoutes(c);
	for (let i = routes.length - 1; i >= 0; i--) {
		const r = routes[i]!;
		if (r.method !== 'ALL' && !r.path.includes('*')) return r.path;
	}
	return 'unmatched';
}

export function requestMetrics(): MiddlewareHandler {
	return async (c, next) => {
		const started = performance.now();
		requestsInFlight.inc();
		try {
			await next();
		} finally {
			requestsInFlight.inc({}, -1);
			requestDuration.observe({ method: c.req.method, route: routeLabel(c), status: String(c.res.status) }, (performance.now() - started) / 1000);
		}
	};
}

/** The fast JSON path's 200s (http/fastJsonRoutes.ts), counted in the same histogram as the app's. */
export function observeFastAnswer(path: string, seconds: number): void {
	let observe = fastAnswerObservers.get(path);
	if (observe === undefined) fastAnswerObservers.set(path, (observe = requestDuration.observerFor({ method: 'POST', route: path, status: '200' })));
	observe(seconds);
}

/** One histogram series per fast route, looked up once. */
const fastAnswerObservers = new Map<string, (seconds: number) => void>();

export const serveMetrics: Handler = (c) => c.body(registry.render(), 200, { 'content-type': EXPOSITION_CONTENT_TYPE });
