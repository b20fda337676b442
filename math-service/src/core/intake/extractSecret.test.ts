import { describe, expect, it } from 'vitest';
import { extractSecret } from './extractSecret.js';

describe('extractSecret', () => {
	it('returns the secret of a JSON object, a BOM and whitespace ignored', () => {
		expect(extractSecret('\uFEFF {"secret":"s3cret","action":"buy"} ')).toBe('s3cret');
	});

	it('returns the outer secret of the order envelope, else the inner one', () => {
		expect(extractSecret('{"secret":"outer","order":{"secret":"inner"}}')).toBe('outer');
		expect(extractSecret('{"order":{"secret":"inner","action":"buy"}}')).toBe('inner');
	});

	it('finds the secret in a body that is not JSON because of an unexpanded placeholder', () => {
		expect(extractSecret('{"secret":"a\\"b","close": {{close}}}')).toBe('a"b');
	});

	it('returns undefined without a string secret', () => {
		for (const body of ['', 'hello', '[1]', 'null', '{"secret":42}', '{"action":"buy"}', '{"order":[]}']) {
			expect(extractSecret(body), body).toBeUndefined();
		}
	});
});
