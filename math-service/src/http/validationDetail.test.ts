import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { boundedInput, snakeCaseKey, zodErrorToDetail } from './validationDetail';

const Schema = z.object({
	win_rate: z.number().min(0).max(1),
	avg_win: z.number().gt(0),
	cap: z.number().lt(1).optional(),
	method: z.enum(['historical', 'parametric', 'cornish_fisher']).optional(),
	horizon: z.number().int().optional(),
	returns: z.array(z.number()).min(1).optional(),
	name: z.string().optional(),
});

function detail(input: unknown) {
	const r = Schema.safeParse(input);
	if (r.success) throw new Error('expected a validation failure');
	return zodErrorToDetail(r.error, input, 'body').detail;
}

describe('zodErrorToDetail (pydantic v2 names)', () => {
	it('reports a missing field as type "missing" with the parent object as input', () => {
		const body = { avg_win: 1 };
		expect(detail(body)).toEqual([{ type: 'missing', loc: ['body', 'win_rate'], msg: 'Field required', input: body }]);
	});

	it('reports a non-numeric string as float_parsing', () => {
		expect(detail({ win_rate: 'abc', avg_win: 1 })[0]).toEqual({
			type: 'float_parsing',
			loc: ['body', 'win_rate'],
			msg: 'Input should be a valid number, unable to parse string as a number',
			input: 'abc',
		});
	});

	it('reports null, booleans and objects as float_type', () => {
		for (const bad of [null, true, {}, []]) {
			expect(detail({ win_rate: bad, avg_win: 1 })[0]).toMatchObject({ type: 'float_type', input: bad });
		}
	});

	it('reports an infinite number as finite_number', () => {
		expect(detail({ win_rate: Infinity, avg_win: 1 })[0]).toMatchObject({ type: 'finite_number', loc: ['body', 'win_rate'] });
	});

	it('reports bounds as greater_than_equal / greater_than / less_than_equal / less_than with ctx', () => {
		expect(detail({ win_rate: -0.1, avg_win: 1 })[0]).toEqual({
			type: 'greater_than_equal',
			loc: ['body', 'win_rate'],
			msg: 'Input should be greater than or equal to 0',
			input: -0.1,
			ctx: { ge: 0 },
		});
		expect(detail({ win_rate: 0.5, avg_win: 0 })[0]).toMatchObject({ type: 'greater_than', msg: 'Input should be greater than 0', ctx: { gt: 0 } });
		expect(detail({ win_rate: 1.5, avg_win: 1 })[0]).toMatchObject({ type: 'less_than_equal', msg: 'Input should be less than or equal to 1', ctx: { le: 1 } });
		expect(detail({ win_rate: 0.5, avg_win: 1, cap: 1 })[0]).toMatchObject({ type: 'less_than', loc: ['body', 'cap'], ctx: { lt: 1 } });
	});

	it('reports a value outside an enum as type "enum" listing the choices', () => {
		expect(detail({ win_rate: 0.5, avg_win: 1, method: 'monte_carlo' })[0]).toEqual({
			type: 'enum',
			loc: ['body', 'method'],
			msg: "Input should be 'historical', 'parametric' or 'cornish_fisher'",
			input: 'monte_carlo',
			ctx: { expected: "'historical', 'parametric' or 'cornish_fisher'" },
		});
	});

	it('reports a fractional integer as int_from_float', () => {
		expect(detail({ win_rate: 0.5, avg_win: 1, horizon: 1.5 })[0]).toMatchObject({ type: 'int_from_float', loc: ['body', 'horizon'], input: 1.5 });
	});

	it('reports an empty list as too_short and a bad element with its index', () => {
		expect(detail({ win_rate: 0.5, avg_win: 1, returns: [] })[0]).toMatchObject({
			type: 'too_short',
			msg: 'List should have at least 1 item after validation, not 0',
		});
		expect(detail({ win_rate: 0.5, avg_win: 1, returns: [0.1, 'x'] })[0]).toMatchObject({
			type: 'float_parsing',
			loc: ['body', 'returns', 1],
			input: 'x',
		});
	});

	it('reports a non-object body as model_attributes_type at loc ["body"]', () => {
		for (const bad of [[1, 2], 'text', 42, null]) {
			expect(detail(bad)).toEqual([
				{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: bad },
			]);
		}
	});

	it('reports every problem, not only the first', () => {
		expect(detail({ win_rate: 2, name: 5 }).map((d) => d.loc.join('.'))).toEqual(['body.win_rate', 'body.avg_win', 'body.name']);
	});
});

describe('custom issues', () => {
	it('maps a custom issue to value_error, or to missing when params.type says so', () => {
		const S = z.object({ a: z.number().optional() }).superRefine((v, ctx) => {
			ctx.addIssue({ code: 'custom', path: [], message: 'send a or b' });
			ctx.addIssue({ code: 'custom', path: ['b'], message: 'required with a', params: { type: 'missing' } });
		});
		const r = S.safeParse({ a: 1 });
		expect(r.success).toBe(false);
		const d = zodErrorToDetail(r.error!, { a: 1 }, 'body').detail;
		expect(d[0]).toEqual({ type: 'value_error', loc: ['body'], msg: 'Value error, send a or b', input: { a: 1 } });
		expect(d[1]).toEqual({ type: 'missing', loc: ['body', 'b'], msg: 'Field required', input: { a: 1 } });
	});
});

describe('boundedInput', () => {
	it('echoes small inputs unchanged', () => {
		const body = { win_rate: 'x', returns: [1, 2, 3], nested: { a: [{ b: 1 }] } };
		expect(boundedInput(body)).toEqual(body);
	});

	it('cuts deep nesting, long arrays and long strings', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 5000; i++) deep = [deep];
		expect(JSON.stringify(boundedInput(deep))).toBe('[[[[[["[…]"]]]]]]');
		const long = boundedInput(new Array(250).fill(0)) as unknown[];
		expect(long).toHaveLength(101);
		expect(long[100]).toBe('… 150 more items');
		expect(boundedInput('x'.repeat(5000))).toHaveLength(1001);
	});

	it('keeps a __proto__ key as data without touching the prototype', () => {
		const parsed = JSON.parse('{"__proto__":{"polluted":true}}');
		const out = boundedInput(parsed) as Record<string, unknown>;
		expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

it('snakeCaseKey converts camelCase and keeps indexes', () => {
	expect(snakeCaseKey('periodsPerYear')).toBe('periods_per_year');
	expect(snakeCaseKey(3)).toBe(3);
});
