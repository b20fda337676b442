/**
 * @module heartbeat/redisKeyPrefixFromEnv
 * `HFQ_REDIS_KEY_PREFIX`: the namespace of every Redis key the math service writes (job leases
 * under `<prefix>lock:`, the hot cache under `<prefix>cache:`). Two desks, or two test runs, on one
 * Redis must use different prefixes, or they share leases (one desk's risk monitor would skip
 * because the other's is running) and overwrite each other's freshness and alpha scores.
 * Default `hfq:`; empty = the default. Callable from config.ts so a bad value stops the start
 * with its name.
 */
import { OperatorError } from '../errors';

export const DEFAULT_REDIS_KEY_PREFIX = 'hfq:';

/** 1–100 characters a Redis key can carry without quoting: letters, digits and `_ . : - { }` (a `{tag}` keeps a desk's keys in one Redis Cluster slot). */
const PREFIX = /^[A-Za-z0-9_.:{}-]{1,100}$/;

/** The validated prefix, `hfq:` when unset or empty. @throws OperatorError naming HFQ_REDIS_KEY_PREFIX. */
export function redisKeyPrefixFromEnv(env: Record<string, string | undefined>): string {
	const raw = env.HFQ_REDIS_KEY_PREFIX?.trim();
	if (!raw) return DEFAULT_REDIS_KEY_PREFIX;
	if (!PREFIX.test(raw)) {
		throw new OperatorError(`HFQ_REDIS_KEY_PREFIX: ${JSON.stringify(raw.slice(0, 40))} must be 1–100 letters, digits, '_', '.', ':', '-', '{' or '}' (e.g. "hfq:desk-a:")`);
	}
	return raw;
}

/** Where the job leases live under a prefix (`hfq:` → `hfq:lock:`). */
export const lockKeyPrefix = (prefix: string) => `${prefix}lock:`;
/** Where the hot cache lives under a prefix (`hfq:` → `hfq:cache:`). */
export const cacheKeyPrefix = (prefix: string) => `${prefix}cache:`;
