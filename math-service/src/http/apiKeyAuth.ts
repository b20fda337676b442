/**
 * @module apiKeyAuth
 * API-key check for the math service: the `X-API-Key` header must equal the configured key on
 * every path except the public ones (/health, /docs, /openapi.json). `apiKeyMatcher` is the one
 * comparison, shared with the node:http fast path (fastJsonRoutes.ts): the given header is written
 * into a scratch buffer as long as the key and compared with `timingSafeEqual`, so the time depends
 * neither on the content nor on how much of it matches, and no hash object is made per request.
 * No key configured (loopback only, see config.ts) means the check is off.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export const API_KEY_HEADER = 'X-API-Key';

/** Paths that never require a key (FastAPI's docs and the liveness probe). */
export const PUBLIC_PATHS: readonly string[] = ['/health', '/docs', '/openapi.json'];

/**
 * `given === apiKey` in constant time: the UTF-8 bytes of `given` are written into a reused buffer
 * of the key's length and compared there in full, whatever their length (a wrong length fails
 * after the same comparison). Not reentrant across threads; one matcher per key and process.
 */
export function apiKeyMatcher(apiKey: string): (given: string | undefined) => boolean {
	const expected = Buffer.from(apiKey, 'utf8');
	const scratch = Buffer.alloc(expected.length);
	return (given) => {
		if (given === undefined) return false;
		scratch.fill(0);
		const written = scratch.write(given, 'utf8');
		const equal = timingSafeEqual(scratch, expected);
		return equal && written === expected.length && Buffer.byteLength(given, 'utf8') === expected.length;
	};
}

/** Constant-time equality of two strings (see apiKeyMatcher). */
export function safeEqual(a: string, b: string): boolean {
	return apiKeyMatcher(b)(a);
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
	const matches = apiKeyMatcher(apiKey);
	return async (c, next) => {
		if (open.has(c.req.path)) return next();
		if (!matches(c.req.header(API_KEY_HEADER))) {
			return c.json({ detail: `Missing or invalid API key (${API_KEY_HEADER} header)` }, 401, {
				'WWW-Authenticate': 'APIKey',
			});
		}
		return next();
	};
}
