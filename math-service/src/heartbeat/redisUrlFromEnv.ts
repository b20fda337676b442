/**
 * @module heartbeat/redisUrlFromEnv
 * `REDIS_URL` validation, callable from config.ts so a bad value stops the start with its name.
 * Accepted: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). Empty = unset
 * (in-process locks and cache).
 */
import { OperatorError } from '../errors';

/** The validated REDIS_URL, or null when unset/empty. @throws OperatorError naming REDIS_URL. */
export function redisUrlFromEnv(env: Record<string, string | undefined>): string | null {
	const raw = env.REDIS_URL?.trim();
	if (!raw) return null;
	const problem = redisUrlProblem(raw);
	if (problem !== null) throw new OperatorError(`REDIS_URL: ${problem}`);
	return raw;
}

/** Why a REDIS_URL value is unusable (password not echoed), or null when it is fine. */
export function redisUrlProblem(value: string): string | null {
	const expected = 'must look like redis://[user:password@]host[:port][/db] (or rediss:// for TLS)';
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `is not a URL; ${expected}`;
	}
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))} is not redis or rediss; ${expected}`;
	if (url.hostname === '') return `has no host; ${expected}`;
	if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) return `port ${url.port} is outside 1–65535`;
	const db = url.pathname.replace(/^\//, '');
	if (db !== '' && !/^\d{1,2}$/.test(db)) return `database ${JSON.stringify(db)} must be a number 0–99`;
	if (url.search !== '' || url.hash !== '') return `query and fragment are not supported; ${expected}`;
	return null;
}

/** The URL with its password replaced by "***", for logs. */
export function redactRedisUrl(value: string): string {
	try {
		const url = new URL(value);
		if (url.password) url.password = '***';
		return url.toString();
	} catch {
		return 'redis://(unparseable)';
	}
}
