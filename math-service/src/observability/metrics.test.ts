import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { Counter, Histogram, MetricsRegistry } from './metricsRegistry';
import { countDecision, failedGateOf, recordHeartbeat } from './serviceMetrics';

describe('MetricsRegistry (text exposition format 0.0.4)', () => {
	it('renders counters with escaped label values and histograms as cumulative buckets, sum and count', () => {
		const registry = new MetricsRegistry();
		const c = registry.register(new Counter('demo_total', 'A demo\ncounter', ['reason']));
		c.inc({ reason: 'say "hi" \\ there\n' });
		c.inc({ reason: 'plain' }, 2);
		const h = registry.register(new Histogram('demo_seconds', 'Latency', ['route'], [0.1, 1]));
		h.observe({ route: '/x' }, 0.05);
		h.observe({ route: '/x' }, 0.5);
		h.observe({ route: '/x' }, 3);
		expect(registry.render()).toBe(
			[
				'# HELP demo_total A demo\\ncounter',
				'# TYPE demo_total counter',
				'demo_total{reason="say \\"hi\\" \\\\ there\\n"} 1',
				'demo_total{reason="plain"} 2',
				'# HELP demo_seconds Latency',
				'# TYPE demo_seconds histogram',
				'demo_seconds_bucket{route="/x",le="0.1"} 1',
				'demo_seconds_bucket{route="/x",le="1"} 2',
				'demo_seconds_bucket{route="/x",le="+Inf"} 3',
				'demo_seconds_sum{route="/x"} 3.55',
				'demo_seconds_count{route="/x"} 3',
				'',
			].join('\n'),
		);
	});

	it('adds through an observer for fixed labels to the same series as observe, shown only once observed', () => {
		const registry = new MetricsRegistry();
		const h = registry.register(new Histogram('fast_seconds', 'Latency', ['route'], [0.1]));
		const observe = h.observerFor({ route: '/k' });
		expect(registry.render()).not.toContain('fast_seconds_count');
		observe(0.05);
		h.observe({ route: '/k' }, 0.5);
		observe(Number.NaN);
		observe(0.02);
		const text = registry.render();
		expect(text).toContain('fast_seconds_bucket{route="/k",le="0.1"} 2\nfast_seconds_bucket{route="/k",le="+Inf"} 3\n');
		expect(text).toContain('fast_seconds_count{route="/k"} 3\n');
		expect(Number(/fast_seconds_sum\{route="\/k"\} (\S+)/.exec(text)?.[1])).toBeCloseTo(0.57, 12);
	});

	it('refuses a metric name registered twice', () => {
		const registry = new MetricsRegistry();
		registry.register(new Counter('twice_total', 'x'));
		expect(() => registry.register(new Counter('twice_total', 'x'))).toThrow(/registered twice/);
	});
});

describe('GET /metrics', () => {
	const metricsOf = async (app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) => {
		const res = await app.request('/metrics', { headers });
		return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
	};

	it('reports heartbeat freshness per job: last run time and its age', async () => {
		const app = createApp({ config: loadConfig({}), logError: () => {} });
		const at = Date.now() - 90_000;
		recordHeartbeat('candle_sync', at);
		const m = await metricsOf(app);
		expect(m.status).toBe(200);
		expect(m.type).toBe('text/plain; version=0.0.4; charset=utf-8');
		expect(m.text).toContain(`hfq_job_last_run_timestamp_seconds{job="candle_sync"} ${at / 1000}\n`);
		const age = Number(/hfq_job_last_run_age_seconds\{job="candle_sync"\} (\S+)/.exec(m.text)?.[1]);
		expect(age).toBeGreaterThanOrEqual(90);
		expect(age).toBeLessThan(120);
	});

	it('counts a decision under its first failed gate', async () => {
		const app = createApp({ config: loadConfig({}), logError: () => {} });
		const receiptJson = JSON.stringify({ gates: [{ name: 'whitelist', passed: true }, { name: 'heat', passed: false }, { name: 'cash', passed: false }] });
		expect(failedGateOf(receiptJson)).toBe('heat');
		expect(failedGateOf(JSON.stringify({ gates: [{ name: 'heat', passed: true }] }))).toBe('none');
		countDecision({ status: 'rejected', reasonCode: 'heat_exceeded', receiptJson });
		expect((await metricsOf(app)).text).toMatch(/^hfq_decisions_total\{status="rejected",gate="heat",reason_code="heat_exceeded"\} [1-9]\d*$/m);
	});

	it('counts a decision made now under the first failed gate of its receipt object, without its stored text', async () => {
		const app = createApp({ config: loadConfig({}), logError: () => {} });
		const receipt = { gates: [{ name: 'whitelist', passed: true }, { name: 'cashAvailable', passed: false }] };
		expect(failedGateOf(receipt)).toBe('cashAvailable');
		countDecision({ status: 'rejected', reasonCode: 'cash_short', receiptJson: '{"gates":[]}' }, receipt);
		expect((await metricsOf(app)).text).toMatch(/^hfq_decisions_total\{status="rejected",gate="cashAvailable",reason_code="cash_short"\} [1-9]\d*$/m);
	});

	it('needs the API key when one is configured; times requests by route pattern, unknown paths as unmatched', async () => {
		const key = 'metrics-test-key-0123456789';
		const app = createApp({ config: loadConfig({ MATH_SERVICE_API_KEY: key }), logError: () => {} });
		expect((await metricsOf(app)).status).toBe(401);
		await app.request('/v1/decisions/12345', { headers: { 'X-API-Key': key } });
		await app.request('/no/such/path', { headers: { 'X-API-Key': key } });
		const m = await metricsOf(app, { 'X-API-Key': key });
		expect(m.status).toBe(200);
		expect(m.text).toMatch(/^hfq_http_request_duration_seconds_count\{method="GET",route="\/v1\/decisions\/:id",status="\d+"\} [1-9]/m);
		expect(m.text).toMatch(/^hfq_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/m);
		expect(m.text).toMatch(/^hfq_http_request_duration_seconds_count\{method="GET",route="\/metrics",status="401"\} [1-9]/m);
		expect(m.text).not.toMatch(/route="[^"]*12345/); // the raw path never becomes a label
	});
});
