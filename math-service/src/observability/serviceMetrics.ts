/**
 * @module observability/serviceMetrics
 * What `GET /metrics` reports, and the small functions the rest of the service calls to move it:
 *
 * | Metric                                          | Type      | Labels                      | Moved by |
 * | ----------------------------------------------- | --------- | --------------------------- | -------- |
 * | `hfq_decisions_total`                           | counter   | status, gate, reason_code   | `countDecision` (each new decision; repeats of an alert are not counted) |
 * | `hfq_intake_rejections_total`                   | counter   | reason                      | `countIntakeRejection` (each alert request refused or rejected at intake) |
 * | `hfq_http_request_duration_seconds`             | histogram | method, route, status       | requestMetrics middleware; `observeFastAnswer` for the fast path's 200s |
 * | `hfq_http_requests_in_flight`                   | gauge     |                             | requestMetrics middleware |
 * | `hfq_job_last_run_timestamp_seconds`            | gauge     | job                         | `recordHeartbeat(job)` from a scheduled job |
 * | `hfq_job_last_run_age_seconds`                  | gauge     | job                         | computed at scrape: now − last run |
 * | `process_*`, `nodejs_heap_*`                    | various   |                             | computed at scrape |
 *
 * `gate` is the first gate on the receipt that failed (`none` when every gate passed, e.g. an
 * approval or an exit); `route` is the matched route pattern (`/v1/decisions/:id`), `unmatched`
 * for unknown paths, so label values stay a fixed, small set.
 */
import { readdirSync } from 'node:fs';
import type { Decision } from '../storage/schema.js';
import { Collected, Counter, Gauge, Histogram, MetricsRegistry } from './metricsRegistry.js';

export const registry = new MetricsRegistry();

export const decisionsTotal = registry.register(
	new Counter('hfq_decisions_total', 'Risk decisions made, by status and the first failed gate (none when all passed)', ['status', 'gate', 'reason_code']),
);
export const intakeRejectionsTotal = registry.register(
	new Counter('hfq_intake_rejections_total', 'Alert requests refused (401, 4xx) or rejected (stored rejection) at intake, by reason code', ['reason']),
);
/** Seconds; from 1 ms to 10 s (TradingView gives up after 3 s). */
export const requestDuration = registry.register(
	new Histogram('hfq_http_request_duration_seconds', 'HTTP request latency from the first byte handled to the response, by route', ['method', 'route', 'status'], [
		0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
	]),
);
export const requestsInFlight = registry.register(new Gauge('hfq_http_requests_in_flight', 'HTTP requests being handled now'));
const jobLastRun = registry.register(new Gauge('hfq_job_last_run_timestamp_seconds', 'Unix time a scheduled job last completed a run', ['job']));
registry.register(
	new Collected('hfq_job_last_run_age_seconds', 'Seconds since a scheduled job last completed a run (heartbeat freshness)', 'gauge', () =>
		jobLastRun.entries().map(([labels, at]) => [labels, Math.max(0, Date.now() / 1000 - at)]),
	),
);

/** A scheduled job (candle sync, position check, …) reports a completed run; `atMs` defaults to now. */
export function recordHeartbeat(job: string, atMs: number = Date.now()): void {
	jobLastRun.set({ job }, atMs / 1000);
}

/** The first failed gate's name on a receipt (stored JSON text or the object itself), `none` when all passed. */
export function failedGateOf(receipt: string | Record<string, unknown>): string {
	try {
		const gates = (typeof receipt === 'string' ? (JSON.parse(receipt) as Record<string, unknown>) : receipt).gates as Array<{ name?: unknown; passed?: unknown }> | undefined;
		const failed = Array.isArray(gates) ? gates.find((g) => g && g.passed === false && typeof g.name === 'string') : undefined;
		return failed ? String(failed.name) : 'none';
	} catch {
		return 'none';
	}
}

/**
 * Counts one newly stored decision. `receipt`: the decision's receipt object when the caller holds it
 * (a decision made now), so its stored JSON text (kilobytes) is not parsed again per decision.
 */
export function countDecision(decision: Pick<Decision, 'status' | 'reasonCode' | 'receiptJson'>, receipt?: Record<string, unknown>): void {
	decisionsTotal.inc({ status: decision.status, gate: failedGateOf(receipt ?? decision.receiptJson), reason_code: decision.reasonCode });
}

/** Counts one alert request refused or rejected at intake. */
export function countIntakeRejection(reason: string): void {
	intakeRejectionsTotal.inc({ reason });
}

const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());
const gauge = (name: string, help: string, value: () => number) => registry.register(new Collected(name, help, 'gauge', () => [[{}, value()]]));

registry.register(new Collected('process_cpu_user_seconds_total', 'User CPU time spent, seconds', 'counter', () => [[{}, process.cpuUsage().user / 1e6]]));
registry.register(new Collected('process_cpu_system_seconds_total', 'System CPU time spent, seconds', 'counter', () => [[{}, process.cpuUsage().system / 1e6]]));
registry.register(
	new Collected('process_cpu_seconds_total', 'User and system CPU time spent, seconds', 'counter', () => {
		const u = process.cpuUsage();
		return [[{}, (u.user + u.system) / 1e6]];
	}),
);
gauge('process_resident_memory_bytes', 'Resident memory size, bytes', () => process.memoryUsage().rss);
gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, seconds', () => startTimeSeconds);
gauge('process_uptime_seconds', 'Seconds since the process started', () => process.uptime());
registry.register(
	new Collected('process_open_fds', 'Open file descriptors', 'gauge', () => {
		try {
			return [[{}, readdirSync('/proc/self/fd').length]];
		} catch {
			return [];
		}
	}),
);
gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, bytes', () => process.memoryUsage().heapUsed);
gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, bytes', () => process.memoryUsage().heapTotal);
