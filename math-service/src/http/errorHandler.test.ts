import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { InvalidInputError, OperatorError, RetryableError } from '../errors';
import { createErrorHandler, createNotFoundHandler, invalidInputLoc } from './errorHandler';

function appThrowing(error: unknown, log = vi.fn()) {
	const app = new Hono();
	app.get('/boom', () => {
		throw error;
	});
	app.onError(createErrorHandler(log));
	app.notFound(createNotFoundHandler((p) => (p === '/boom' ? ['GET'] : [])));
	return { app, log };
}

describe('createErrorHandler', () => {
	it('maps InvalidInputError to 422 in FastAPI shape with a snake_case body loc', async () => {
		const { app } = appThrowing(new InvalidInputError('periodsPerYear must be > 0', ['periodsPerYear']));
		const res = await app.request('/boom');
		expect(res.status).toBe(422);
		expect(await res.json()).toEqual({
			detail: [{ type: 'value_error', loc: ['body', 'periods_per_year'], msg: 'periodsPerYear must be > 0', input: null }],
		});
	});

	it('maps RetryableError to 503 with Retry-After in whole seconds (rounded up)', async () => {
		const res = await appThrowing(new RetryableError('database busy', 1500)).app.request('/boom');
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('2');
		expect(await res.json()).toEqual({ detail: 'database busy' });
	});

	it('maps OperatorError to 500 saying an operator must act, and logs it', async () => {
		const { app, log } = appThrowing(new OperatorError('ledger is corrupt'));
		const res = await app.request('/boom');
		expect(res.status).toBe(500);
		expect(await res.json()).toEqual({ detail: 'Operator action required: ledger is corrupt' });
		expect(log).toHaveBeenCalledOnce();
	});

	it('maps an unexpected error to a bare 500 without message or stack', async () => {
		const { app, log } = appThrowing(new TypeError('secret internals at /home/x.ts:12'));
		const res = await app.request('/boom');
		expect(res.status).toBe(500);
		const text = await res.text();
		expect(JSON.parse(text)).toEqual({ detail: 'Internal Server Error' });
		expect(text).not.toMatch(/secret|\.ts|at /);
		expect(log).toHaveBeenCalledOnce();
	});

	it('keeps an HTTPException status and message as {"detail": …}', async () => {
		const res = await appThrowing(new HTTPException(403, { message: 'nope' })).app.request('/boom');
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ detail: 'nope' });
	});
});

describe('createNotFoundHandler', () => {
	it('answers 404 {"detail":"Not Found"} for an unknown path', async () => {
		const res = await appThrowing(null).app.request('/nowhere');
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ detail: 'Not Found' });
	});

	it('answers 405 with Allow for a known path under another method', async () => {
		const res = await appThrowing(null).app.request('/boom', { method: 'DELETE' });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('GET');
		expect(await res.json()).toEqual({ detail: 'Method Not Allowed' });
	});
});

it('invalidInputLoc prefixes body and keeps an explicit prefix', () => {
	expect(invalidInputLoc(['returns', 3])).toEqual(['body', 'returns', 3]);
	expect(invalidInputLoc(['body', 'winRate'])).toEqual(['body', 'win_rate']);
	expect(invalidInputLoc([])).toEqual(['body']);
});
