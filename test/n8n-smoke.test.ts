// Smoke test of the n8n harness: a real n8n (each tested release: 2.8.4 and the current 2.41.1)
// with this package installed the way a user installs it (npm pack → ~/.n8n/nodes/node_modules),
// workflows imported and published through the CLI, called on their production webhook URLs.
// One n8n start per release.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { credential, loadedCredentialTypes, loadedNodeTypes, N8N_TEST_VERSIONS, PACKAGE_NAME, startN8n, type N8nInstance } from './support/n8nHarness';

const root = join(__dirname, '..');
const API_KEY = 'smoke-key-7f3a';

interface Recorded {
	method: string;
	url: string;
	apiKey: string | undefined;
	body: unknown;
}

/** A stand-in math service: records what the Risk Sizer node sends and answers with a fixed receipt. */
function startMathFake(): Promise<{ url: string; requests: Recorded[]; server: Server }> {
	const requests: Recorded[] = [];
	const server = createServer(async (req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		requests.push({ method: req.method ?? '', url: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined, body: text ? JSON.parse(text) : undefined });
		const body = requests.at(-1)!.body as { win_rate?: number } | undefined;
		if ((body?.win_rate ?? 0) > 1) {
			// the service's 4xx shape for a bad input (FastAPI-style detail list)
			res.writeHead(422, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ detail: [{ loc: ['body', 'win_rate'], msg: 'Input should be less than or equal to 1', input: body!.win_rate }] }));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ kelly_fraction: 0.25, fractional_kelly: 0.0625, position_pct: 6.25, served_by: 'math-fake' }));
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server })),
	);
}

describe.each(N8N_TEST_VERSIONS)('real n8n %s with n8n-nodes-highfreqquant installed', (version) => {
	let n8n: N8nInstance;
	let math: Awaited<ReturnType<typeof startMathFake>>;

	beforeAll(async () => {
		math = await startMathFake();
		n8n = await startN8n({
			version,
			workflows: [join(root, 'test/fixtures/workflows/webhook-echo.json'), join(root, 'test/fixtures/workflows/risk-sizer.json')],
			credentials: [credential('highFreqQuantApi', 'HFQ smoke math service', { baseUrl: math.url, apiKey: API_KEY }, 'hfqSmokeMathCred')],
		});
		expect(n8n.version).toBe(version);
		console.log(`[n8n-smoke] n8n ${version} ready at ${n8n.baseUrl}; timings ms ${JSON.stringify(n8n.timings)}`);
	});

	afterAll(async () => {
		await n8n?.stop();
		await new Promise((resolve) => math?.server.close(resolve));
	});

	it('installs the package under .n8n/nodes/node_modules like a user install', () => {
		expect(n8n.installed?.name).toBe(PACKAGE_NAME);
		expect(n8n.installed?.dir).toBe(join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME));
	});

	it('loads every node and credential of the package under the package-name prefix', () => {
		const nodes = loadedNodeTypes(n8n);
		expect(nodes).toContain(`${PACKAGE_NAME}.riskSizer`);
		// one node type per file of the package.json "n8n" manifest (plus the "<name>Tool" variant n8n
		// adds for usableAsTool nodes): none failed to load
		const ours = nodes.filter((type) => type.startsWith(`${PACKAGE_NAME}.`));
		const base = ours.filter((type) => !(type.endsWith('Tool') && ours.includes(type.slice(0, -'Tool'.length))));
		expect(base).toHaveLength(n8n.installed!.nodeFiles.length);
		expect(ours).toContain(`${PACKAGE_NAME}.riskSizerTool`);
		expect(nodes.some((type) => type.startsWith('CUSTOM.'))).toBe(false);
		expect(loadedCredentialTypes(n8n)).toContain('highFreqQuantApi');
	});

	it('answers on the production webhook URL of a published workflow', async () => {
		const res = await fetch(n8n.webhookUrl('hfq-smoke-echo'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ticker: 'BTCUSDT', close: 87420.5 }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ echo: { ticker: 'BTCUSDT', close: 87420.5 }, smoke: true });
	});

	it('hands a text/plain body (as TradingView sends) to the workflow as the raw string', async () => {
		const alert = '{"ticker":"BTCUSDT","close":87420.5}';
		const res = await fetch(n8n.webhookUrl('hfq-smoke-echo'), { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: alert });
		expect(await res.json()).toEqual({ echo: alert, smoke: true });
	});

	it('refuses malformed JSON with 422 before the workflow runs (no execution is recorded)', async () => {
		const before = n8n.lastExecutionId('hfqSmokeEcho0001');
		const res = await fetch(n8n.webhookUrl('hfq-smoke-echo'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad json' });
		expect(res.status).toBe(422);
		expect((await res.json()).message).toBe('Failed to parse request body');
		// a valid request afterwards is the next execution: nothing was recorded for the malformed one
		await fetch(n8n.webhookUrl('hfq-smoke-echo'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ok":1}' });
		const next = await n8n.waitForExecution({ workflowId: 'hfqSmokeEcho0001', afterId: before });
		expect(n8n.executions({ workflowId: 'hfqSmokeEcho0001', limit: 50 }).filter((e) => e.id > before).map((e) => e.id)).toEqual([next.id]);
		expect(next.nodes.Webhook.items[0]).toMatchObject({ body: { ok: 1 } });
	});

	const postKelly = (body: object) =>
		fetch(n8n.webhookUrl('hfq-smoke-kelly'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('runs the Risk Sizer node with the imported credential against the math service', async () => {
		const before = math.requests.length;
		const res = await postKelly({ win_rate: '0.55', avg_win: 1.5, avg_loss: 1 });
		const text = await res.text();
		expect(res.status, text).toBe(200);
		expect(JSON.parse(text)).toEqual({ risk: { kelly_fraction: 0.25, fractional_kelly: 0.0625, position_pct: 6.25, served_by: 'math-fake' } });
		const calls = math.requests.slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ method: 'POST', url: '/v1/kelly', apiKey: API_KEY });
		expect(calls[0].body).toMatchObject({ win_rate: 0.55, avg_win: 1.5, avg_loss: 1, fraction: 0.25, cap: 0.1 });
	});

	it("records the node's output in the execution, readable from n8n's database", async () => {
		const afterId = n8n.lastExecutionId('hfqSmokeRisk0001');
		expect((await postKelly({ win_rate: '0.6', avg_win: 2, avg_loss: 1 })).status).toBe(200);
		const execution = await n8n.waitForExecution({ workflowId: 'hfqSmokeRisk0001', afterId });
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook', lastNodeExecuted: 'Respond', error: null });
		expect(execution.nodes['Risk Sizer'].items[0]).toMatchObject({ risk: { position_pct: 6.25 }, body: { win_rate: '0.6' } });
	});

	it('fails the execution with the service reason when the math service rejects the input', async () => {
		const afterId = n8n.lastExecutionId('hfqSmokeRisk0001');
		const res = await postKelly({ win_rate: 1.5, avg_win: 1.5, avg_loss: 1 });
		// With "Respond to Webhook" mode, a workflow that fails before that node answers 200 with an
		// empty body on n8n 2.8.4 (callers cannot tell) and 500 "Error in workflow" on 2.41.1; either
		// way the reason lives only in the execution.
		const expected = version === '2.8.4' ? { status: 200, body: '' } : { status: 500, body: '{"message":"Error in workflow"}' };
		expect({ status: res.status, body: await res.text() }).toEqual(expected);
		const execution = await n8n.waitForExecution({ workflowId: 'hfqSmokeRisk0001', afterId });
		expect(execution.status).toBe('error');
		expect(execution.error?.node).toBe('Risk Sizer');
		expect(execution.error?.message).toBe('The math service rejected the input: win_rate: Input should be less than or equal to 1 (got 1.5)');
	});

	it('keeps n8n quiet about the network: no telemetry or version-check errors in the log', () => {
		expect(n8n.logs()).not.toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
	});
});
