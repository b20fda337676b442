// The optional source-IP allowlist over a real HTTP server. With no trusted proxy the TCP peer
// address decides (127.0.0.1 here), never a header a client could forge. Behind N trusted proxies
// (HFQ_TRUSTED_PROXIES) the client is N hops from the right of X-Forwarded-For; the loopback peer
// plays the proxy next to the service, and entries left of what the proxies appended are forgeable.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, counts, startService, type ServiceHarness } from './serviceHarness';

let h: ServiceHarness | undefined;
let server: ServerType | undefined;

afterEach(async () => {
	if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
	server = undefined;
	await h?.close();
	h = undefined;
});

async function listen(allowlist: string[] | 'tradingview', trustedProxies = 0) {
	h = await startService({ settings: { ipAllowlist: allowlist, trustedProxies } });
	return new Promise<number>((resolve) => {
		server = serve({ fetch: h!.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
	});
}

const deliver = (port: number, headers: Record<string, string> = {}) =>
	fetch(`http://127.0.0.1:${port}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify(alert()) });

describe('source-IP allowlist', () => {
	it('accepts a peer inside the allowlist', async () => {
		const port = await listen(['127.0.0.0/8']);
		expect((await deliver(port)).status).toBe(200);
	});

	it("refuses a peer outside it (TradingView's published IPs) with 401, even with a forged X-Forwarded-For, storing nothing", async () => {
		const port = await listen('tradingview');
		const res = await deliver(port, { 'X-Forwarded-For': '52.89.214.238' });
		expect(res.status).toBe(401);
		expect(await counts(h!.storage)).toMatchObject({ signals: 0, decisions: 0, positions: 0 });
	});

	it('behind one trusted proxy: refuses a spoofed first X-Forwarded-For entry from outside the allowlist, storing nothing', async () => {
		const port = await listen('tradingview', 1);
		// The attacker wrote "52.89.214.238"; the proxy appended the address it really saw.
		const spoofed = await deliver(port, { 'X-Forwarded-For': '52.89.214.238, 203.0.113.7' });
		expect(spoofed.status).toBe(401);
		expect(await spoofed.json()).toEqual({ detail: 'Unauthorized: source address is not in the webhook IP allowlist' });
		// No header at all: the request did not come through the proxy; fail closed.
		expect((await deliver(port)).status).toBe(401);
		expect(await counts(h!.storage)).toMatchObject({ signals: 0, decisions: 0, positions: 0 });
	});

	it('behind one trusted proxy: accepts TradingView as the entry the proxy appended', async () => {
		const port = await listen('tradingview', 1);
		const res = await deliver(port, { 'X-Forwarded-For': '52.89.214.238' });
		expect(res.status, await res.clone().text()).toBe(200);
		expect((await res.json()).status).toBe('approved');
	});

	it('behind two trusted proxies (CDN → reverse proxy): accepts the real chain, refuses a spoofed one', async () => {
		const port = await listen('tradingview', 2);
		expect((await deliver(port, { 'X-Forwarded-For': '52.89.214.238, 172.16.0.5' })).status).toBe(200);
		expect((await deliver(port, { 'X-Forwarded-For': '52.89.214.238, 203.0.113.7, 172.16.0.5' })).status).toBe(401);
		expect(await counts(h!.storage)).toMatchObject({ signals: 1, decisions: 1 });
	});
});
