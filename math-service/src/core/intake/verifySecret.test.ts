import { describe, expect, it } from 'vitest';
import { OperatorError } from '../../errors.js';
import { verifySecret } from './verifySecret.js';

describe('verifySecret', () => {
	it('returns true only for the exact secret', () => {
		expect(verifySecret('s3cret-token', 's3cret-token')).toBe(true);
		expect(verifySecret('s3cret-tokeN', 's3cret-token')).toBe(false);
		expect(verifySecret('s3cret-token ', 's3cret-token')).toBe(false);
		expect(verifySecret('s3cret', 's3cret-token')).toBe(false);
		expect(verifySecret('s3cret-token-longer', 's3cret-token')).toBe(false);
	});
	it('returns false for a missing, empty or non-string secret', () => {
		expect(verifySecret(undefined, 'x')).toBe(false);
		expect(verifySecret('', 'x')).toBe(false);
		expect(verifySecret(42 as unknown as string, '42')).toBe(false);
	});
	it('compares unicode secrets byte for byte', () => {
		expect(verifySecret('päss✓', 'päss✓')).toBe(true);
		expect(verifySecret('pass✓', 'päss✓')).toBe(false);
	});
	it('compares against the secret configured now when it changes between calls', () => {
		expect(verifySecret('first-secret', 'first-secret')).toBe(true);
		expect(verifySecret('first-secret', 'second-secret')).toBe(false);
		expect(verifySecret('second-secret', 'second-secret')).toBe(true);
		expect(verifySecret('second-secret', 'first-secret')).toBe(false);
	});
	it('throws OperatorError when no secret is configured, instead of accepting everything', () => {
		expect(() => verifySecret('', '')).toThrow(OperatorError);
		expect(() => verifySecret('x', undefined as unknown as string)).toThrow(/TRADINGVIEW_WEBHOOK_SECRET/);
	});
});
