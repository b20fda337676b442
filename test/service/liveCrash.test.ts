// LIVE crash safety with the service as a real process (the compiled bundle), against the loopback
// Binance spot account fake through the real ccxt:
// the fake receives the entry order, applies it, and holds its answer; the service is SIGKILLed
// before the answer can be stored (the outbox row says `sent`), then started again on the same
// database. At start it reconciles the outbox with the exchange: the order is found by its client
// order id and settled into ONE position, the OCO is placed, and NO second order reaches the
// exchange — not at start, not for 200 concurrent redeliveries of the same alert afterwards.
// Run on a SQLite file and on a throw-away MariaDB database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateKpiGates, type KpiInput } from '../../math-service/src/core/gates/kpiGates';
import { gatesJson } from '../../math-service/src/report/backtestJson';
import { liveOrders } from '../../math-service/src/storage/liveOrderOutbox';
import { openStorage } from '../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase } from '../../math-service/src/storage/testDatabases';
import { startFakeBinanceAccount, type FakeBinanceAccount } from '../fakes/fakeBinanceAccount';
import { waitFor } from '../fakes/fakeServer';
import { spawnService } from './serviceProcess';

const SECRET = 'live-crash-secret-0123456789';
const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
const SLOW = { timeout: 180_000 };
const run = randomBytes(4).toString('hex');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function prepare(databaseUrl: string) {
	const storage = await openStorage(databaseUrl);
	const seed1 = gatesJson(evaluateKpiGates(PASSING, 'seed1'));
	await storage.backtestRuns.insert({
		strategy: 'vwap_mean_reversion', exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', fromTime: Date.now() - 3 * 365 * 86_400_000, toTime: Date.now(),
		params: {}, metrics: {}, gates: { seed1, seed2: seed1 }, gatesProfile: 'seed1', gatesPassed: true, createdAt: Date.now() - 60_000,
	});
	await storage.close();
}

const envFor = (databaseUrl: string, fake: FakeBinanceAccount) => ({
	DATABASE_URL: databaseUrl,
	TRADINGVIEW_WEBHOOK_SECRET: SECRET,
	HFQ_PAPER_INITIAL_CASH: '10000',
	HFQ_MODE: 'LIVE',
	HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY',
	EXCHANGE_API_KEY: fake.apiKey,
	EXCHANGE_API_SECRET: fake.apiSecret,
	HFQ_LIVE_BASE_URL: fake.origin,
});

const alertBody = (alertId: string) =>
	JSON.stringify({ secret: SECRET, alert_id: alertId, action: 'buy', ticker: 'BINANCE:ETHUSDT', exchange: 'BINANCE', interval: '60', time: Date.now() - 500, close: 2000, vwap: 2080, stop: 1960, target: 2080 });

async function post(url: string, body: string) {
	const res = await fetch(`${url}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function killAfterSendThenRestart(databaseUrl: string) {
	const fake = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000 } });
	cleanups.push(() => fake.close());
	await prepare(databaseUrl);
	const env = envFor(databaseUrl, fake);
	const first = await spawnService(env);
	cleanups.push(() => first.kill());
	expect(first.output()).toMatch(/LIVE TRADING ARMED/);
	expect(first.output()).not.toContain(fake.apiSecret);

	fake.holdOrders(1);
	const body = alertBody(`live-crash-${run}-${databaseUrl.slice(0, 5)}`);
	const unanswered = post(first.url, body).catch((error: unknown) => ({ status: 0, body: { error: String(error) } }));
	await waitFor(() => fake.held() === 1, { timeoutMs: 30_000, what: 'the exchange holding the entry order' });
	await first.kill(); // SIGKILL: the order is at the exchange, its answer never stored
	fake.release();
	expect((await unanswered).status).toBe(0);

	const check = await openStorage(databaseUrl);
	cleanups.push(() => check.close());
	const [row] = await liveOrders(check.db).unsettled();
	expect(row).toMatchObject({ state: 'sent' });
	expect(await check.paperLedger.openPositions()).toEqual([]);
	expect(fake.placedOrders()).toHaveLength(1);

	const second = await spawnService(env);
	cleanups.push(() => second.kill());
	expect(second.output()).toMatch(/LIVE outbox reconciled/);
	const settled = await liveOrders(check.db).byId(row!.id);
	expect(settled).toMatchObject({ state: 'filled', protection: 'oco', exchangeOrderId: String(fake.placedOrders()[0]!.orderId) });
	expect(await check.paperLedger.openPositions()).toHaveLength(1);
	expect(fake.placedOrders()).toHaveLength(1);

	// TradingView (or n8n) retries the alert that never got an answer, 200 times at once: still one order.
	const retries = await Promise.all(Array.from({ length: 200 }, () => post(second.url, body)));
	expect(retries.every((r) => r.status === 200 && r.body.duplicate === true)).toBe(true);
	expect(new Set(retries.map((r) => r.body.decision_id)).size).toBe(1);
	expect(retries[0]!.body.receipt.execution).toMatchObject({ state: 'filled', position_id: settled!.positionId });
	expect(fake.placedOrders()).toHaveLength(1);
	expect(await check.paperLedger.openPositions()).toHaveLength(1);
	expect(second.output()).not.toContain(fake.apiSecret);
}

describe('LIVE switches at start', () => {
	it('HFQ_MODE=LIVE without the confirmation: runs PAPER, says LIVE REFUSED with the reason, never prints the secret', SLOW, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-live-refused-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const service = await spawnService({ DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, TRADINGVIEW_WEBHOOK_SECRET: SECRET, HFQ_MODE: 'LIVE', EXCHANGE_API_KEY: 'refused-key-0123456789', EXCHANGE_API_SECRET: 'refused-secret-0123456789' });
		cleanups.push(() => service.kill());
		expect(service.output()).toMatch(/LIVE REFUSED: HFQ_LIVE_CONFIRM is not set/);
		expect(service.output()).not.toMatch(/LIVE TRADING ARMED/);
		expect(await (await fetch(`${service.url}/health`)).json()).toMatchObject({ mode: 'PAPER' });
		expect(service.output()).not.toContain('refused-secret-0123456789');
	});

	it('a bad LIVE setting stops the start with its name', SLOW, async () => {
		await expect(spawnService({ TRADINGVIEW_WEBHOOK_SECRET: SECRET, HFQ_MODE: 'LIVE', HFQ_LIVE_EXCHANGE: 'kraken' }, 30_000)).rejects.toThrow(/HFQ_LIVE_EXCHANGE: .{0,4}kraken.{0,4} is not one of/);
	});
});

describe('LIVE: SIGKILL after the exchange received the order, before its answer was stored', () => {
	it('on a SQLite file: restart reconciles to one position and exactly one order', SLOW, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-live-crash-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		await killAfterSendThenRestart(`sqlite:${join(dir, 'live.db')}`);
	});

	it('on MariaDB: restart reconciles to one position and exactly one order', SLOW, async () => {
		const db = await createMysqlTestDatabase('hfq_live_crash');
		cleanups.push(() => db.drop());
		await killAfterSendThenRestart(db.url);
	});
});
