import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adviseKelly } from './kellyAdvisor';

interface FakeOllama {
	url: string;
	requests: Array<{ path: string; body: Record<string, unknown> }>;
	close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	let raw = '';
	for await (const chunk of req) raw += chunk;
	return JSON.parse(raw) as Record<string, unknown>;
}

/** A loopback Ollama that answers /api/generate with `answer` (or stalls/fails). */
async function fakeOllama(reply: { status?: number; response?: string; delayMs?: number; error?: string }): Promise<FakeOllama> {
	const requests: FakeOllama['requests'] = [];
	const server: Server = createServer(async (req, res) => {
		const body = await readJson(req);
		requests.push({ path: req.url ?? '', body });
		setTimeout(() => {
			res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
			if (reply.error) res.end(JSON.stringify({ error: reply.error }));
			else
				res.end(
					JSON.stringify({
						model: body.model,
						created_at: '2026-11-22T00:00:00Z',
						response: reply.response ?? '',
						done: true,
						done_reason: 'stop',
						total_duration: 1,
						eval_count: 1,
					}),
				);
		}, reply.delayMs ?? 0);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const INPUT = { winRate: 0.55, avgWin: 0.02, avgLoss: 0.02, fraction: 0.25 };
// f* = 0.55 − 0.45/1 = 0.10; quarter Kelly = 0.025
const DETERMINISTIC = 0.025;

let fake: FakeOllama | undefined;
afterEach(async () => {
	await fake?.close();
	fake = undefined;
});

describe('adviseKelly', () => {
	it('returns agrees when the model’s number is within tolerance, and sends a JSON-schema request', async () => {
		fake = await fakeOllama({ response: JSON.stringify({ fractional_kelly: 0.0251, rationale: 'Edge 10%, quarter Kelly 2.5%.' }) });
		const advice = await adviseKelly({ host: fake.url, model: 'glm-5:cloud', timeoutMs: 2000, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('agrees');
		expect(advice.llmFractionalKelly).toBeCloseTo(0.0251, 12);
		expect(advice.rationale).toContain('quarter Kelly');
		expect(fake.requests[0].path).toBe('/api/generate');
		expect(fake.requests[0].body.model).toBe('glm-5:cloud');
		expect(fake.requests[0].body.stream).toBe(false);
		expect(fake.requests[0].body.format).toMatchObject({ type: 'object' });
		expect(String(fake.requests[0].body.prompt)).toContain('0.55');
	});

	it('returns disagrees with the delta when the model is off by more than the tolerance', async () => {
		fake = await fakeOllama({ response: JSON.stringify({ fractional_kelly: 0.1, rationale: 'Full Kelly.' }) });
		const advice = await adviseKelly({ host: fake.url, model: 'm', timeoutMs: 2000, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('disagrees');
		expect(advice.deltaAbs).toBeCloseTo(0.075, 12);
		expect(advice.deterministicFractionalKelly).toBe(DETERMINISTIC);
		expect(advice.note).toMatch(/deterministic value kept/i);
	});

	it('returns unparseable when the model answers without a number', async () => {
		fake = await fakeOllama({ response: 'I cannot help with that.' });
		const advice = await adviseKelly({ host: fake.url, model: 'm', timeoutMs: 2000, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('unparseable');
		expect(advice.llmFractionalKelly).toBeNull();
	});

	it('returns unavailable (never throws) when Ollama answers an error', async () => {
		fake = await fakeOllama({ status: 404, error: 'model "m" not found, try pulling it first' });
		const advice = await adviseKelly({ host: fake.url, model: 'm', timeoutMs: 2000, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('unavailable');
		expect(advice.note).toMatch(/not found/);
	});

	it('returns unavailable after the timeout when Ollama stalls', async () => {
		fake = await fakeOllama({ delayMs: 5_000, response: '{}' });
		const advice = await adviseKelly({ host: fake.url, model: 'm', timeoutMs: 150, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('unavailable');
		expect(advice.note).toMatch(/timed out/i);
	});

	it('returns unavailable when nothing listens at the host', async () => {
		const advice = await adviseKelly({ host: 'http://127.0.0.1:9', model: 'm', timeoutMs: 1000, tolerance: 0.002 }, INPUT, DETERMINISTIC);
		expect(advice.status).toBe('unavailable');
	});
});
