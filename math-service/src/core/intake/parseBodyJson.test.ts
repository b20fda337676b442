import { describe, expect, it } from 'vitest';
import { parseBodyJson } from './parseBodyJson.js';

describe('parseBodyJson', () => {
	it('returns the same value for the same text twice in a row (one parse)', () => {
		const text = '{"secret":"s","close":1}';
		const first = parseBodyJson(text);
		expect(first).toEqual({ ok: true, value: { secret: 's', close: 1 } });
		expect(parseBodyJson(text)).toBe(first);
	});

	it('parses a different text anew, and reports a text that is not JSON', () => {
		expect(parseBodyJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
		expect(parseBodyJson('{"a":2}')).toEqual({ ok: true, value: { a: 2 } });
		const bad = parseBodyJson('{"close": {{close}}}');
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.error).toBeInstanceOf(SyntaxError);
	});
});
