/**
 * GET /v1/heartbeat lists each job's last run and freshness from the hot cache: with the real
 * Redis (what another instance recorded) and in process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { createHotCache, createJobLock } from '../heartbeat/createJobLock';
import { InProcessHotCache } from '../heartbeat/HotCache';
import type { HeartbeatDepsExtension } from '../heartbeat/heartbeatFor';
import { InProcessJobLock } from '../heartbeat/InProcessJobLock';
import { RedisHotCache } from '../heartbeat/RedisHotCache';
import { RedisJobLock } from '../heartbeat/RedisJobLock';
import { runHeartbeatJob, type HeartbeatDeps } from '../heartbeat/runHeartbeatJob';
import { testRedis } from '../heartbeat/testRedis';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

describe.each(['redis', 'in_process'] as const)('GET /v1/heartbeat (%s)', (backend) => {
	let t: ReturnType<typeof testRedis> | undefined;
	afterEach(async () => {
		await t?.cleanup();
		t = undefined;
	});

	const make = (clock: { ms: number }) => {
		const now = () => clock.ms;
		if (backend === 'in_process') {
			const hb: HeartbeatDeps = { lock: new InProcessJobLock(), cache: new InProcessHotCache(), now };
			return [hb, hb] as const;
		}
		t = testRedis();
		const instance = (): HeartbeatDeps => ({
			lock: new RedisJobLock(t!.connect(), { keyPrefix: `${t!.prefix}lock:` }),
			cache: new RedisHotCache(t!.connect(), { keyPrefix: `${t!.prefix}cache:` }),
			now,
		});
		return [instance(), instance()] as const;
	};

	it("lists each job's last run, last success and age", async () => {
		const clock = { ms: T0 };
		const [worker, server] = make(clock);
		await runHeartbeatJob(worker, 'market_data', async () => 'synced');
		clock.ms = T0 + 5_000;
		await runHeartbeatJob(worker, 'risk_monitor', async () => 'checked');
		clock.ms = T0 + 6_000;
		await expect(runHeartbeatJob(worker, 'risk_monitor', async () => Promise.reject(new Error('database down')))).rejects.toThrow();
		clock.ms = T0 + 10_000;

		const deps: AppDeps & HeartbeatDepsExtension = { config: loadConfig({}), logError: () => {}, heartbeat: server };
		const res = await createApp(deps).request('/v1/heartbeat');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			backend,
			now: T0 + 10_000,
			jobs: [
				{
					job: 'market_data',
					last_run: { outcome: 'ran', started_at: T0, finished_at: T0, duration_ms: 0, reason: null },
					last_success_at: T0,
					age_ms: 10_000,
				},
				{
					job: 'risk_monitor',
					last_run: { outcome: 'failed', started_at: T0 + 6_000, finished_at: T0 + 6_000, duration_ms: 0, reason: 'database down' },
					last_success_at: T0 + 5_000,
					age_ms: 5_000,
				},
			],
		});
	});

	it('lists no jobs before any run', async () => {
		const [, server] = make({ ms: T0 });
		const res = await createApp({ config: loadConfig({}), heartbeat: server } as AppDeps).request('/v1/heartbeat');
		expect(await res.json()).toMatchObject({ backend, jobs: [] });
	});
});

describe('GET /v1/heartbeat with Redis down', () => {
	it('answers 503 with the reason and a Retry-After', async () => {
		const env = { REDIS_URL: 'redis://127.0.0.1:1' };
		const heartbeat: HeartbeatDeps = { lock: createJobLock(env), cache: createHotCache(env) };
		try {
			const res = await createApp({ config: loadConfig({}), logError: () => {}, heartbeat } as AppDeps).request('/v1/heartbeat');
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('1');
			expect(((await res.json()) as { detail: string }).detail).toMatch(/^heartbeat cache \(redis\) unavailable/);
		} finally {
			await heartbeat.lock.close();
			await heartbeat.cache.close();
		}
	});
});
