/**
 * Job leases against the real Redis (two connections = two service processes) and in process:
 * overlapping runs act once, a dead holder's lease lapses by TTL, a long job's lease is extended
 * and not stolen, a late release never deletes another holder's lease.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessJobLock } from './InProcessJobLock';
import { leaseToken, type LeaseJobLock } from './JobLock';
import { RedisJobLock } from './RedisJobLock';
import { testRedis } from './testRedis';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Backend {
	name: string;
	/** Two locks that must share leases (two Redis connections, or one in-process lock twice). */
	pair(): [LeaseJobLock, LeaseJobLock];
	cleanup(): Promise<void>;
}

function redisBackend(): Backend {
	const t = testRedis();
	return {
		name: 'redis',
		pair: () => [
			new RedisJobLock(t.connect(), { keyPrefix: t.prefix, holderId: 'instance-a' }),
			new RedisJobLock(t.connect(), { keyPrefix: t.prefix, holderId: 'instance-b' }),
		],
		cleanup: t.cleanup,
	};
}

function inProcessBackend(): Backend {
	return {
		name: 'in_process',
		pair: () => {
			const lock = new InProcessJobLock({ holderId: 'this-process' });
			return [lock, lock];
		},
		cleanup: async () => {},
	};
}

describe.each([['redis', redisBackend], ['in_process', inProcessBackend]] as const)('%s job lock', (_name, make) => {
	let backend: Backend;
	afterEach(async () => backend?.cleanup());

	it('runs fn exactly once for two overlapping runs; the other answers skipped with the holder', async () => {
		backend = make();
		const [a, b] = backend.pair();
		let calls = 0;
		const job = async () => {
			calls++;
			await sleep(150);
			return 'closed 2 positions';
		};
		const [first, second] = await Promise.all([a.run('risk_monitor', { ttlMs: 5_000 }, job), b.run('risk_monitor', { ttlMs: 5_000 }, job)]);
		expect(calls).toBe(1);
		const outcomes = [first, second];
		const ran = outcomes.filter((o) => o.ran);
		const skipped = outcomes.filter((o) => !o.ran);
		expect(ran).toHaveLength(1);
		expect(ran[0]).toMatchObject({ ran: true, result: 'closed 2 positions', lockLost: false });
		expect(skipped).toHaveLength(1);
		expect(skipped[0]).toMatchObject({ ran: false, skipped: 'locked' });
		if (!skipped[0]!.ran) {
			expect(skipped[0]!.heldBy).toMatch(/^(instance-a|instance-b|this-process)$/);
			expect(skipped[0]!.since).toBeGreaterThan(Date.now() - 5_000);
		}
	});

	it('leaves the lease free after a run, so the next scheduled run acts', async () => {
		backend = make();
		const [a, b] = backend.pair();
		expect((await a.run('market_data', { ttlMs: 5_000 }, async () => 1)).ran).toBe(true);
		expect((await b.run('market_data', { ttlMs: 5_000 }, async () => 2)).ran).toBe(true);
		expect(await a.holderToken(a.keyOf('market_data'))).toBeNull();
	});

	it('releases the lease when the job throws', async () => {
		backend = make();
		const [a, b] = backend.pair();
		await expect(a.run('signal_scan', { ttlMs: 5_000 }, async () => Promise.reject(new Error('exchange down')))).rejects.toThrow('exchange down');
		expect((await b.run('signal_scan', { ttlMs: 5_000 }, async () => 'ok')).ran).toBe(true);
	});

	it('with waitMs, the second run waits for the first and then runs, never concurrently', async () => {
		backend = make();
		const [a, b] = backend.pair();
		let active = 0;
		let maxActive = 0;
		const job = async () => {
			active++;
			maxActive = Math.max(maxActive, active);
			await sleep(100);
			active--;
		};
		const outcomes = await Promise.all([a.run('onchain', { ttlMs: 5_000, waitMs: 2_000 }, job), b.run('onchain', { ttlMs: 5_000, waitMs: 2_000 }, job)]);
		expect(outcomes.map((o) => o.ran)).toEqual([true, true]);
		expect(maxActive).toBe(1);
		expect(Math.max(...outcomes.map((o) => o.waitedMs))).toBeGreaterThanOrEqual(50);
	});

	it('skips after waitMs when the previous run is still working', async () => {
		backend = make();
		const [a, b] = backend.pair();
		let started!: () => void;
		const working = new Promise<void>((r) => (started = r));
		const long = a.run('onchain', { ttlMs: 5_000 }, () => (started(), sleep(400)));
		await working;
		const waited = await b.run('onchain', { ttlMs: 5_000, waitMs: 100 }, async () => 'acted');
		expect(waited).toMatchObject({ ran: false, skipped: 'locked' });
		expect(waited.waitedMs).toBeGreaterThanOrEqual(100);
		await long;
	});

	it("takes a dead holder's lease after its TTL (never released, never extended)", async () => {
		backend = make();
		const [a, b] = backend.pair();
		expect(await a.acquire(a.keyOf('risk_monitor'), leaseToken('crashed-instance', Date.now()), 150)).toBe(true);
		const blocked = await b.run('risk_monitor', { ttlMs: 5_000 }, async () => 'acted');
		expect(blocked).toMatchObject({ ran: false, skipped: 'locked', heldBy: 'crashed-instance' });
		await sleep(220);
		expect(await b.run('risk_monitor', { ttlMs: 5_000 }, async () => 'acted')).toMatchObject({ ran: true, result: 'acted' });
	});

	it("extends a long job's lease so it is not taken while the job works", async () => {
		backend = make();
		const [a, b] = backend.pair();
		let calls = 0;
		let started!: () => void;
		const working = new Promise<void>((r) => (started = r));
		const long = a.run('market_data', { ttlMs: 90 }, async () => {
			calls++;
			started();
			await sleep(700);
			return 'synced';
		});
		await working;
		const attempts = [];
		for (let i = 0; i < 4; i++) {
			await sleep(100);
			attempts.push(
				await b.run('market_data', { ttlMs: 90 }, async () => {
					calls++;
					return 'stolen';
				}),
			);
		}
		expect(attempts.map((o) => o.ran)).toEqual([false, false, false, false]);
		expect(await long).toMatchObject({ ran: true, result: 'synced', lockLost: false });
		expect(calls).toBe(1);
	});

	it("never deletes another holder's lease: a release after the lease lapsed and was retaken is refused", async () => {
		backend = make();
		const [a, b] = backend.pair();
		const key = a.keyOf('sentiment');
		const late = leaseToken('instance-a', Date.now());
		expect(await a.acquire(key, late, 80)).toBe(true);
		await sleep(130);
		const current = leaseToken('instance-b', Date.now());
		expect(await b.acquire(key, current, 5_000)).toBe(true);
		expect(await a.release(key, late)).toBe(false);
		expect(await a.extend(key, late, 5_000)).toBe(false);
		expect(await b.holderToken(key)).toBe(current);
		expect(await b.release(key, current)).toBe(true);
	});

	it('reports lockLost when the lease vanished under the running job', async () => {
		backend = make();
		const [a, b] = backend.pair();
		const key = a.keyOf('signal_scan');
		const outcome = await a.run('signal_scan', { ttlMs: 5_000 }, async () => {
			expect(await b.release(key, (await b.holderToken(key))!)).toBe(true);
			return 'scanned';
		});
		expect(outcome).toMatchObject({ ran: true, result: 'scanned', lockLost: true });
	});

	it('refuses a job name that is not a plain identifier', async () => {
		backend = make();
		const [a] = backend.pair();
		await expect(a.run('risk monitor*', { ttlMs: 1_000 }, async () => 1)).rejects.toThrow(/job name/);
	});
});

describe('a lease freed between the failed attempt and the look-up of its holder', () => {
	it('is taken and the job runs: a run never skips for a lease nobody holds', async () => {
		// The previous run releases right after this run's attempt failed, before the holder is read.
		class ReleasedInBetween extends InProcessJobLock {
			attempts = 0;
			override async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
				this.attempts++;
				if (this.attempts === 1) return false;
				return super.acquire(key, token, ttlMs);
			}
		}
		const lock = new ReleasedInBetween({ holderId: 'this-process' });
		let calls = 0;
		const outcome = await lock.run('market_data', { ttlMs: 5_000 }, async () => ++calls);
		expect(outcome).toMatchObject({ ran: true, result: 1 });
		expect(calls).toBe(1);
	});

	it('still skips, naming the holder, when the lease is held again at the look-up', async () => {
		const lock = new InProcessJobLock({ holderId: 'this-process' });
		let release!: () => void;
		const holding = lock.run('market_data', { ttlMs: 5_000 }, () => new Promise<void>((r) => (release = r)));
		await sleep(10);
		const skipped = await lock.run('market_data', { ttlMs: 5_000 }, async () => 'acted');
		expect(skipped).toMatchObject({ ran: false, skipped: 'locked', heldBy: 'this-process' });
		release();
		await holding;
	});
});
