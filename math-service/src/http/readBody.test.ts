import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadConfig } from '../config';

// Through a real @hono/node-server, where readBody takes the IncomingMessage fast path.
let server: ServerType;
let url: string;
beforeAll(async () => {
	const app = createApp({ config: { ...loadConfig({}), bodyLimitBytes: 2048 }, logError: () => {} });
	await new Promise<void>((resolve) => {
		server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
	});
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
	fetch(`${url}${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

function chunked(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	return new ReadableStream({
		start(controller) {
			for (let i = 0; i < bytes.length; i += 100) controller.enqueue(bytes.subarray(i, i + 100));
			controller.close();
		},
	});
}

describe('readBody on node-server', () => {
	it('serves a JSON body with Content-Length', async () => {
		const res = await post('/v1/kelly', JSON.stringify({ win_rate: 0.55, avg_win: 1.5, avg_loss: 1 }));
		expect(res.status).toBe(200);
		expect((await res.json()).position_pct).toBeCloseTo(6.25, 10);
	});

	it('serves a chunked JSON body under the limit', async () => {
		const res = await post('/v1/var', chunked(JSON.stringify({ returns: new Array(100).fill(0.001) })));
		expect(res.status).toBe(200);
	});

	it('answers 413 by Content-Length before reading', async () => {
		const res = await post('/v1/var', JSON.stringify({ returns: new Array(1000).fill(0.001) }));
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual({ detail: 'Request body too large: the limit is 2048 bytes' });
	});

	it('answers 413 for a chunked body that passes the limit', async () => {
		const res = await post('/v1/var', chunked(JSON.stringify({ returns: new Array(1000).fill(0.001) })));
		expect(res.status).toBe(413);
	});

	it('answers 400 for garbage bytes and 422 for a bad body, as in-process', async () => {
		const garbage = await post('/v1/kelly', new Uint8Array([0xff, 0xfe, 0x00, 0x7b]));
		expect(garbage.status).toBe(400);
		expect((await garbage.json()).detail).toMatch(/^Malformed JSON body: /);
		const bad = await post('/v1/kelly', JSON.stringify({ win_rate: 2 }));
		expect(bad.status).toBe(422);
		expect((await bad.json()).detail[0]).toMatchObject({ type: 'less_than_equal', loc: ['body', 'win_rate'] });
	});

	it('answers 415 (not a hang) for a body without Content-Type, whose stream readBody consumed', async () => {
		const res = await post('/v1/kelly', new TextEncoder().encode('{"win_rate":0.5}'), {});
		expect(res.status).toBe(415);
		expect((await res.json()).detail).toMatch(/no Content-Type header/);
	});

	it('answers 415 for text/plain and serves GET /health', async () => {
		expect((await post('/v1/kelly', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
		expect((await fetch(`${url}/health`)).status).toBe(200);
	});
});
