/**
 * runHeartbeatJob over the real Redis (two service instances = two connections) and in process:
 * overlapping schedule runs act once and the skipped one says why; freshness and the onRun hook
 * see completed runs only; a failed run is recorded without refreshing freshness.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessHotCache } from './HotCache';
import { InProcessJobLock } from './InProcessJobLock';
import { latestAlphaScores, putLatestAlphaScore } from './latestAlphaScores';
import { RedisHotCache } from './RedisHotCache';
import { RedisJobLock } from './RedisJobLock';
import { heartbeatFreshness, runHeartbeatJob, type HeartbeatDeps } from './runHeartbeatJob';
import { testRedis } from './testRedis';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function redisInstances(t: ReturnType<typeof testRedis>): [HeartbeatDeps, HeartbeatDeps] {
	const instance = (id: string): HeartbeatDeps => ({
		lock: new RedisJobLock(t.connect(), { keyPrefix: `${t.prefix}lock:`, holderId: id }),
		cache: new RedisHotCache(t.connect(), { keyPrefix: `${t.prefix}cache:`, ttlMs: 60_000 }),
	});
	return [instance('instance-a'), instance('instance-b')];
}

function inProcessInstances(): [HeartbeatDeps, HeartbeatDeps] {
	const deps: HeartbeatDeps = { lock: new InProcessJobLock({ holderId: 'this-process' }), cache: new InProcessHotCache(60_000) };
	return [deps, deps];
}

describe.each(['redis', 'in_process'] as const)('runHeartbeatJob (%s)', (backend) => {
	let t: ReturnType<typeof testRedis> | undefined;
	const instances = () => {
		if (backend === 'redis') {
			t = testRedis();
			return redisInstances(t);
		}
		return inProcessInstances();
	};
	afterEach(async () => {
		await t?.cleanup();
		t = undefined;
	});

	it('acts once for two overlapping runs; the skipped one says which run holds the lease', async () => {
		const [a, b] = instances();
		const closed: string[] = [];
		const heartbeats: string[] = [];
		const job = async () => {
			await sleep(120);
			closed.push('BTC/USDT stop');
			return { closed: 1 };
		};
		const onRun = (job: string) => heartbeats.push(job);
		const answers = await Promise.all([runHeartbeatJob(a, 'risk_monitor', job, { onRun }), runHeartbeatJob(b, 'risk_monitor', job, { onRun })]);
		expect(closed).toEqual(['BTC/USDT stop']);
		expect(heartbeats).toEqual(['risk_monitor']);
		const ran = answers.find((x) => x.ran)!;
		const skipped = answers.find((x) => !x.ran)!;
		expect(ran).toMatchObject({ job: 'risk_monitor', ran: true, result: { closed: 1 } });
		expect(ran.duration_ms).toBeGreaterThanOrEqual(100);
		expect(skipped).toMatchObject({ job: 'risk_monitor', ran: false, skipped: 'locked' });
		expect(skipped.reason).toMatch(/previous risk_monitor run still working \(lease held by (instance-a|instance-b|this-process) since \d{4}-/);
		expect(skipped.result).toBeUndefined();

		const fresh = await heartbeatFreshness(b.cache);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]!.lastSuccess).toMatchObject({ job: 'risk_monitor', outcome: 'ran', finished_at: ran.finished_at });
	});

	it('records a failed run without refreshing the last success, and rethrows', async () => {
		const [a] = instances();
		await runHeartbeatJob(a, 'market_data', async () => 'ok');
		const before = (await heartbeatFreshness(a.cache))[0]!.lastSuccess;
		await expect(runHeartbeatJob(a, 'market_data', async () => Promise.reject(new Error('Binance 418')))).rejects.toThrow('Binance 418');
		const after = (await heartbeatFreshness(a.cache))[0]!;
		expect(after.lastRun).toMatchObject({ outcome: 'failed', reason: 'Binance 418' });
		expect(after.lastSuccess).toEqual(before);
	});

	it("leases by lockKey when given: one symbol's overlapping syncs act once, another symbol's runs beside them", async () => {
		const [a, b] = instances();
		const work = (label: string) => async () => {
			await sleep(100);
			return label;
		};
		const [btc1, btc2, eth] = await Promise.all([
			runHeartbeatJob(a, 'market_data', work('btc'), { lockKey: 'market_data:binance:BTC-USDT:1m' }),
			runHeartbeatJob(b, 'market_data', work('btc'), { lockKey: 'market_data:binance:BTC-USDT:1m' }),
			runHeartbeatJob(b, 'market_data', work('eth'), { lockKey: 'market_data:binance:ETH-USDT:1m' }),
		]);
		expect([btc1, btc2].filter((x) => x.ran)).toHaveLength(1);
		expect(eth).toMatchObject({ job: 'market_data', ran: true, result: 'eth' });
		expect((await heartbeatFreshness(a.cache)).map((f) => f.job)).toEqual(['market_data']);
	});

	it('shares the latest alpha scores between instances', async () => {
		const [a, b] = instances();
		await putLatestAlphaScore(a.cache, { symbol: 'ETH/USDT', scorePct: 41.5, partial: true, asOf: 2 });
		await putLatestAlphaScore(a.cache, { symbol: 'BTC/USDT', scorePct: 72, partial: false, asOf: 1 });
		await putLatestAlphaScore(a.cache, { symbol: 'BTC/USDT', scorePct: 74, partial: false, asOf: 3 });
		expect(await latestAlphaScores(b.cache)).toEqual([
			{ symbol: 'BTC/USDT', scorePct: 74, partial: false, asOf: 3 },
			{ symbol: 'ETH/USDT', scorePct: 41.5, partial: true, asOf: 2 },
		]);
	});
});

describe('hot cache TTL', () => {
	it('forgets a hash not renewed within its TTL (Redis and in process)', async () => {
		const t = testRedis();
		try {
			for (const cache of [new RedisHotCache(t.connect(), { keyPrefix: t.prefix, ttlMs: 100 }), new InProcessHotCache(100)]) {
				await cache.set('alpha:latest', 'BTC/USDT', { scorePct: 70 });
				expect(await cache.get('alpha:latest', 'BTC/USDT')).toEqual({ scorePct: 70 });
				await sleep(160);
				expect(await cache.get('alpha:latest', 'BTC/USDT')).toBeNull();
				expect(await cache.getAll('alpha:latest')).toEqual({});
			}
		} finally {
			await t.cleanup();
		}
	});
});

describe('runHeartbeatJob with an unreachable cache', () => {
	it('keeps the answer of a job that acted and says its freshness was not recorded', async () => {
		const broken = new InProcessHotCache();
		broken.set = async () => Promise.reject(new Error('connection refused'));
		const answer = await runHeartbeatJob({ lock: new InProcessJobLock(), cache: broken }, 'market_data', async () => ({ candles: 10 }));
		expect(answer).toMatchObject({ ran: true, result: { candles: 10 }, freshness_not_recorded: true });
	});
});
