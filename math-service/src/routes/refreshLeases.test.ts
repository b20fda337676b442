/**
 * The refresh routes of the heartbeat (market-data sync, on-chain, sentiment, alpha score) run under
 * their job's lease, keyed by what they write: while a run of the same series holds it, another run
 * (another service instance over the real Redis, or in process) stores nothing and says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { InProcessHotCache } from '../heartbeat/HotCache';
import type { HeartbeatDepsExtension } from '../heartbeat/heartbeatFor';
import { InProcessJobLock } from '../heartbeat/InProcessJobLock';
import { leaseKey } from '../heartbeat/leaseKey';
import { RedisHotCache } from '../heartbeat/RedisHotCache';
import { RedisJobLock } from '../heartbeat/RedisJobLock';
import type { HeartbeatDeps } from '../heartbeat/runHeartbeatJob';
import { testRedis } from '../heartbeat/testRedis';
import { openStorage, type Storage } from '../storage/openStorage';

const NOW = Date.UTC(2026, 2, 1, 12, 0);
let storage: Storage;

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
});
afterEach(async () => {
	await storage.close();
});

describe.each(['redis', 'in_process'] as const)('refresh routes under their leases (%s)', (backend) => {
	let t: ReturnType<typeof testRedis> | undefined;
	afterEach(async () => {
		await t?.cleanup();
		t = undefined;
	});
	const instances = (): [HeartbeatDeps, HeartbeatDeps] => {
		if (backend === 'in_process') {
			const hb: HeartbeatDeps = { lock: new InProcessJobLock(), cache: new InProcessHotCache() };
			return [hb, hb];
		}
		t = testRedis();
		const instance = (id: string): HeartbeatDeps => ({ lock: new RedisJobLock(t!.connect(), { keyPrefix: `${t!.prefix}lock:`, holderId: id }), cache: new RedisHotCache(t!.connect(), { keyPrefix: `${t!.prefix}cache:` }) });
		return [instance('instance-a'), instance('instance-b')];
	};
	const appOf = (heartbeat: HeartbeatDeps) => createApp({ config: loadConfig({}), storage, clock: { now: () => NOW }, logError: () => {}, exchangeClient: null, heartbeat } as AppDeps & HeartbeatDepsExtension);
	const post = async (app: ReturnType<typeof appOf>, path: string, body: unknown) => {
		const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	/** Calls the route on instance B while instance A holds `key`. */
	const whileHeld = async (a: HeartbeatDeps, key: string, call: () => Promise<{ status: number; body: Record<string, any> }>) => {
		const held = await a.lock.run(key, { ttlMs: 10_000 }, call);
		if (!held.ran) throw new Error('the test could not take the lease');
		return held.result;
	};

	it('market-data sync: a second sync of the same market does not touch the exchange', async () => {
		const [a, b] = instances();
		const r = await whileHeld(a, leaseKey('market_data', ['binance', 'BTC/USDT', '1m']), () => post(appOf(b), '/v1/candles/sync', { symbol: 'BTCUSDT' }));
		expect(r.status).toBe(200); // exchange access is off: a run that acted would have failed
		expect(r.body).toMatchObject({ ran: false, run: { job: 'market_data', skipped: 'locked' }, symbol: 'BTC/USDT', inserted: 0, gaps: [] });
	});

	it('on-chain: the same series is stored once', async () => {
		const [a, b] = instances();
		const body = { observations: [{ asset: 'BTC', metric: 'sopr', resolution: '24h', t: 1_735_689_600, value: 1.01 }] };
		const skipped = await whileHeld(a, leaseKey('onchain', ['glassnode', 'BTC.sopr.24h']), () => post(appOf(b), '/v1/onchain/observations', body));
		expect(skipped.body).toMatchObject({ ran: false, stored: 0, run: { job: 'onchain', skipped: 'locked' } });
		const ran = await post(appOf(b), '/v1/onchain/observations', body);
		expect(ran.body).toMatchObject({ ran: true, stored: 1, run: { job: 'onchain', skipped: null } });
	});

	it('sentiment: a second run of the same source stores nothing', async () => {
		const [a, b] = instances();
		const body = { posts: [{ id: 1, title: 'BTC falls', published_at: NOW - 60_000, currencies: ['BTC'], votes: { negative: 9 } }] };
		const skipped = await whileHeld(a, leaseKey('sentiment', ['cryptopanic']), () => post(appOf(b), '/v1/sentiment/posts', body));
		expect(skipped.body).toMatchObject({ ran: false, inserted: 0, snapshots: [], run: { job: 'sentiment' } });
		expect((await post(appOf(b), '/v1/sentiment/posts', body)).body).toMatchObject({ ran: true, inserted: 1 });
	});

	it('alpha score: a recording run of the same symbols records once; an unrecorded score takes no lease', async () => {
		const [a, b] = instances();
		const key = leaseKey('alpha_score', ['binance', '1h', 'ETH/USDT']);
		const skipped = await whileHeld(a, key, () => post(appOf(b), '/v1/alpha', { symbols: ['ETH/USDT'] }));
		expect(skipped.body).toMatchObject({ ran: false, scores: [], run: { job: 'alpha_score', skipped: 'locked' } });
		const read = await whileHeld(a, key, () => post(appOf(b), '/v1/alpha', { symbols: ['ETH/USDT'], record: false }));
		expect(read.body).toMatchObject({ ran: true, run: null });
		expect(read.body.scores).toHaveLength(1);
		expect(await storage.alphaScores.latestAtOrBefore('ETH/USDT', NOW)).toBeNull();
		expect((await post(appOf(b), '/v1/alpha', { symbols: ['ETH/USDT'] })).body).toMatchObject({ ran: true, run: { job: 'alpha_score', skipped: null } });
		expect(await storage.alphaScores.latestAtOrBefore('ETH/USDT', NOW)).not.toBeNull();
	});
});
