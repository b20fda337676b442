/**
 * POST /v1/scan: the scan's signals take the TradingView alert path (same alert id as the Pine
 * script, same gates and receipt), so TradingView + scan for one bar make one decision; the alpha
 * strategy enters on the crossing bar only; the scan runs under the signal_scan lease (real Redis
 * and in process).
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
import { openStorage, type Storage } from '../storage/openStorage';

const SECRET = 'unit-secret-abcdefghijklmnop';
const MIN = 60_000;
const DAY0 = Date.UTC(2026, 2, 1);
const LAST = DAY0 + 321 * MIN; // open time of the signal bar
const CLOSE = LAST + MIN;
let storage: Storage;
let clock: { ms: number; now(): number };

function makeApp(heartbeat: HeartbeatDeps = { lock: new InProcessJobLock(), cache: new InProcessHotCache() }, ipAllowlist: unknown = null) {
	return createApp({ config: loadConfig({}), storage, clock, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist }, heartbeat } as AppDeps & HeartbeatDepsExtension);
}
type App = ReturnType<typeof makeApp>;
const post = (app: App, path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Record<string, any>;

/** The VWAP long setup of core/signals/scanLatestBar.test: heavy volume at 200, a quiet 100, an uptick to 100.5 on the last bar. */
async function storeSetup(symbol: string) {
	const rows = [];
	const bar = (i: number, close: number, volume = 1) => ({ exchange: 'binance', symbol, timeframe: '1m', openTime: DAY0 + i * MIN, open: close, high: close, low: close, close, volume });
	for (let i = 0; i < 10; i++) rows.push(bar(i, 200, 1e6));
	for (let i = 10; i < 320; i++) rows.push(bar(i, 100 + (i % 2 === 0 ? 0.01 : -0.01)));
	rows.push(bar(320, 99.99), bar(321, 100.5));
	await storage.candles.upsertMany(rows);
}
async function storeFlat(symbol: string, close: number, bars = 330) {
	await storage.candles.upsertMany(Array.from({ length: bars }, (_, k) => ({ exchange: 'binance', symbol, timeframe: '1m', openTime: CLOSE - (bars - k) * MIN, open: close, high: close, low: close, close, volume: 1 })));
}
const alphaScore = (symbol: string, score: number, computedAt: number) => storage.alphaScores.record({ symbol, computedAt, score, partial: false, components: {} });

/** The alert the Pine script sends for the same bar. */
const pineAlert = () => ({ secret: SECRET, alert_id: `BINANCE:BTCUSDT-1-${LAST}-long`, action: 'buy', ticker: 'BTCUSDT', exchange: 'BINANCE', interval: '1', time: CLOSE, bar_time: LAST, close: 100.5, vwap: 199, stop: 100.5 * 0.97, target: 199 });

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	clock = { ms: CLOSE + 2_000, now() { return this.ms; } };
});
afterEach(async () => {
	await storage.close();
});

describe('POST /v1/scan', () => {
	it("decides a VWAP signal as the TradingView alert of that bar: Pine's alert id, the same gates and receipt", async () => {
		await storeSetup('BTC/USDT');
		const app = makeApp();
		const r = await json(post(app, '/v1/scan', { symbols: ['BTC/USDT'], strategies: { alpha_threshold: false } }));
		expect(r).toMatchObject({ ran: true, run: { job: 'signal_scan', ran: true }, new_signals: 1, duplicates: 0, rejected: 0 });
		expect(r.symbols).toEqual([{ symbol: 'BTC/USDT', bar_open_time: new Date(LAST).toISOString(), bars_read: 322, signals: 1, note: null }]);
		const [s] = r.signals;
		expect(s).toMatchObject({ outcome: 'new', status: 'approved', duplicate: false, strategy: 'vwap-mean-reversion', symbol: 'BTC/USDT', alert_id: `BINANCE:BTCUSDT-1-${LAST}-long`, close: 100.5 });
		expect(s.stop).toBeCloseTo(97.485, 9);
		expect(s.gates.map((g: { name: string }) => g.name)).toEqual(['symbol', 'whitelist', 'staleness', 'sizing', 'dailyDrawdownHalt', 'operatorHalt', 'panicSwitch', 'minRewardRisk', 'maxPositionPerAsset', 'portfolioHeat', 'cashAvailable', 'varBudget', 'timeStop']);
		expect(s.receipt).toMatchObject({ strategy: 'vwap-mean-reversion', symbol: 'BTC/USDT', entry: 100.5, thresholds: { time_stop_hours: 48 } });
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);

		// TradingView's own alert for the bar, then the next scan of the same bar: the same one decision
		const tv = await json(post(app, '/v1/signals/tradingview', pineAlert()));
		expect(tv).toMatchObject({ duplicate: true, decision_id: s.decision_id });
		const again = await json(post(app, '/v1/scan', { symbols: ['BTC/USDT'] }));
		expect(again.signals.map((x: { outcome: string; decision_id: number }) => [x.outcome, x.decision_id])).toEqual([['duplicate', s.decision_id]]);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
	});

	it('finds the signal of a bar stored after the previous scan (the scanner kept between scans)', async () => {
		await storeSetup('BTC/USDT');
		await storage.db.deleteFrom('candles').where('openTime', '=', LAST).execute();
		const app = makeApp();
		clock.ms = LAST + 2_000;
		const before = await json(post(app, '/v1/scan', { symbols: ['BTC/USDT'] }));
		expect(before.symbols[0]).toMatchObject({ bar_open_time: new Date(LAST - MIN).toISOString(), signals: 0 });
		await storage.candles.upsertMany([{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: LAST, open: 100.5, high: 100.5, low: 100.5, close: 100.5, volume: 1 }]);
		clock.ms = CLOSE + 2_000;
		const after = await json(post(app, '/v1/scan', { symbols: ['BTC/USDT'] }));
		expect(after.symbols[0]).toMatchObject({ bar_open_time: new Date(LAST).toISOString(), bars_read: 1, signals: 1 });
		expect(after.signals[0]).toMatchObject({ outcome: 'new', alert_id: `BINANCE:BTCUSDT-1-${LAST}-long` });
		// the same numbers as a cold scan of the same bars
		const cold = await json(post(makeApp(), '/v1/scan', { symbols: ['BTC/USDT'], strategies: { alpha_threshold: false } }));
		expect(cold.signals[0]).toMatchObject({ outcome: 'duplicate', target: after.signals[0].target, stop: after.signals[0].stop });
	});

	it('answers duplicate when the TradingView alert decided the bar first', async () => {
		await storeSetup('BTC/USDT');
		const app = makeApp();
		const tv = await json(post(app, '/v1/signals/tradingview', pineAlert()));
		expect(tv).toMatchObject({ status: 'approved', duplicate: false });
		const r = await json(post(app, '/v1/scan', { symbols: ['BTC/USDT'] }));
		expect(r.signals.map((x: { outcome: string; decision_id: number }) => [x.outcome, x.decision_id])).toEqual([['duplicate', tv.decision_id]]);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
	});

	it('decides behind the TradingView IP allowlist: the scan has no network source, the secret still applies', async () => {
		await storeSetup('BTC/USDT');
		const r = await json(post(makeApp(undefined, 'tradingview'), '/v1/scan', { symbols: ['BTC/USDT'] }));
		expect(r.signals.map((x: { outcome: string }) => x.outcome)).toEqual(['new']);
	});

	it('enters the alpha strategy on the bar whose close first sees the score at 70 or above, with stop −3 % and target +4.5 %', async () => {
		await storeFlat('ETH/USDT', 2000);
		await alphaScore('ETH/USDT', 64, CLOSE - 5 * MIN);
		await alphaScore('ETH/USDT', 74, CLOSE - 20_000); // computed during the last bar
		const app = makeApp();
		const r = await json(post(app, '/v1/scan', { symbols: ['ETH/USDT'] }));
		expect(r.signals).toHaveLength(1);
		const [s] = r.signals;
		expect(s).toMatchObject({ outcome: 'new', strategy: 'alpha-threshold', alpha_score: 74, previous_alpha_score: 64, alert_id: `BINANCE:ETHUSDT-1-${LAST}-alpha-long`, close: 2000 });
		expect(s.stop).toBeCloseTo(1940, 9);
		expect(s.target).toBeCloseTo(2090, 9);
		expect(s.receipt.strategy).toBe('alpha-threshold');

		// one bar later the score is still 74: no new crossing, no new signal
		await storeFlat('ETH/USDT', 2000, 331);
		await storage.candles.upsertMany([{ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1m', openTime: CLOSE, open: 2000, high: 2000, low: 2000, close: 2000, volume: 1 }]);
		clock.ms = CLOSE + MIN + 2_000;
		expect((await json(post(app, '/v1/scan', { symbols: ['ETH/USDT'] }))).signals).toEqual([]);
	});

	it('sends the signal through the panic switch like any buy', async () => {
		await storeFlat('ETH/USDT', 2000);
		await alphaScore('ETH/USDT', 80, CLOSE - 20_000);
		await storage.news.recordSnapshot({ currency: 'ETH', computedAt: CLOSE - MIN, sentimentScore: 20, panicScore: 91, postCount: 12, bullishVotes: 1, bearishVotes: 40, source: 'cryptopanic' });
		const r = await json(post(makeApp(), '/v1/scan', { symbols: ['ETH/USDT'], thresholds: { max_panic_score: 70 } }));
		expect(r).toMatchObject({ new_signals: 0, rejected: 1 });
		expect(r.signals[0]).toMatchObject({ outcome: 'rejected', reason_code: 'panic_switch' });
	});

	it('scans the whole whitelist by default and says which symbols have no candles', async () => {
		const r = await json(post(makeApp(), '/v1/scan', {}));
		expect(r.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'AVAX/USDT', 'NEAR/USDT', 'BNB/USDT', 'ARB/USDT', 'OP/USDT', 'POL/USDT']);
		expect(r.symbols[0].note).toMatch(/no stored 1m candles on binance/);
		expect(r.signals).toEqual([]);
	});

	it('refuses bad parameters with 422', async () => {
		const app = makeApp();
		expect((await post(app, '/v1/scan', { alpha: { threshold: 101 } })).status).toBe(422);
		expect((await post(app, '/v1/scan', { timeframe: '7m' })).status).toBe(422);
		expect((await post(app, '/v1/scan', { thresholds: { max_panic_score: -1 } })).status).toBe(422);
	});
});

describe.each(['redis', 'in_process'] as const)('POST /v1/scan lease (%s)', (backend) => {
	let t: ReturnType<typeof testRedis> | undefined;
	afterEach(async () => {
		await t?.cleanup();
		t = undefined;
	});

	it('a scan that starts while the previous one still works does not act and says so', async () => {
		await storeSetup('BTC/USDT');
		let a: HeartbeatDeps;
		let b: HeartbeatDeps;
		if (backend === 'in_process') {
			a = b = { lock: new InProcessJobLock(), cache: new InProcessHotCache() };
		} else {
			t = testRedis();
			const instance = (id: string): HeartbeatDeps => ({ lock: new RedisJobLock(t!.connect(), { keyPrefix: `${t!.prefix}lock:`, holderId: id }), cache: new RedisHotCache(t!.connect(), { keyPrefix: `${t!.prefix}cache:` }) });
			a = instance('instance-a');
			b = instance('instance-b');
		}
		const appB = makeApp(b);
		const held = await a.lock.run('signal_scan', { ttlMs: 10_000 }, () => json(post(appB, '/v1/scan', { symbols: ['BTC/USDT'] })));
		expect(held.ran && held.result).toMatchObject({ ran: false, run: { skipped: 'locked' }, signals: [], new_signals: 0 });
		expect(await storage.paperLedger.openPositions()).toHaveLength(0);
		const both = await Promise.all([json(post(makeApp(a), '/v1/scan', { symbols: ['BTC/USDT'] })), json(post(appB, '/v1/scan', { symbols: ['BTC/USDT'] }))]);
		expect(both.reduce((n, x) => n + x.new_signals, 0)).toBe(1);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
	});
});
