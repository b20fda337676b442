/**
 * Risk Sizer end to end in-process: the node runs inside n8n-core's WorkflowExecute and talks
 * over loopback HTTP to the real math service app (math-service/src/app.ts), which is started
 * with an API key so that authentication is exercised on every call.
 *
 * Kelly reference values are worked by hand from f* = p − (1 − p)/b, b = avg_win/avg_loss,
 * fractional = max(0, f*)·fraction, position_pct = min(fractional, cap)·100.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { RiskSizer } from '../../nodes/RiskSizer/RiskSizer.node';
import { runNode, testCredential } from '../support/nodeHarness';
import { startMathService, type RunningMathService } from './mathServiceServer';

const API_KEY = 'node-test-key-0123456789';
let service: RunningMathService;

beforeAll(async () => {
	service = await startMathService({ apiKey: API_KEY });
});
afterAll(async () => {
	await service?.close();
});

const credentials = (apiKey = API_KEY) => [
	{ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey } },
];

const kellyFromItem = {
	operation: 'kelly',
	winRate: '={{ $json.winRate }}',
	avgWin: '={{ $json.avgWin }}',
	avgLoss: '={{ $json.avgLoss }}',
};

describe('Risk Sizer › Kelly (real math service)', () => {
	it('returns quarter-Kelly sizes per item from expressions, capped at 10% and 0 without edge', async () => {
		const input = [
			{ symbol: 'BTC/USDT', winRate: 0.55, avgWin: 1.5, avgLoss: 1 }, // f* 0.25 → 0.0625 → 6.25 %
			{ symbol: 'ETH/USDT', winRate: 0.7, avgWin: 2, avgLoss: 1 }, // f* 0.55 → 0.1375 → capped 10 %
			{ symbol: 'SOL/USDT', winRate: 0.4, avgWin: 1, avgLoss: 1 }, // f* −0.2 → no edge → 0 %
			{ symbol: 'NEAR/USDT', winRate: '0.6', avgWin: '3', avgLoss: '1.5' }, // strings; f* 0.4 → 0.1 → 10 %
		];
		const { items, error, status } = await runNode({
			node: new RiskSizer(),
			parameters: kellyFromItem,
			input,
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(status).toBe('success');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const expected = [
			[0.25, 0.0625, 6.25],
			[0.55, 0.1375, 10],
			[-0.2, 0, 0],
			[0.4, 0.1, 10],
		];
		items.forEach(({ json }, i) => {
			expect(json.symbol).toBe(input[i].symbol);
			expect(json.kelly_fraction).toBeCloseTo(expected[i][0], 12);
			expect(json.fractional_kelly).toBeCloseTo(expected[i][1], 12);
			expect(json.position_pct).toBeCloseTo(expected[i][2], 10);
		});
	});

	it('uses the Kelly Fraction and Position Cap parameters (half Kelly, 20% cap)', async () => {
		const { items } = await runNode({
			node: new RiskSizer(),
			parameters: { ...kellyFromItem, fraction: 0.5, cap: 0.2, options: { outputField: 'sizing' } },
			input: [{ winRate: 0.7, avgWin: 2, avgLoss: 1 }], // f* 0.55 → 0.275 → capped 20 %
			credentials: credentials(),
		});
		const sizing = items[0].json.sizing as Record<string, number>;
		expect(sizing.fractional_kelly).toBeCloseTo(0.275, 12);
		expect(sizing.position_pct).toBeCloseTo(20, 10);
		expect(items[0].json.kelly_fraction).toBeUndefined();
	});

	it('fails on a 422 with a NodeOperationError that carries the service reason and the item index', async () => {
		const { items, error } = await runNode({
			node: new RiskSizer(),
			parameters: kellyFromItem,
			input: [
				{ winRate: 0.55, avgWin: 1.5, avgLoss: 1 },
				{ winRate: 1.5, avgWin: 1.5, avgLoss: 1 },
			],
			credentials: credentials(),
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^The math service rejected the input: win_rate: /);
		expect(error?.context?.itemIndex).toBe(1);
	});

	it('with continueOnFail, returns an error item for the rejected item and sizes the others', async () => {
		const { items, error } = await runNode({
			node: new RiskSizer(),
			parameters: kellyFromItem,
			input: [
				{ winRate: 0.55, avgWin: 1.5, avgLoss: 1 },
				{ winRate: 0.55, avgWin: 1.5, avgLoss: 0 },
				{ winRate: 0.7, avgWin: 2, avgLoss: 1 },
			],
			credentials: credentials(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.position_pct).toBeCloseTo(6.25, 10);
		expect(items[1].json.error).toMatch(/avg_loss/);
		expect(items[1].json.position_pct).toBeUndefined();
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[2].json.position_pct).toBeCloseTo(10, 10);
	});

	it('is refused with the service reason when the API key is wrong', async () => {
		const { error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'kelly' },
			credentials: credentials('not-the-key'),
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^The math service refused the credentials: .*X-API-Key/);
	});
});

describe('Risk Sizer › VaR (real math service)', () => {
	// 20 daily returns with one −8% day: the 95% historical loss quantile sits in the left tail.
	const returns = [
		0.012, -0.004, 0.007, -0.011, 0.003, 0.009, -0.006, 0.002, -0.08, 0.005, 0.011, -0.002, 0.004,
		-0.015, 0.006, 0.001, -0.003, 0.008, -0.009, 0.004,
	];

	for (const method of ['historical', 'parametric', 'cornish_fisher']) {
		it(`returns ${method} VaR and CVaR as positive loss ratios with CVaR ≥ VaR`, async () => {
			const { items, error } = await runNode({
				node: new RiskSizer(),
				parameters: { operation: 'var', returns: '={{ $json.returns }}', method, confidence: 0.95, horizon: 1 },
				input: [{ returns }],
				credentials: credentials(),
			});
			expect(error).toBeUndefined();
			const json = items[0].json as Record<string, unknown>;
			expect(json.method).toBe(method);
			expect(json.confidence).toBe(0.95);
			expect(json.horizon).toBe(1);
			if (json.var === null) {
				expect(typeof json.reason).toBe('string');
				return;
			}
			expect(json.var as number).toBeGreaterThan(0);
			expect(json.var as number).toBeLessThan(0.08 + 1e-12);
			expect(json.cvar as number).toBeGreaterThanOrEqual((json.var as number) - 1e-12);
		});
	}

	it('accepts Returns typed as a JSON array and scales VaR up with the horizon', async () => {
		const run = (horizon: number) =>
			runNode({
				node: new RiskSizer(),
				parameters: { operation: 'var', returns: JSON.stringify(returns), method: 'parametric', horizon },
				credentials: credentials(),
			});
		const [one, ten] = await Promise.all([run(1), run(10)]);
		expect(one.error).toBeUndefined();
		expect(ten.items[0].json.horizon).toBe(10);
		expect(ten.items[0].json.var as number).toBeGreaterThan(one.items[0].json.var as number);
	});

	it('fails with the service reason when a return is not a number', async () => {
		const { error } = await runNode({
			node: new RiskSizer(),
			parameters: { operation: 'var', returns: '[0.01, "oops", -0.02]' },
			credentials: credentials(),
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/returns/);
		expect(error?.context?.itemIndex).toBe(0);
	});
});

describe('HighFreqQuant API credential (real math service)', () => {
	it('tests OK against GET /health', async () => {
		const result = await testCredential(new HighFreqQuantApi(), { baseUrl: service.baseUrl, apiKey: API_KEY });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('reports Error when nothing listens at the base URL', async () => {
		const result = await testCredential(new HighFreqQuantApi(), { baseUrl: 'http://127.0.0.1:1', apiKey: API_KEY });
		expect(result.status).toBe('Error');
	});
});
