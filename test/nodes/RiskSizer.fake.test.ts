/**
 * Risk Sizer against a loopback fake of the math service: what the real service cannot be made
 * to do on demand (fail with 500, vanish), and what only the server side can see (the exact
 * request path, body and headers the node sends).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { RiskSizer } from '../../nodes/RiskSizer/RiskSizer.node';
import { runNode, testCredential } from '../support/nodeHarness';
import { startFakeMathService, type FakeHandler, type FakeMathService } from './fakeMathService';

const KELLY_OK = { kelly_fraction: 0.25, fractional_kelly: 0.0625, position_pct: 6.25 };

let fake: FakeMathService | undefined;
afterEach(async () => {
	await fake?.close();
	fake = undefined;
});

async function serve(handler: FakeHandler) {
	fake = await startFakeMathService(handler);
	return fake;
}

const credential = (baseUrl: string, apiKey = '') => ({ type: new HighFreqQuantApi(), data: { baseUrl, apiKey } });

describe('Risk Sizer request (fake service)', () => {
	it('posts the Kelly parameters in snake_case with the X-API-Key header', async () => {
		const service = await serve(() => ({ status: 200, body: KELLY_OK }));
		const { items, error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'kelly', winRate: '={{ $json.p }}', avgWin: 2, avgLoss: '={{ $json.loss }}', fraction: 0.5, cap: 0.2 },
			input: [{ p: '0.6', loss: 1.25 }],
			credentials: [credential(service.baseUrl, 'key-0123456789abcdef')],
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ p: '0.6', loss: 1.25, ...KELLY_OK }]);
		expect(service.requests).toHaveLength(1);
		const [request] = service.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/kelly');
		expect(request.headers['x-api-key']).toBe('key-0123456789abcdef');
		expect(request.body).toEqual({ win_rate: 0.6, avg_win: 2, avg_loss: 1.25, fraction: 0.5, cap: 0.2 });
	});

	it('posts VaR returns from an expression and the method value the service expects', async () => {
		const body = { var: 0.031, cvar: 0.042, method: 'cornish_fisher', confidence: 0.99, horizon: 5, reason: null };
		const service = await serve(() => ({ status: 200, body }));
		const returns = [0.01, -0.02, 0.003];
		const { items } = await runNode({
			node: new RiskSizer(),
			parameters: {
				operation: 'var',
				returns: '={{ $json.series }}',
				confidence: 0.99,
				method: 'cornish_fisher',
				horizon: 5,
				options: { outputField: 'risk' },
			},
			input: [{ series: returns }],
			credentials: [credential(`${service.baseUrl}/`)],
		});
		expect(service.requests[0].path).toBe('/v1/var');
		expect(service.requests[0].body).toEqual({ returns, confidence: 0.99, method: 'cornish_fisher', horizon: 5 });
		expect(items[0].json).toEqual({ series: returns, risk: body });
	});

	it('rejects Returns that are not a JSON array without calling the service', async () => {
		const service = await serve(() => ({ status: 200, body: {} }));
		const { items, error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'var', returns: '0.01, -0.02' },
			credentials: [credential(service.baseUrl)],
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/Returns must be a JSON array/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(service.requests).toHaveLength(0);
	});
});

describe('Risk Sizer failures (fake service)', () => {
	it('turns a 500 into a NodeApiError with the HTTP code and the item index', async () => {
		const service = await serve((request) =>
			(request.body as { win_rate: number }).win_rate > 0.7
				? { status: 500, body: { detail: 'Internal Server Error' } }
				: { status: 200, body: KELLY_OK },
		);
		const { error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'kelly', winRate: '={{ $json.p }}' },
			input: [{ p: 0.55 }, { p: 0.8 }],
			credentials: [credential(service.baseUrl)],
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('500');
		expect(error?.message).toContain('Internal Server Error');
		expect(error?.context?.itemIndex).toBe(1);
	});

	it('turns an unreachable service into a NodeApiError naming the base URL', async () => {
		const service = await serve(() => ({ status: 200, body: KELLY_OK }));
		const deadUrl = service.baseUrl;
		await service.close();
		fake = undefined;
		const { error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'kelly' },
			credentials: [credential(deadUrl)],
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toContain(`${deadUrl}/v1/kelly`);
	});
});

describe('HighFreqQuant API credential test (fake service)', () => {
	it('sends GET /health with the API key and reports OK on 200', async () => {
		const service = await serve(() => ({ status: 200, body: { status: 'ok' } }));
		const result = await testCredential(new HighFreqQuantApi(), {
			baseUrl: `${service.baseUrl}/`,
			apiKey: 'key-0123456789abcdef',
		});
		expect(result.status).toBe('OK');
		expect(service.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /health']);
		expect(service.requests[0].headers['x-api-key']).toBe('key-0123456789abcdef');
	});

	it('reports Error when /health does not answer 2xx', async () => {
		const service = await serve(() => ({ status: 503, body: { detail: 'database down' } }));
		const result = await testCredential(new HighFreqQuantApi(), { baseUrl: service.baseUrl });
		expect(result.status).toBe('Error');
	});
});
