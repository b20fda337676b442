/**
 * @module intake/verifySecret
 * TradingView cannot send headers, so the shared secret travels in the body's `secret` field.
 * Both sides are HMAC-SHA256'd with a fixed key and the two 32-byte digests are compared with
 * `crypto.timingSafeEqual`, so neither the content nor the length of the expected secret leaks
 * through response timing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { OperatorError } from '../../errors.js';

const DIGEST_KEY = 'highfreqquant/verifySecret/v1';

/**
 * True when `given` equals `expected` exactly (byte for byte, UTF-8). A missing or non-string
 * `given` is false. An empty `expected` throws `OperatorError`: the service must not run with
 * `TRADINGVIEW_WEBHOOK_SECRET` unset, and must never treat "no secret" as "anyone".
 */
export function verifySecret(given: string | undefined, expected: string): boolean {
	if (typeof expected !== 'string' || expected.length === 0) {
		throw new OperatorError('TRADINGVIEW_WEBHOOK_SECRET is not configured; refusing to accept webhook alerts');
	}
	if (typeof given !== 'string' || given.length === 0) return false;
	const a = createHmac('sha256', DIGEST_KEY).update(given, 'utf8').digest();
	return timingSafeEqual(a, expectedDigest(expected));
}

/** The configured secret changes only with the configuration: its digest is computed once per value. */
let lastExpected: { secret: string; digest: Buffer } | undefined;

function expectedDigest(expected: string): Buffer {
	if (lastExpected?.secret !== expected) lastExpected = { secret: expected, digest: createHmac('sha256', DIGEST_KEY).update(expected, 'utf8').digest() };
	return lastExpected.digest;
}
