import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { compileAlphaExpression } from './customComponent.js';

const INPUTS = ['rsi', 'netflowZ', 'sentimentScore', 'panicScore'];

describe('compileAlphaExpression', () => {
	it('evaluates arithmetic, comparisons and allowed functions over named inputs', () => {
		const c = compileAlphaExpression('100 - rsi + 10 * (netflowZ < -1) - max(0, panicScore - 50)', INPUTS);
		expect(c.inputs).toEqual(['netflowZ', 'panicScore', 'rsi']);
		expect(c.evaluate({ rsi: 30, netflowZ: -2, panicScore: 60, sentimentScore: 50 })).toEqual({ value: 70, missing: [] });
	});

	it('clamps the value to 0–100', () => {
		expect(compileAlphaExpression('rsi * 10', INPUTS).evaluate({ rsi: 50 }).value).toBe(100);
		expect(compileAlphaExpression('-rsi', INPUTS).evaluate({ rsi: 50 }).value).toBe(0);
	});

	it('reports a missing input by name instead of computing with 0', () => {
		expect(compileAlphaExpression('100 - rsi', INPUTS).evaluate({ rsi: null })).toEqual({
			value: null,
			missing: ['rsi'],
			detail: 'missing input rsi',
		});
	});

	it('refuses unknown names, assignments, function definitions, strings and property access', () => {
		for (const bad of [
			'foo + 1',
			'rsi = 3',
			'f(x) = x',
			'"abc"',
			'import({}, {})',
			'evaluate("1+1")',
			'parse("1")',
			'rsi.constructor',
			'[1,2]',
			'createUnit("x")',
			'5 cm',
		]) {
			expect(() => compileAlphaExpression(bad, INPUTS), bad).toThrow(InvalidInputError);
		}
	});

	it('refuses empty, overlong and unparsable expressions', () => {
		expect(() => compileAlphaExpression(' ', INPUTS)).toThrow(/empty/);
		expect(() => compileAlphaExpression('1+'.repeat(300) + '1', INPUTS)).toThrow(/longer than/);
		expect(() => compileAlphaExpression('(rsi', INPUTS)).toThrow(/does not parse/);
	});

	it('reports a non-finite result as missing with the reason', () => {
		expect(compileAlphaExpression('log(rsi - rsi)', INPUTS).evaluate({ rsi: 1 })).toMatchObject({ value: null });
	});
});
