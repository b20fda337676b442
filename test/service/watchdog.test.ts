// The watchdog as it runs in production: its own process (the compiled math-service/dist/cli/
// watchdog.js that `npm run watchdog` runs) watching a real math-service process, its SQLite
// database and the heartbeat freshness the service reports from the real Redis, and paging a
// loopback fake of Telegram's Bot API. The risk monitor ticks the way n8n's schedule does it,
// `POST /v1/positions/check` on the service (a run under the risk_monitor lease); market data is
// kept fresh the way a second service instance records it (runHeartbeatJob on the shared Redis).
// When the risk monitor stops, the watchdog sends exactly one alert, however many rounds pass and
// even across a watchdog restart; when it resumes, exactly one recovery.
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHotCache } from '../../math-service/src/heartbeat/RedisHotCache';
import { RedisJobLock } from '../../math-service/src/heartbeat/RedisJobLock';
import { cacheKeyPrefix, lockKeyPrefix } from '../../math-service/src/heartbeat/redisKeyPrefixFromEnv';
import { runHeartbeatJob, type HeartbeatDeps } from '../../math-service/src/heartbeat/runHeartbeatJob';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { REPO_ROOT, spawnService, type ServiceProcess } from './serviceProcess';

/** A Redis database of its own, and a key prefix of this run's own (HFQ_REDIS_KEY_PREFIX), so two runs of this file never share leases or freshness. */
const REDIS_URL = `${(process.env.REDIS_URL || 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/13`;
const REDIS_KEY_PREFIX = `hfq:test:watchdog:${randomUUID()}:`;
const TOKEN = '7000000001:AAwatchdogtoken_abcdefghijklmnopqrstu';
const CHAT = '-1001234567890';
const INTERVAL_MS = 200;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface WatchdogProcess {
	child: ChildProcess;
	output(): string;
	rounds(): number;
	stop(): Promise<number | null>;
}

function spawnWatchdog(env: Record<string, string>): WatchdogProcess {
	const bundle = join(REPO_ROOT, 'math-service', 'dist', 'cli', 'watchdog.js');
	if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build:service (npm test builds it)`);
	const child = spawn(process.execPath, [bundle], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
	return {
		child,
		output: () => out,
		rounds: () => out.split('\n').filter((l) => l.includes('round done')).length,
		async stop() {
			child.kill('SIGTERM');
			return exited;
		},
	};
}

async function until(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!test()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

describe('watchdog process against a real math service', () => {
	let dir: string;
	let service: ServiceProcess;
	let telegram: FakeTelegram;
	let redis: Redis;
	let heartbeat: HeartbeatDeps;
	let watchdog: WatchdogProcess | undefined;
	let riskMonitorOn = true;
	const riskMonitorTicks: { ran: boolean }[] = [];
	let ticking = true;
	let ticker: Promise<void>;
	let watchdogEnv: Record<string, string>;

	const clearHeartbeat = async () => {
		const keys = await redis.keys(`${REDIS_KEY_PREFIX}*`);
		if (keys.length > 0) await redis.del(...keys);
	};

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'hfq-watchdog-'));
		redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
		await clearHeartbeat();
		heartbeat = {
			lock: new RedisJobLock(redis, { holderId: 'scheduler-under-test', keyPrefix: lockKeyPrefix(REDIS_KEY_PREFIX) }),
			cache: new RedisHotCache(redis, { keyPrefix: cacheKeyPrefix(REDIS_KEY_PREFIX) }),
		};
		telegram = await startFakeTelegram({ tokens: [TOKEN] });
		const databaseUrl = `sqlite:${join(dir, 'hfq.db')}`;
		service = await spawnService({ DATABASE_URL: databaseUrl, REDIS_URL, HFQ_REDIS_KEY_PREFIX: REDIS_KEY_PREFIX, HFQ_DATA_DIR: dir, TRADINGVIEW_WEBHOOK_SECRET: 'tv-secret-0123456789abcdef' });
		// The schedules: market data and the risk monitor, every 100 ms (the risk monitor can be paused).
		ticker = (async () => {
			while (ticking) {
				await runHeartbeatJob(heartbeat, 'market_data', async () => ({ synced: 0 }), { ttlMs: 5_000 });
				if (riskMonitorOn) {
					const res = await fetch(`${service.url}/v1/positions/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					riskMonitorTicks.push((await res.json()) as { ran: boolean });
				}
				await sleep(100);
			}
		})();
		watchdogEnv = {
			HFQ_WATCHDOG_INTERVAL_MS: String(INTERVAL_MS),
			HFQ_WATCHDOG_TIMEOUT_MS: '2000',
			HFQ_WATCHDOG_FAILURES_TO_ALERT: '2',
			HFQ_WATCHDOG_CHECKS: 'service,database,heartbeat',
			HFQ_WATCHDOG_SERVICE_URL: service.url,
			DATABASE_URL: databaseUrl,
			HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS: '1500',
			HFQ_WATCHDOG_MARKET_DATA_MAX_AGE_MS: '60000',
			HFQ_WATCHDOG_STATE_FILE: join(dir, 'watchdog-state.json'),
			TELEGRAM_BOT_TOKEN: TOKEN,
			HFQ_WATCHDOG_CHAT_ID: CHAT,
			TELEGRAM_API_BASE_URL: telegram.url,
		};
	}, 180_000);

	afterAll(async () => {
		ticking = false;
		await ticker;
		await watchdog?.stop();
		await service?.stop();
		await telegram?.close();
		if (redis) {
			await clearHeartbeat();
			await redis.quit();
		}
		rmSync(dir, { recursive: true, force: true });
	});

	const messages = () => telegram.callsTo('sendMessage').map((c) => String(c.fields.text));

	it('alerts once when the risk monitor stops, not again while it stays stopped nor after a restart, and once when it resumes', async () => {
		watchdog = spawnWatchdog(watchdogEnv);
		await until('three healthy rounds', () => (watchdog!.output().match(/round done: 4\/4 ok\n/g) ?? []).length >= 3);
		expect(messages()).toEqual([]);
		expect(riskMonitorTicks.filter((t) => t.ran).length).toBeGreaterThan(3);

		// The heartbeat stops: no risk-monitor runs.
		riskMonitorOn = false;
		await telegram.waitForCalls('sendMessage', 1, 15_000);
		expect(messages()).toHaveLength(1);
		expect(messages()[0]).toMatch(/^🔴 HighFreqQuant watchdog: heartbeat risk_monitor FAILING since .* UTC\nrisk_monitor last completed a run \d+(\.\d)? s ago \(limit 1\.5 s\)$/);
		expect(telegram.callsTo('sendMessage')[0]?.fields.chat_id).toBe(CHAT);

		// Many more failing rounds: nothing more.
		let rounds = watchdog.rounds();
		await until('ten more rounds', () => watchdog!.rounds() >= rounds + 10);
		expect(messages()).toHaveLength(1);

		// A watchdog restart continues the open incident instead of alerting again.
		expect(await watchdog.stop()).toBe(0);
		watchdog = spawnWatchdog(watchdogEnv);
		await until('ten rounds after the restart', () => watchdog!.rounds() >= 10);
		expect(messages()).toHaveLength(1);
		expect(watchdog.output()).toContain('continuing open incidents (no new alert): heartbeat:risk_monitor');

		// The heartbeat resumes: one recovery.
		riskMonitorOn = true;
		await telegram.waitForCalls('sendMessage', 2, 15_000);
		expect(messages()[1]).toMatch(/^🟢 HighFreqQuant watchdog: heartbeat risk_monitor recovered after \d+ s \(failing since .* UTC\)\nrisk_monitor last completed a run/);
		rounds = watchdog.rounds();
		await until('ten healthy rounds', () => watchdog!.rounds() >= rounds + 10);
		expect(messages()).toHaveLength(2);
		const state = JSON.parse(readFileSync(watchdogEnv.HFQ_WATCHDOG_STATE_FILE!, 'utf8'));
		expect(state.outbox).toEqual([]);
		expect(state.incidents.checks['heartbeat:risk_monitor'].status).toBe('ok');
		expect(watchdog.output()).not.toContain(TOKEN);
	}, 120_000);

	it('--once runs one round and exits 3 while an incident is open, 0 when all is well', async () => {
		const spawnOnce = async (extra: Record<string, string>) => {
			const bundle = join(REPO_ROOT, 'math-service', 'dist', 'cli', 'watchdog.js');
			const child = spawn(process.execPath, [bundle, '--once'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...watchdogEnv, HFQ_WATCHDOG_FAILURES_TO_ALERT: '1', HFQ_WATCHDOG_STATE_FILE: join(dir, `once-${Math.random()}.json`), TELEGRAM_BOT_TOKEN: '', HFQ_WATCHDOG_CHAT_ID: '', ...extra }, stdio: 'ignore' });
			return new Promise<number | null>((res) => child.on('close', res));
		};
		expect(await spawnOnce({ HFQ_WATCHDOG_CHECKS: 'service,database' })).toBe(0);
		expect(await spawnOnce({ HFQ_WATCHDOG_CHECKS: 'service,n8n', HFQ_WATCHDOG_N8N_URL: 'http://127.0.0.1:2' })).toBe(3);
	});

	it('a bad setting stops the start with its name', async () => {
		const bad = spawnWatchdog({ ...watchdogEnv, HFQ_WATCHDOG_INTERVAL_MS: 'often' });
		const code = await new Promise<number | null>((res) => bad.child.on('close', res));
		expect(code).toBe(1);
		expect(bad.output()).toMatch(/HFQ_WATCHDOG_INTERVAL_MS: "often" is not an integer/);
	});
});
