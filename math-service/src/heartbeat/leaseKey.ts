/**
 * @module heartbeat/leaseKey
 * A lease key narrower than its job (runHeartbeatJob's `lockKey`): `<job>:<part>:<part>…` with every
 * character a lease name may not hold replaced by '-' (BTC/USDT → BTC-USDT); longer than the 64
 * characters a lease name may have → `<job>:<first 16 hex of the parts' SHA-256>`, so the same parts
 * always give the same key.
 */
import { createHash } from 'node:crypto';

export function leaseKey(job: string, parts: readonly string[]): string {
	const key = [job, ...parts].join(':').replace(/[^\w.:-]/g, '-');
	if (key.length <= 64) return key;
	return `${job}:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;
}
