// What an unauthenticated caller can get out of the public intake (POST /v1/signals/tradingview),
// over a real HTTP server: 429 + Retry-After past the per-address token bucket, 413 past the 16 KB
// alert limit, and 401 before any validation detail when the secret is wrong. Nothing is stored.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineSettings } from '../../math-service/src/pipeline/pipelineSettings';
import { alert, counts, post, SECRET, startService, type ServiceHarness } from './serviceHarness';

let h: ServiceHarness | undefined;
let server: ServerType | undefined;

afterEach(async () => {
	if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
	server = undefined;
	await h?.close();
	h = undefined;
});

async function listen(settings: Partial<PipelineSettings> = {}) {
	h = await startService({ settings });
	return new Promise<number>((resolve) => {
		server = serve({ fetch: h!.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
	});
}

const deliver = (port: number, body: unknown, headers: Record<string, string> = {}) =>
	fetch(`http://127.0.0.1:${port}/v1/signals/tradingview`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

describe('intake rate limit', () => {
	it('answers 429 with Retry-After once an address has used its burst, and stores nothing for it', async () => {
		const port = await listen({ intakeBurst: 3, intakeRatePerSecond: 0.5 });
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await deliver(port, alert())).status);
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		const refused = await deliver(port, alert());
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toMatch(/^[12]$/);
		expect(await refused.json()).toMatchObject({ reason_code: 'rate_limited' });
		expect(await counts(h!.storage)).toMatchObject({ signals: 3, decisions: 3 });
	});

	it('counts per client address behind a trusted proxy (the right-most X-Forwarded-For entry)', async () => {
		const port = await listen({ intakeBurst: 1, intakeRatePerSecond: 0.1, trustedProxies: 1 });
		expect((await deliver(port, alert(), { 'X-Forwarded-For': '52.89.214.238' })).status).toBe(200);
		expect((await deliver(port, alert(), { 'X-Forwarded-For': '52.89.214.238' })).status).toBe(429);
		// A forged first entry does not buy a new bucket: the proxy-appended address is the same.
		expect((await deliver(port, alert(), { 'X-Forwarded-For': '1.2.3.4, 52.89.214.238' })).status).toBe(429);
		expect((await deliver(port, alert(), { 'X-Forwarded-For': '34.212.75.30' })).status).toBe(200);
	});

	it('never throttles a bar-close burst of a 10-asset universe with the default settings', async () => {
		const port = await listen({ intakeBurst: 100, intakeRatePerSecond: 10 });
		const assets = ['BTC', 'ETH', 'SOL', 'AVAX', 'NEAR', 'BNB', 'ARB', 'OP', 'POL', 'BTC'];
		const answers = await Promise.all(
			assets.flatMap((a) => [0, 1, 2, 3].map(() => deliver(port, alert({ ticker: `BINANCE:${a}USDT` })))),
		);
		expect(answers.map((r) => r.status).filter((s) => s === 429)).toEqual([]);
	});
});

describe('intake size limit', () => {
	it('answers 413 for a body over 16 KB before authenticating or storing anything', async () => {
		const port = await listen();
		// A wrong secret: without the guard this would be a 401 (auth runs before parsing).
		const big = JSON.stringify({ ...alert({ secret: 'wrong' }), note: 'x'.repeat(17_000) });
		const res = await deliver(port, big);
		expect(res.status).toBe(413);
		expect((await res.json()).detail).toMatch(/16384 bytes/);
		const chunked = await fetch(`http://127.0.0.1:${port}/v1/signals/tradingview`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode(big)); ctl.close(); } }),
			duplex: 'half',
		} as RequestInit);
		expect(chunked.status).toBe(413);
		expect(await counts(h!.storage)).toMatchObject({ signals: 0, decisions: 0 });
	});
});

describe('authentication before validation', () => {
	it.each([
		['an invalid field', { ...alert({ secret: 'wrong' }), close: 'abc' }],
		['a missing field', { secret: 'wrong', action: 'buy' }],
		['no secret and not an alert', { hello: 'world' }],
		['text that is not JSON', 'close={{close}}'],
		['an unsupported media type', JSON.stringify(alert({ secret: 'wrong' }))],
	])('a wrong secret with %s gets 401 and no validation detail', async (_, body) => {
		h = await startService();
		const res = await post(h.app, '/v1/signals/tradingview', body, _ === 'an unsupported media type' ? 'application/xml' : 'text/plain');
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ detail: 'Unauthorized: missing or wrong secret' });
		expect(await counts(h.storage)).toMatchObject({ signals: 0, decisions: 0 });
	});

	it('the right secret with an invalid field gets the 422 detail', async () => {
		h = await startService();
		const res = await post(h.app, '/v1/signals/tradingview', { ...alert(), close: 'abc' }, 'text/plain');
		expect(res.status).toBe(422);
		expect(JSON.stringify(await res.json())).toMatch(/close/);
	});

	it('the right secret with an unexpanded placeholder (not JSON) gets the fix-your-template 422', async () => {
		h = await startService();
		const res = await post(h.app, '/v1/signals/tradingview', `{"secret":"${SECRET}","action":"buy","close": {{close}}}`, 'text/plain');
		expect(res.status).toBe(422);
		expect((await res.json()).reason_code).toBe('unexpanded_placeholder');
	});
});
