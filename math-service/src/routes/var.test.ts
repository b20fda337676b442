import { describe, expect, it } from 'vitest';
import { valueAtRisk } from '../core/var/valueAtRisk';
import { testApp } from './testApp';

const { post } = testApp();
const returns = [0.012, -0.031, 0.004, -0.008, 0.021, -0.052, 0.017, 0.003, -0.014, 0.009, -0.022, 0.031, -0.002, 0.006, -0.041];

describe('POST /v1/var', () => {
	it('defaults to historical VaR at 95 % over 1 period', async () => {
		const { status, body } = await post('/v1/var', { returns });
		expect(status).toBe(200);
		expect(body).toEqual({ ...valueAtRisk(returns), reason: null });
		expect(body).toMatchObject({ method: 'historical', confidence: 0.95, horizon: 1 });
		// numpy.percentile(returns, 5) = −0.0443 (linear interpolation at index 0.7 between −0.052 and −0.041).
		expect(body.var).toBeCloseTo(0.0443, 12);
	});

	it.each(['historical', 'parametric', 'cornish_fisher'] as const)('passes method %s, confidence and horizon to the core', async (method) => {
		const { body } = await post('/v1/var', { returns, method, confidence: 0.99, horizon: 10 });
		const expected = valueAtRisk(returns, { method, confidence: 0.99, horizon: 10 });
		expect(body).toEqual({ ...expected, reason: expected.reason ?? null });
		expect(body).toMatchObject({ method, confidence: 0.99, horizon: 10 });
	});

	it('returns null with a reason for an empty series', async () => {
		const { status, body } = await post('/v1/var', { returns: [] });
		expect(status).toBe(200);
		expect(body.var).toBeNull();
		expect(body.cvar).toBeNull();
		expect(body.reason).toMatch(/\w/);
	});

	it('returns null with a reason where the Cornish-Fisher quantile is a gain', async () => {
		// Strongly right-skewed: one huge gain among small losses.
		const skewed = [...new Array(30).fill(-0.001), 0.9];
		const { body } = await post('/v1/var', { returns: skewed, method: 'cornish_fisher', confidence: 0.95 });
		const expected = valueAtRisk(skewed, { method: 'cornish_fisher', confidence: 0.95 });
		expect(body).toEqual({ ...expected, reason: expected.reason ?? null });
		if (body.var === null) expect(body.reason).toMatch(/\w/);
	});

	it.each([
		[{ returns, method: 'monte_carlo' }, 'enum', ['body', 'method']],
		[{ returns, confidence: 1 }, 'less_than', ['body', 'confidence']],
		[{ returns, confidence: 0 }, 'greater_than', ['body', 'confidence']],
		[{ returns, horizon: 0 }, 'greater_than_equal', ['body', 'horizon']],
		[{ returns, horizon: 2.5 }, 'int_from_float', ['body', 'horizon']],
		[{ returns: [0.01, 'x'] }, 'float_parsing', ['body', 'returns', 1]],
		[{ returns: [0.01, null] }, 'float_type', ['body', 'returns', 1]],
		[{ returns: '0.01,0.02' }, 'list_type', ['body', 'returns']],
		[{}, 'missing', ['body', 'returns']],
	])('answers 422 for %j', async (bad, type, loc) => {
		const { status, body } = await post('/v1/var', bad);
		expect(status).toBe(422);
		expect(body.detail![0]).toMatchObject({ type, loc });
	});
});
