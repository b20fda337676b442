// The service as a real process on a throw-away MariaDB database, with every secret setting set to
// a distinctive marker: the webhook secret, the API key, the Telegram bot token, the database
// password (a MariaDB user created for the test), exchange and provider keys, and an Ollama host
// with a password in its URL. One process serves the whole file (start-up is the slow part):
//   1. GET /metrics needs the API key and its counters move with real requests: decisions by status
//      and failed gate, intake rejections by reason, latency per route;
//   2. requests that log: alerts with a wrong secret, an LLM failure (the Ollama URL with a password
//      is refused by the HTTP client, whose error message quotes the URL), an unhandled database
//      error (a table renamed away) — every line printed is one JSON object;
//   3. SIGTERM while an alert's body is still arriving: the alert is decided and answered, a new
//      connection is refused, the database is closed and the process exits 0;
//   4. after the exit, no marker appears anywhere in stdout or stderr.
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlTestDatabase, testMysqlServerUrl, type TestDatabase } from '../../math-service/src/storage/testDatabases';
import { createServer, type Server } from 'node:net';
import { parsePrometheusText, sampleValue, type Sample } from './prometheusText';
import { spawnService, type ServiceProcess } from './serviceProcess';

const mark = (what: string) => `MARK${what}${randomBytes(6).toString('hex')}`;
const MARKERS = {
	webhookSecret: mark('tvsecret'),
	apiKey: mark('apikey'),
	telegramToken: `7000000001:${mark('telegram')}`,
	dbPassword: mark('dbpass'),
	binanceKey: mark('binancekey'),
	binanceSecret: mark('binancesecret'),
	ollamaPassword: mark('ollamapass'),
	ollamaKey: mark('ollamakey'),
	glassnodeKey: mark('glassnodekey'),
	cryptoPanicToken: mark('cryptopanic'),
};
const DB_USER = `hfq_log_${randomBytes(4).toString('hex')}`;
const SLOW = { timeout: 180_000 };

let db: TestDatabase;
let dbName: string;
let admin: Connection;
/** Where OLLAMA_HOST points: a loopback server that drops every connection. */
let ollama: Server;
let service: ServiceProcess;
let seq = 0;

function alertBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	seq++;
	const now = Date.now();
	return {
		secret: MARKERS.webhookSecret,
		alert_id: `BINANCE:BTCUSDT-60-${now}-long-obs-${seq}`,
		action: 'buy',
		ticker: 'BINANCE:BTCUSDT',
		exchange: 'BINANCE',
		interval: '60',
		time: now - 1_000,
		close: 100,
		vwap: 106,
		stop: 97,
		target: 106,
		...overrides,
	};
}

const sendAlert = (body: unknown, contentType = 'application/json') =>
	fetch(`${service.url}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function scrape(): Promise<Sample[]> {
	const res = await fetch(`${service.url}/metrics`, { headers: { 'X-API-Key': MARKERS.apiKey } });
	expect(res.status).toBe(200);
	return parsePrometheusText(await res.text());
}

beforeAll(async () => {
	db = await createMysqlTestDatabase('hfq_obs');
	dbName = new URL(db.url).pathname.slice(1);
	const server = new URL(testMysqlServerUrl());
	admin = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username) || 'root', password: decodeURIComponent(server.password) });
	for (const host of ['%', 'localhost']) {
		await admin.query(`CREATE USER '${DB_USER}'@'${host}' IDENTIFIED BY '${MARKERS.dbPassword}'`);
		await admin.query(`GRANT ALL ON \`${dbName}\`.* TO '${DB_USER}'@'${host}'`);
	}
	ollama = createServer((socket) => socket.destroy());
	await new Promise<void>((resolve) => ollama.listen(0, '127.0.0.1', resolve));
	const databaseUrl = new URL(db.url);
	databaseUrl.username = DB_USER;
	databaseUrl.password = MARKERS.dbPassword;
	const ollamaHost = new URL(`http://127.0.0.1:${(ollama.address() as { port: number }).port}`);
	ollamaHost.username = 'llm';
	ollamaHost.password = MARKERS.ollamaPassword;
	service = await spawnService({
		DATABASE_URL: databaseUrl.href,
		TRADINGVIEW_WEBHOOK_SECRET: MARKERS.webhookSecret,
		MATH_SERVICE_API_KEY: MARKERS.apiKey,
		TELEGRAM_BOT_TOKEN: MARKERS.telegramToken,
		TELEGRAM_CHAT_ID: '424242',
		BINANCE_API_KEY: MARKERS.binanceKey,
		BINANCE_SECRET: MARKERS.binanceSecret,
		OLLAMA_HOST: ollamaHost.href.replace(/\/$/, ''),
		OLLAMA_API_KEY: MARKERS.ollamaKey,
		GLASSNODE_API_KEY: MARKERS.glassnodeKey,
		CRYPTOPANIC_AUTH_TOKEN: MARKERS.cryptoPanicToken,
		LOG_LEVEL: 'debug',
	});
}, 180_000);

afterAll(async () => {
	await service?.kill();
	await new Promise((resolve) => (ollama ? ollama.close(resolve) : resolve(undefined)));
	for (const host of ['%', 'localhost']) await admin?.query(`DROP USER IF EXISTS '${DB_USER}'@'${host}'`);
	await admin?.end();
	await db?.drop();
});

describe('the service process: metrics, structured redacted logs, draining on SIGTERM', () => {
	it('GET /metrics answers 401 without the API key and Prometheus text with it', async () => {
		const res = await fetch(`${service.url}/metrics`);
		expect(res.status).toBe(401);
		const ok = await fetch(`${service.url}/metrics`, { headers: { 'X-API-Key': MARKERS.apiKey } });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
		const samples = parsePrometheusText(await ok.text());
		expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
		expect(sampleValue(samples, 'process_start_time_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
		expect(sampleValue(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
	});

	it('counts decisions by status and gate, intake rejections by reason and latency per route', SLOW, async () => {
		const before = await scrape();
		const approved = alertBody();
		const answers = [
			await sendAlert(approved),
			await sendAlert(approved), // a repeat: same decision, not a new one
			await sendAlert(alertBody({ time: Date.now() - 10 * 60_000 })), // stale: a stored rejection
			await sendAlert(alertBody({ secret: 'a wrong guess' })), // 401
			await sendAlert(`{"secret": "${MARKERS.webhookSecret}", "ticker": `, 'text/plain'), // authenticated but malformed: 400
		];
		const bodies = await Promise.all(answers.map((r) => r.json() as Promise<Record<string, unknown>>));
		expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 400]);
		expect(bodies.slice(0, 3).map((b) => [b.status, b.duplicate])).toEqual([
			['approved', false],
			['approved', true],
			['rejected', false],
		]);
		const after = await scrape();
		const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);

		expect(delta('hfq_decisions_total', { status: 'approved', gate: 'none', reason_code: 'approved' })).toBe(1);
		expect(delta('hfq_decisions_total', { status: 'rejected', gate: 'staleness', reason_code: 'stale' })).toBe(1);
		expect(delta('hfq_decisions_total', {})).toBe(2);
		expect(delta('hfq_intake_rejections_total', { reason: 'stale' })).toBe(1);
		expect(delta('hfq_intake_rejections_total', { reason: 'bad_secret' })).toBe(1);
		expect(delta('hfq_intake_rejections_total', { reason: 'malformed_json' })).toBe(1);
		expect(delta('hfq_intake_rejections_total', {})).toBe(3);

		const route = { method: 'POST', route: '/v1/signals/tradingview' };
		expect(delta('hfq_http_request_duration_seconds_count', { ...route, status: '200' })).toBe(3);
		expect(delta('hfq_http_request_duration_seconds_count', { ...route, status: '401' })).toBe(1);
		expect(delta('hfq_http_request_duration_seconds_count', { ...route, status: '400' })).toBe(1);
		expect(delta('hfq_http_request_duration_seconds_bucket', { ...route, status: '200', le: '+Inf' })).toBe(3);
		expect(delta('hfq_http_request_duration_seconds_sum', { ...route, status: '200' })).toBeGreaterThan(0);
		// The scrape before this one was itself timed.
		expect(sampleValue(after, 'hfq_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(2);
	});

	it('logs refused alerts, the LLM failure and an unhandled database error as JSON lines', SLOW, async () => {
		await admin.query(`RENAME TABLE \`${dbName}\`.decisions TO \`${dbName}\`.decisions_away`);
		try {
			const res = await sendAlert(alertBody());
			expect(res.status).toBe(500);
			expect(await res.json()).toEqual({ detail: 'Internal Server Error' });
		} finally {
			await admin.query(`RENAME TABLE \`${dbName}\`.decisions_away TO \`${dbName}\`.decisions`);
		}
		const lines = service
			.output()
			.split('\n')
			.filter((l) => l.trim() !== '');
		const entries = lines.map((l) => JSON.parse(l) as { level: string; msg: string; err?: { message?: string } });
		expect(entries.every((e) => typeof e.level === 'string' && typeof e.msg === 'string')).toBe(true);
		const msgs = entries.map((e) => `${e.level} ${e.msg}`);
		expect(msgs).toContainEqual(expect.stringMatching(/^info HighFreqQuant math service listening on http:\/\/127\.0\.0\.1:\d+ .*API key required/));
		expect(msgs).toContainEqual('warn alert refused: missing or wrong secret');
		expect(msgs).toContainEqual(expect.stringMatching(/^warn LLM cross-check unavailable/));
		const dbError = entries.find((e) => e.msg === 'Unhandled error on POST /v1/signals/tradingview:');
		expect(dbError?.level).toBe('error');
		expect(dbError?.err?.message).toMatch(/decisions/);
	});

	it('SIGTERM: the in-flight alert is decided and answered, new connections are refused, exit 0', SLOW, async () => {
		const alert = alertBody({ ticker: 'BINANCE:ETHUSDT' });
		const bytes = new TextEncoder().encode(JSON.stringify(alert));
		let sendRest!: () => void;
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(bytes.subarray(0, bytes.length >> 1));
				sendRest = () => {
					controller.enqueue(bytes.subarray(bytes.length >> 1));
					controller.close();
				};
			},
		});
		const inFlight = fetch(`${service.url}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
		await new Promise((r) => setTimeout(r, 300));
		service.child.kill('SIGTERM');
		for (let i = 0; i < 200 && !service.output().includes('SIGTERM received'); i++) await new Promise((r) => setTimeout(r, 50));
		expect(service.output()).toContain('SIGTERM received, finishing in-flight requests');
		await expect(fetch(`${service.url}/health`)).rejects.toThrow();
		sendRest();
		const res = await inFlight;
		expect(res.status).toBe(200);
		const answer = (await res.json()) as { status: string; decision_id: number; alert_id: string };
		expect(answer).toMatchObject({ status: 'approved', alert_id: alert.alert_id });
		expect(await service.exited).toEqual({ code: 0, signal: null });
		expect(service.output()).toContain('math-service: stopped (database closed)');
		const [rows] = await admin.query(`SELECT id, status FROM \`${dbName}\`.decisions WHERE alert_id = ?`, [alert.alert_id]);
		expect(rows).toEqual([{ id: answer.decision_id, status: 'approved' }]);
	});

	it('no secret appears anywhere in what the process printed', () => {
		const output = service.output();
		expect(output.length).toBeGreaterThan(1_000);
		const leaked = Object.entries(MARKERS).filter(([, marker]) => output.includes(marker) || output.includes(marker.replace(/^\d+:/, '')));
		expect(leaked.map(([name]) => name)).toEqual([]);
		// What the redaction left in their place.
		expect(output).toContain('[Redacted]');
	});
});
