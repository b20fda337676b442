import { describe, expect, it } from 'vitest';

import { splitText } from './sendMessage.operation';

describe('splitText', () => {
	it('keeps short text whole and splits long text at line breaks, losing only the break', () => {
		expect(splitText('one\ntwo', 4096)).toEqual(['one\ntwo']);
		expect(splitText('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
	});

	it('cuts a line longer than the limit, never inside a surrogate pair', () => {
		const parts = splitText('😀'.repeat(10), 5);
		expect(parts.every((part) => part.length <= 5)).toBe(true);
		expect(parts.join('')).toBe('😀'.repeat(10));
		expect(parts.every((part) => !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
	});
});
