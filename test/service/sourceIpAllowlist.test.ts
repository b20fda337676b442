// The optional source-IP allowlist over a real HTTP server: the TCP peer address decides
// (127.0.0.1 here), never a header a client could forge.
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

async function listen(allowlist: string[] | 'tradingview') {
	h = await startService({ settings: { ipAllowlist: allowlist } });
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
});
