/**
 * @module apiKeyAuth
 * API-key check for the math service: the `X-API-Key` header must equal the configured key on
 * every path except the public ones (/health, /docs, /openapi.json). The comparison hashes both
 * sides with SHA-256 and compares the digests with `timingSafeEqual`, so neither the key's content
 * nor its length leaks through response timing. No key configured (loopback only, see config.ts)
 * means the check is off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export const API_KEY_HEADER = 'X-API-Key';

/** Paths that never require a key (FastAPI's docs and the liveness probe). */
export const PUBLIC_PATHS: readonly string[] = ['/health', '/docs', '/openapi.json'];

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two strings (time depends on neither content nor length). */
export function safeEqual(a: string, b: string): boolean {
	return timingSafeEqual(digest(a), digest(b));
}

export interface ApiKeyAuthOptions {
	apiKey: string | null;
	publicPaths?: readonly string[];
}

/**
 * Middleware answering 401 `{"detail":"Missing or invalid API key (X-API-Key header)"}` with a
 * `WWW-Authenticate: APIKey` header when the key is absent or wrong.
 */
export function apiKeyAuth({ apiKey, publicPaths = PUBLIC_PATHS }: ApiKeyAuthOptions): MiddlewareHandler {
	if (apiKey === null) return async (_c, next) => next();
	const open = new Set(publicPaths);
	const expected = digest(apiKey);
	return async (c, next) => {
		if (open.has(c.req.path)) return next();
		const given = c.req.header(API_KEY_HEADER);
		if (given === undefined || !timingSafeEqual(digest(given), expected)) {
			return c.json({ detail: `Missing or invalid API key (${API_KEY_HEADER} header)` }, 401, {
				'WWW-Authenticate': 'APIKey',
			});
		}
		return next();
	};
}
