import { describe, expect, it } from 'vitest';

import { resolveSecretToken, SECRET_TOKEN_PATTERN, secretTokenMatches } from './webhookSecretToken';

describe('secretTokenMatches', () => {
	it('accepts the exact token only', () => {
		expect(secretTokenMatches('abc_DEF-123', 'abc_DEF-123')).toBe(true);
		for (const given of ['abc_DEF-12', 'abc_DEF-1234', 'ABC_DEF-123', '', undefined, null, 42, ['abc_DEF-123']]) {
			expect(secretTokenMatches(given, 'abc_DEF-123'), String(given)).toBe(false);
		}
	});

	it('never matches when no token is configured', () => {
		expect(secretTokenMatches('', '')).toBe(false);
		expect(secretTokenMatches('anything', '')).toBe(false);
	});
});

describe('resolveSecretToken', () => {
	it('prefers the node parameter, else the credential', () => {
		expect(resolveSecretToken(' own ', 'cred')).toBe('own');
		expect(resolveSecretToken('', 'cred')).toBe('cred');
		expect(resolveSecretToken(undefined, undefined)).toBe('');
	});
});

describe('SECRET_TOKEN_PATTERN', () => {
	it("follows Telegram's rule: 1-256 of A-Z a-z 0-9 _ -", () => {
		expect(SECRET_TOKEN_PATTERN.test('a'.repeat(256))).toBe(true);
		expect(SECRET_TOKEN_PATTERN.test('a'.repeat(257))).toBe(false);
		expect(SECRET_TOKEN_PATTERN.test('has space')).toBe(false);
		expect(SECRET_TOKEN_PATTERN.test('')).toBe(false);
	});
});
