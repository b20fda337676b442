/**
 * The webhook secret token that proves a button press comes from Telegram. Set Webhook registers
 * it with Telegram (`secret_token`); Telegram then sends it in the
 * `X-Telegram-Bot-Api-Secret-Token` header of every update, and Answer Button Press refuses any
 * update without it, so nobody else can post a fake "✅ Executed". `npm start` generates one into
 * its data folder and puts it in the HighFreqQuant Telegram credential; a node parameter may
 * override it.
 *
 * Comparison in constant time: both sides are HMAC-SHA256'd with a fixed key and the digests
 * compared with `timingSafeEqual`, so neither content nor length leaks through timing.
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** Telegram's rule for secret_token: 1–256 of A-Z, a-z, 0-9, _ and -. */
export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Domain separation of the HMAC used only to compare in constant time (public, not a secret). */
const HMAC_DOMAIN = 'highfreqquant/telegramWebhookSecretToken/v1';

/** The token in force: the node parameter when set, else the credential's. '' when neither is. */
export function resolveSecretToken(parameter: unknown, credential: unknown): string {
	const own = typeof parameter === 'string' ? parameter.trim() : '';
	if (own !== '') return own;
	return typeof credential === 'string' ? credential.trim() : '';
}

/** True when `given` equals `expected` (non-empty) byte for byte, compared in constant time. */
export function secretTokenMatches(given: unknown, expected: string): boolean {
	if (expected === '' || typeof given !== 'string' || given === '') return false;
	const a = createHmac('sha256', HMAC_DOMAIN).update(given, 'utf8').digest();
	const b = createHmac('sha256', HMAC_DOMAIN).update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}
