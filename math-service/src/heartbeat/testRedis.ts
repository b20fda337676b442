/**
 * @module heartbeat/testRedis
 * Test helper: connections to the real Redis (REDIS_URL or 127.0.0.1:6379) under a unique key
 * prefix, and a cleanup that deletes every key under it and closes the connections.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export function testRedis() {
	const prefix = `hfq:test:${randomUUID()}:`;
	const connections: Redis[] = [];
	const connect = () => {
		const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
		connections.push(r);
		return r;
	};
	const cleanup = async () => {
		const r = connections[0] ?? connect();
		const keys = await r.keys(`${prefix}*`);
		if (keys.length > 0) await r.del(...keys);
		await Promise.all(connections.map((c) => c.quit()));
		connections.length = 0;
	};
	return { prefix, connect, cleanup };
}
