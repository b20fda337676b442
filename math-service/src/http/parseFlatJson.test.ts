import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlatJson } from './parseFlatJson';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** What JSON.parse gives, with number arrays as Float64Array (the parser's representation). */
function viaJsonParse(text: string): unknown {
	const parsed = JSON.parse(text) as Record<string, unknown>;
	return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Array.isArray(v) ? Float64Array.from(v as number[]) : v]));
}

describe('parseFlatJson', () => {
	it('reads a VaR body: the returns as a Float64Array, the other fields as they are', () => {
		const out = parseFlatJson(bytes(' {"returns": [0.01, -0.02,0.005 , -1e-3, 12E+2, 0, -0], "confidence":0.99,"method":"historical","x":null,"y":true,"z":false}\n'));
		expect(out).toEqual({
			returns: Float64Array.from([0.01, -0.02, 0.005, -0.001, 1200, 0, -0]),
			confidence: 0.99,
			method: 'historical',
			x: null,
			y: true,
			z: false,
		});
		expect(Object.is((out!.returns as Float64Array)[6], -0)).toBe(true);
		expect(parseFlatJson(bytes('{}'))).toEqual({});
		expect(parseFlatJson(bytes('{"returns":[]}'))).toEqual({ returns: new Float64Array(0) });
		expect(parseFlatJson(bytes('{"name":"größe"}'))).toEqual({ name: 'größe' });
	});

	it('gives up (undefined) on what it does not handle, so the general path answers', () => {
		for (const text of [
			'',
			'[1,2]',
			'42',
			'{"a":{"b":1}}',
			'{"a":[1,[2]]}',
			'{"a":["x"]}',
			'{"a":"tab\\there"}',
			'{"a":1,"a":2}',
			'{"__proto__":1}',
			'{"a":1e400}',
			'{"a":[1,-1e999]}',
			'{"a":01}',
			'{"a":1.}',
			'{"a":.5}',
			'{"a":+1}',
			'{"a":1e}',
			'{"a":-}',
			'{"a":NaN}',
			'{"a":1,}',
			'{"a":[1,]}',
			'{"a":1} x',
			'{"a":1',
			'{"a" 1}',
			'{a:1}',
			'{"a":tru}',
			'\ufeff{"a":1}',
		]) {
			expect(parseFlatJson(bytes(text)), text).toBeUndefined();
		}
	});

	it('reads every double exactly as JSON.parse does (shortest, fixed, exponent and long forms)', () => {
		fc.assert(
			fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 20 }), fc.integer({ min: 0, max: 20 }), (xs, digits) => {
				const forms = xs.flatMap((x) => [String(x), x.toExponential(Math.min(digits, 100)), Math.abs(x) < 1e21 ? x.toFixed(digits) : String(x), x.toPrecision(Math.max(1, digits))]).filter((f) => Number.isFinite(Number(f)));
				const text = `{"returns":[${forms.join(',')}]}`;
				expect(parseFlatJson(bytes(text))).toEqual(viaJsonParse(text));
			}),
			{ numRuns: 500 },
		);
	});

	it('reads decimal strings of up to 25 digits with any exponent exactly as JSON.parse does', () => {
		const numberText = fc
			.tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,12})$/), fc.option(fc.stringMatching(/^[0-9]{1,12}$/)), fc.option(fc.integer({ min: -330, max: 310 })))
			.map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
		fc.assert(
			fc.property(numberText, (n) => {
				const text = `{"v":${n},"a":[${n}]}`;
				const expected = JSON.parse(text) as { v: number };
				const out = parseFlatJson(bytes(text));
				if (!Number.isFinite(expected.v)) {
					expect(out).toBeUndefined();
					return;
				}
				expect(out).toEqual({ v: expected.v, a: Float64Array.from([expected.v]) });
				expect(Object.is(out!.v, expected.v)).toBe(true);
			}),
			{ numRuns: 3000 },
		);
	});
});
