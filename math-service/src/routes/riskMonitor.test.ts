/**
 * POST /v1/positions/check as the risk-monitor heartbeat: under the `risk_monitor` lease (real Redis,
 * two service instances sharing one database, and in process), an overlapping run does not act and
 * says so, a waiting run acts after the holder finishes; the answer's events[] carry one Telegram
 * message per close and per halt; the day's starting equity is booked before the first tick.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { InProcessHotCache } from '../heartbeat/HotCache';
import type { HeartbeatDepsExtension } from '../heartbeat/heartbeatFor';
import { InProcessJobLock } from '../heartbeat/InProcessJobLock';
import { RedisHotCache } from '../heartbeat/RedisHotCache';
import { RedisJobLock } from '../heartbeat/RedisJobLock';
import type { HeartbeatDeps } from '../heartbeat/runHeartbeatJob';
import { testRedis } from '../heartbeat/testRedis';
import { dayStartKey } from '../pipeline/accountState';
import { openStorage, type Storage } from '../storage/openStorage';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
let storage: Storage;
let clock: { ms: number; now(): number };

function makeApp(heartbeat: HeartbeatDeps) {
	return createApp({ config: loadConfig({}), storage, clock, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000 }, heartbeat } as AppDeps & HeartbeatDepsExtension);
}
type App = ReturnType<typeof makeApp>;
const post = (app: App, path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Record<string, any>;
let n = 0;
const buy = (app: App, ticker: string, close: number, stop: number, target: number, thresholds: Record<string, unknown> = {}) =>
	json(post(app, '/v1/signals/tradingview', { secret: SECRET, alert_id: `rm-${n++}`, action: 'buy', ticker, time: clock.ms, close, stop, target, thresholds: { kelly_fraction: 1, ...thresholds } }));

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	clock = { ms: T0, now() { return this.ms; } };
});
afterEach(async () => {
	await storage.close();
});

describe.each(['redis', 'in_process'] as const)('risk monitor lease (%s)', (backend) => {
	let t: ReturnType<typeof testRedis> | undefined;
	afterEach(async () => {
		await t?.cleanup();
		t = undefined;
	});
	/** Two service instances on one database (Redis) or one process's lock (in process). */
	const instances = (): [HeartbeatDeps, HeartbeatDeps] => {
		if (backend === 'in_process') {
			const hb: HeartbeatDeps = { lock: new InProcessJobLock({ holderId: 'this-process' }), cache: new InProcessHotCache() };
			return [hb, hb];
		}
		t = testRedis();
		const instance = (id: string): HeartbeatDeps => ({
			lock: new RedisJobLock(t!.connect(), { keyPrefix: `${t!.prefix}lock:`, holderId: id }),
			cache: new RedisHotCache(t!.connect(), { keyPrefix: `${t!.prefix}cache:` }),
		});
		return [instance('instance-a'), instance('instance-b')];
	};

	it('a run that starts while the previous one still works does not act and says so; a waiting run acts once it is free', async () => {
		const [a, b] = instances();
		const appA = makeApp(a);
		const appB = makeApp(b);
		await buy(appA, 'BTCUSDT', 100, 95, 110);
		clock.ms = T0 + HOUR;
		// instance A's run holds the lease while instance B's schedule fires
		const during = await a.lock.run('risk_monitor', { ttlMs: 10_000 }, async () => json(post(appB, '/v1/positions/check', { prices: { 'BTC/USDT': 94 } })));
		expect(during.ran).toBe(true);
		const skipped = during.ran ? during.result : null;
		expect(skipped).toMatchObject({ ran: false, run: { job: 'risk_monitor', ran: false, skipped: 'locked' }, checked: 0, closed: [], events: [] });
		expect(skipped!.run.waited_ms).toBeLessThan(50); // wait_ms 0: skips at once
		expect(skipped!.run.reason).toMatch(/previous risk_monitor run still working \(lease held by (instance-a|this-process) since/);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);

		// B waits up to 2 s while A's run needs ~150 ms more: B acts after it, once
		const holder = a.lock.run('risk_monitor', { ttlMs: 10_000 }, () => sleep(150));
		await sleep(20);
		const waited = await json(post(appB, '/v1/positions/check', { prices: { 'BTC/USDT': 94 }, wait_ms: 2_000 }));
		await holder;
		expect(waited).toMatchObject({ ran: true, run: { ran: true, skipped: null, lock_lost: false } });
		expect(waited.run.waited_ms).toBeGreaterThanOrEqual(100);
		expect(waited.events).toEqual([expect.objectContaining({ type: 'close', symbol: 'BTC/USDT', exit_reason: 'stop', fill_price: 94 * (1 - 0.0002) })]);

		const hb = await json(appA.request('/v1/heartbeat'));
		expect(hb.jobs.find((j: { job: string }) => j.job === 'risk_monitor').last_run.outcome).toBe('ran');
	});

	it('two overlapping ticks close a position once and send its message once', async () => {
		const [a, b] = instances();
		const appA = makeApp(a);
		const appB = makeApp(b);
		await buy(appA, 'BTCUSDT', 100, 95, 110);
		clock.ms = T0 + HOUR;
		const answers = await Promise.all([json(post(appA, '/v1/positions/check', { prices: { 'BTC/USDT': 94 } })), json(post(appB, '/v1/positions/check', { prices: { 'BTC/USDT': 94 } }))]);
		expect(answers.flatMap((x) => x.events)).toHaveLength(1);
		expect((await storage.db.selectFrom('tradeLog').select('id').execute()).length).toBe(1);
	});
});

describe('risk monitor events and the daily halt', () => {
	const hb = (): HeartbeatDeps => ({ lock: new InProcessJobLock(), cache: new InProcessHotCache() });

	it('answers one event per close (stop, target, time stop) with its Telegram message', async () => {
		const app = makeApp(hb());
		await buy(app, 'BTCUSDT', 100, 95, 110);
		await buy(app, 'ETHUSDT', 50, 48, 56);
		await buy(app, 'SOLUSDT', 20, 19, 23, { time_stop_hours: 1 });
		clock.ms = T0 + 2 * HOUR;
		const r = await json(post(app, '/v1/positions/check', { prices: { 'BTC/USDT': 94, 'ETH/USDT': 57, 'SOL/USDT': 21 }, slippage_ratio: 0.001 }));
		expect(r.ran).toBe(true);
		expect(r.events.map((e: { symbol: string; exit_reason: string }) => [e.symbol, e.exit_reason])).toEqual([
			['BTC/USDT', 'stop'],
			['ETH/USDT', 'target'],
			['SOL/USDT', 'time_stop'],
		]);
		expect(r.events[0]).toMatchObject({ type: 'close', fill_price: 94 * (1 - 0.001), pnl: r.closed[0].pnl, position_id: r.closed[0].position_id });
		expect(r.events[0].message).toMatch(/^🛑 STOP BTC\/USDT · 📝 PAPER\nFilled 93\.906 \(entry 100\.00\)/);
		expect(r.events[1].message).toMatch(/^🎯 TARGET ETH\/USDT[^]*Filled 56\.00[^]*P&L \+/);
		expect(r.events[2].message).toMatch(/^⏱ TIME STOP SOL\/USDT/);
		expect(r.halt).toBeNull();
	});

	it('answers a halt event when a marked-to-market loss trips the daily halt', async () => {
		const app = makeApp(hb());
		await buy(app, 'BTCUSDT', 100, 50, 300, { max_position_ratio: 1, max_heat_ratio: 1, max_var_ratio: 1 });
		clock.ms = T0 + HOUR;
		const r = await json(post(app, '/v1/positions/check', { prices: { 'BTC/USDT': 60 }, thresholds: { max_daily_drawdown_ratio: 0.05, halt_hours: 12 } }));
		expect(r.events).toHaveLength(1);
		expect(r.events[0]).toMatchObject({ type: 'halt', limit: -0.05, halt_until: new Date(T0 + 13 * HOUR).toISOString(), equity: r.equity });
		expect(r.events[0].message).toMatch(/^⛔ DAILY DRAWDOWN HALT\nEquity [\d,.]+, −\d+\.\d\d% since 00:00 UTC \(limit −5\.00%, marked to market\)\nNo new entries until 2026-03-01 22:30 UTC$/);
	});

	it("books the day's starting equity before the first tick's prices, so that tick's loss trips the halt", async () => {
		const app = makeApp(hb());
		await buy(app, 'BTCUSDT', 100, 50, 300, { max_position_ratio: 1, max_heat_ratio: 1, max_var_ratio: 1 });
		// a restored database: no equity snapshot before midnight, the next day not booked yet
		await storage.db.deleteFrom('equitySnapshots').execute();
		const nextDay = T0 + 24 * HOUR;
		clock.ms = nextDay;
		expect(await storage.riskState.get(dayStartKey(nextDay))).toBeNull();
		const r = await json(post(app, '/v1/positions/check', { prices: { 'BTC/USDT': 60 } }));
		expect(Number((await storage.riskState.get(dayStartKey(nextDay)))!.value)).toBeGreaterThan(r.equity);
		expect(r.halt).not.toBeNull();
		expect(r.events.map((e: { type: string }) => e.type)).toEqual(['halt']);
	});

	it('a tick on a fresh desk (before the first alert) books the starting deposit as the day start, not 0', async () => {
		const app = makeApp(hb());
		const quiet = await json(post(app, '/v1/positions/check', {}));
		expect(quiet).toMatchObject({ ran: true, checked: 0, events: [] });
		expect(Number((await storage.riskState.get(dayStartKey(T0)))!.value)).toBe(10_000);
		expect(await buy(app, 'BTCUSDT', 100, 95, 110)).toMatchObject({ status: 'approved' });
	});

	it('refuses a timeframe it does not know with 422', async () => {
		const app = makeApp(hb());
		expect((await post(app, '/v1/positions/check', { timeframe: '7m' })).status).toBe(422);
	});
});
