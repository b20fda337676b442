/**
 * The node:http listener main.ts serves (app.ts `createRequestListener`: fast JSON routes in front
 * of the Hono app) answers every request exactly as the app alone does — status, content type and
 * body bytes — and answers the happy path of /v1/kelly and /v1/var without the app.
 */
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createRequestListener, type AppDeps } from './app';
import { loadConfig } from './config';

const KEY = 'fast-path-key-0123456789abcdef';
const deps: AppDeps = { config: { ...loadConfig({ MATH_SERVICE_API_KEY: KEY }), bodyLimitBytes: 4_000 }, logError: () => {} };
const app = createApp(deps);
let appCalls = 0;
let server: Server;
let base: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
	const served = createApp(deps);
	const fetch = served.fetch;
	served.fetch = (...args: Parameters<typeof fetch>) => {
		appCalls++;
		return fetch(...args);
	};
	server = createServer(createRequestListener(deps, served));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	agent.destroy();
	await new Promise((resolve) => server.close(resolve));
});

interface Case {
	method?: string;
	path: string;
	headers?: Record<string, string>;
	body?: string;
}

interface Answer {
	status: number;
	contentType: string | null;
	body: string;
}

const JSON_KEYED = { 'content-type': 'application/json', 'x-api-key': KEY };

/** Over a kept-alive socket, so a request handed on after its body was read must leave it usable. */
function overHttp({ method = 'POST', path, headers = JSON_KEYED, body }: Case): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(`${base}${path}`, { method, headers, agent }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d: string) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'] ?? null, body: text }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function viaApp({ method = 'POST', path, headers = JSON_KEYED, body }: Case): Promise<Answer> {
	// bytes, not a string, so that no Content-Type is added where the case sends none
	const res = await app.request(path, { method, headers, body: body === undefined ? undefined : new TextEncoder().encode(body) });
	return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

const kelly = (body: unknown, headers?: Record<string, string>): Case => ({ path: '/v1/kelly', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const vaR = (body: unknown, headers?: Record<string, string>): Case => ({ path: '/v1/var', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const returns = Array.from({ length: 300 }, (_, i) => Number((Math.sin(i * 1.7) / 50).toFixed(6)));

const FAST: Case[] = [
	kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1, fraction: 0.25 }),
	kelly({ win_rate: 0.3, avg_win: 1, avg_loss: 1 }),
	kelly({ win_rate: 0.9, avg_win: 3, avg_loss: 1, cap: 0.5, extra: 'ignored' }),
	kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }, { 'content-type': 'application/json; charset=utf-8', 'x-api-key': KEY }),
	vaR({ returns, confidence: 0.95 }),
	vaR({ returns, confidence: 0.99, method: 'parametric', horizon: 10 }),
	vaR({ returns, method: 'cornish_fisher' }),
	vaR({ returns: [] }),
	vaR({ returns: [0.01] }),
	vaR(` { "returns" : [ 1e-2 , -2E-2, 0.5e1 ] , "confidence" : 0.9 } `),
];

const HANDED_ON: Case[] = [
	// valid, but not a shape the fast path reads: the app answers 200
	vaR({ returns, confidence: 0.95, meta: { source: 'x' } }),
	vaR('{"returns":[0.01,-0.02],"method":"hist\\u006frical"}'),
	{ path: '/v1/kelly?x=1', body: JSON.stringify({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }) },
	// 422
	kelly({ win_rate: 1.5, avg_win: 1.8, avg_loss: 1 }),
	kelly({ avg_win: 1.8 }),
	kelly({ win_rate: '0.5', avg_win: 1.8, avg_loss: 1 }),
	kelly([1, 2]),
	vaR({ returns: [0.01, 'x'] }),
	vaR({ returns: [0.01, null] }),
	vaR({ returns: [0.01, 1e400] }),
	vaR({ returns, confidence: 1 }),
	vaR({ returns, method: 'monte_carlo' }),
	vaR({ returns, horizon: 1.5 }),
	vaR({ confidence: 0.9 }),
	vaR({ returns: 'many' }),
	vaR('{"returns":[0.01],"returns":[0.02]}'),
	// 400, 401, 413, 415, 405
	kelly('{"win_rate": 0.5,'),
	vaR('{"returns":[0.01,]}'),
	kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }, { 'content-type': 'application/json' }),
	kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }, { 'content-type': 'application/json', 'x-api-key': `${KEY}x` }),
	vaR({ returns: Array.from({ length: 2000 }, () => 0.01) }),
	kelly('win_rate=1', { 'content-type': 'text/plain', 'x-api-key': KEY }),
	kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }, { 'x-api-key': KEY }),
	{ method: 'GET', path: '/v1/kelly' },
	{ method: 'GET', path: '/health' },
];

describe('createRequestListener', () => {
	it('answers the happy path of /v1/kelly and /v1/var itself, byte for byte as the app would', async () => {
		for (const c of FAST) {
			const before = appCalls;
			const fast = await overHttp(c);
			expect(fast.status, c.body).toBe(200);
			expect(fast, c.body).toEqual(await viaApp(c));
			expect(appCalls - before, `answered without the app: ${c.body}`).toBe(0);
		}
	});

	it('hands every other request to the app, which answers it as it always does', async () => {
		for (const c of HANDED_ON) {
			const before = appCalls;
			const answer = await overHttp(c);
			expect(answer, `${c.method ?? 'POST'} ${c.path} ${c.body ?? ''}`.slice(0, 200)).toEqual(await viaApp(c));
			expect(appCalls - before).toBe(1);
		}
	});

	it('keeps a kept-alive connection usable after handing on a request whose body it had read', async () => {
		const sockets = new Set<unknown>();
		server.on('connection', (s) => sockets.add(s));
		await overHttp(kelly({ win_rate: 2, avg_win: 1, avg_loss: 1 }));
		await new Promise((r) => setTimeout(r, 800));
		const after = await overHttp(kelly({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1 }));
		expect(after.status).toBe(200);
		expect(sockets.size).toBe(0);
	});
});

describe('metrics of the fast path', () => {
	it('counts the 200s it answers in the request-latency histogram, by route', async () => {
		const countOf = (text: string, route: string) =>
			Number(text.match(new RegExp(`hfq_http_request_duration_seconds_count\\{method="POST",route="${route}",status="200"\\} (\\d+)`))?.[1] ?? 0);
		const scrape = async () => (await overHttp({ method: 'GET', path: '/metrics', headers: { 'x-api-key': KEY } })).body;
		const before = await scrape();
		const fast = FAST.filter((c) => c.path === '/v1/kelly');
		for (const c of fast) await overHttp(c);
		const after = await scrape();
		expect(countOf(after, '/v1/kelly') - countOf(before, '/v1/kelly')).toBe(fast.length);
	});
});
