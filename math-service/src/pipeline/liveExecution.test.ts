/**
 * LIVE orders end to end inside the service (createApp over SQLite and MariaDB), against the real
 * ccxt client and the loopback Binance spot account fake:
 * - each outcome is a recorded state with its reason and a Telegram text (filled, partially filled,
 *   insufficient balance, rejected by a filter, below the minimum notional before sending);
 * - 200 concurrent deliveries of one approved alert → one decision, one outbox row, ONE order;
 * - a lost answer (the exchange got the order, the service did not get the reply) is found again
 *   by its client order id, never sent twice;
 * - the OCO target fill, and the time stop (OCO cancelled, market sell), close the position through
 *   the risk monitor and land in the trade log as LIVE trades;
 * - reconciliation settles `pending`/`sent` rows from the exchange: one position, no second order.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinanceAccount, type FakeBinanceAccount } from '../../../test/fakes/fakeBinanceAccount';
import { waitFor } from '../../../test/fakes/fakeServer';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { evaluateKpiGates, type KpiInput } from '../core/gates/kpiGates';
import { gatesJson } from '../report/backtestJson';
import { insertLiveOrder, liveOrders } from '../storage/liveOrderOutbox';
import { openStorage, type Storage } from '../storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../storage/testDatabases';
import { pipelineFor } from './createPipeline';
import { decisionBatchStats } from './decisionBatch';
import { liveOrderQuantity, reconcileLiveOutbox } from './liveExecution';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
const HOUR = 3_600_000;
const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };

let fake: FakeBinanceAccount;
let storage: Storage;
let mysql: TestDatabase | null = null;
let clock = { ms: T0, now() { return this.ms; } };
let alertNo = 0;

function deps(paperInitialCash = 10_000): AppDeps {
	const env = { HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: fake.apiKey, EXCHANGE_API_SECRET: fake.apiSecret, HFQ_LIVE_BASE_URL: fake.origin };
	return { config: loadConfig(env), storage, clock, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash, ipAllowlist: null } } as AppDeps;
}

async function recordRun(symbol = 'ETH/USDT') {
	const seed1 = gatesJson(evaluateKpiGates(PASSING, 'seed1'));
	await storage.backtestRuns.insert({
		strategy: 'vwap_mean_reversion', exchange: 'binance', symbol, timeframe: '1h', fromTime: T0 - 3 * 365 * 86_400_000, toTime: T0,
		params: {}, metrics: {}, gates: { seed1, seed2: seed1 }, gatesProfile: 'seed1', gatesPassed: true, createdAt: T0 - 60_000,
	});
}

const ethAlert = (o: Record<string, unknown> = {}) => ({ secret: SECRET, alert_id: `BINANCE:ETHUSDT-60-exec-${++alertNo}`, action: 'buy', ticker: 'BINANCE:ETHUSDT', interval: '60', time: clock.ms - 1_000, close: 2000, vwap: 2080, stop: 1960, target: 2080, ...o });

async function deliver(app: ReturnType<typeof createApp>, body: unknown) {
	const res = await app.request('/v1/signals/tradingview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function trades(mode: 'LIVE' | 'PAPER') {
	return (await storage.tradeLog.closedBetween(0, Number.MAX_SAFE_INTEGER)).filter((t) => t.mode === mode);
}

beforeAll(async () => {
	fake = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000, SOLUSDT: 100, AVAXUSDT: 30 }, symbols: ['ETHUSDT', 'BTCUSDT', 'SOLUSDT', 'AVAXUSDT'] });
});
afterAll(async () => fake?.close());

describe.each(['sqlite', 'mysql'] as const)('LIVE execution on %s', (dialect) => {
	beforeEach(async () => {
		clock = { ms: T0, now() { return this.ms; } };
		if (dialect === 'mysql') {
			mysql = await createMysqlTestDatabase('hfq_live');
			storage = await openStorage(mysql.url, { mysqlConnectionLimit: 20 });
		} else storage = await openStorage('sqlite::memory:');
		fake.reset();
		fake.setBalance('USDT', 10_000);
		fake.setBalance('ETH', 0);
		fake.setPrice('ETHUSDT', 2000);
		await recordRun();
	});
	afterEach(async () => {
		await storage.close();
		await mysql?.drop();
		mysql = null;
	});

	it('fills, books the position at the exchange price net of the base-asset commission, protects it with an OCO, and says so', async () => {
		const app = createApp(deps());
		const { body: d } = await deliver(app, ethAlert());
		expect(d).toMatchObject({ status: 'approved', reason_code: 'approved', mode: 'LIVE' });
		const ex = d.receipt.execution;
		expect(ex).toMatchObject({ broker: 'live', state: 'filled', average_price: 2000, protection: 'oco', exchange: 'binance' });
		expect(ex.client_order_id).toMatch(/^hfq[0-9a-z]+-[0-9a-f]{12}$/);
		expect(ex.client_order_id.length).toBeLessThanOrEqual(32);
		expect(ex.message).toMatch(/LIVE BUY [\d.]+ ETH\/USDT filled at 2000 .*OCO/);
		const [order] = fake.placedOrders();
		expect(order).toMatchObject({ clientOrderId: ex.client_order_id, type: 'MARKET', side: 'BUY', status: 'FILLED' });
		const [pos] = await storage.paperLedger.openPositions();
		expect(pos!.quantity).toBeCloseTo(order!.origQty * (1 - 0.001), 10);
		expect(pos).toMatchObject({ entryPrice: 2000, stopPrice: 1960, targetPrice: 2080, decisionId: d.decision_id });
		// The OCO rests on the exchange with the position's quantity (step-rounded), stop-limit below the stop.
		const legs = fake.orders.filter((o) => o.orderListId !== -1);
		expect(legs.map((o) => [o.type, o.price, o.stopPrice])).toEqual([['STOP_LOSS_LIMIT', 1950.2, 1960], ['LIMIT_MAKER', 2080, 0]]);
		// The stored decision answers the same outcome later.
		const again = (await (await app.request(`/v1/decisions/${d.decision_id}`)).json()) as Record<string, any>;
		expect(again.receipt.execution).toMatchObject({ state: 'filled', position_id: pos!.id });
	});

	it('200 concurrent deliveries of one approved alert: one decision, one outbox row, one order', async () => {
		const app = createApp(deps());
		const body = ethAlert();
		const answers = await Promise.all(Array.from({ length: 200 }, () => deliver(app, body)));
		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect(new Set(answers.map((a) => a.body.decision_id)).size).toBe(1);
		expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
		expect(fake.placedOrders()).toHaveLength(1);
		expect(await liveOrders(storage.db).count()).toBe(1);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
		// A late redelivery (after the first answer) is a duplicate too: still one order.
		expect((await deliver(app, body)).body).toMatchObject({ duplicate: true, decision_id: answers[0]!.body.decision_id });
		expect(fake.placedOrders()).toHaveLength(1);
	});

	it('a burst at bar close is decided in one batch and the heat and per-asset limits hold over orders not yet booked', async () => {
		for (const symbol of ['BTC/USDT', 'SOL/USDT', 'AVAX/USDT']) await recordRun(symbol);
		const d = deps();
		const app = createApp(d);
		// The market rules are read once per symbol and cached: afterwards the alerts reach the queue together.
		for (const symbol of ['ETH/USDT', 'BTC/USDT', 'SOL/USDT', 'AVAX/USDT']) await pipelineFor(d).liveExchange!.rules(symbol);
		const burst = [
			ethAlert(),
			ethAlert({ ticker: 'BINANCE:BTCUSDT', close: 64_000, stop: 62_720, target: 66_560, vwap: 66_560 }),
			ethAlert({ ticker: 'BINANCE:SOLUSDT', close: 100, stop: 98, target: 104, vwap: 104 }),
			ethAlert({ ticker: 'BINANCE:AVAXUSDT', close: 30, stop: 29.4, target: 31.2, vwap: 31.2 }),
		];
		// Two alerts per asset (two strategies' worth of entries): ~4 % each, 8 of them would pass 30 %.
		const alerts = [...burst, ...burst.map((b) => ({ ...b, alert_id: `${b.alert_id}-again` })), { ...burst[0]!, alert_id: `${burst[0]!.alert_id}-third` }];
		const answers = await Promise.all(alerts.map((b) => deliver(app, b)));
		const positions = await storage.paperLedger.openPositions();
		const notional = positions.reduce((sum, pos) => sum + pos.quantity * pos.entryPrice, 0);
		expect(decisionBatchStats(pipelineFor(d)).largest).toBeGreaterThan(4); // decided together, before any fill was booked
		expect(notional / 10_000).toBeLessThanOrEqual(0.3 + 1e-9); // max_heat_ratio 30 %
		const eth = positions.filter((pos) => pos.symbol === 'ETH/USDT').reduce((sum, pos) => sum + pos.quantity * pos.entryPrice, 0);
		expect(eth / 10_000).toBeLessThanOrEqual(0.1 + 1e-9); // max_position_ratio 10 % per asset, three ETH entries in one batch
		// The orders in flight count as positions at their entry: equity moves only by the fees (no false
		// daily-drawdown halt), and the heat limit resizes the 8th entry and refuses the 9th.
		const codes = answers.map((a) => a.body.reason_code);
		expect(codes).not.toContain('halted');
		expect(codes).not.toContain('daily_drawdown_halt');
		expect(codes.filter((c) => c === 'approved')).toHaveLength(8);
		expect(codes).toContain('portfolio_heat');
		expect(fake.placedOrders()).toHaveLength(answers.filter((a) => a.body.status === 'approved').length);
	});

	it('insufficient balance, a partial fill and a filter refusal are recorded states with reasons, each with its message', async () => {
		const app = createApp(deps());
		fake.setBalance('USDT', 50);
		const poor = (await deliver(app, ethAlert())).body;
		expect(poor).toMatchObject({ status: 'rejected', reason_code: 'live_insufficient_balance' });
		expect(poor.receipt.execution).toMatchObject({ state: 'insufficient_balance', position_id: null });
		expect(poor.receipt.execution.message).toMatch(/NOT placed: insufficient balance/);
		expect(await storage.paperLedger.openPositions()).toEqual([]);

		fake.setBalance('USDT', 10_000);
		fake.nextFillRatio = 0.5;
		const half = (await deliver(app, ethAlert({ ticker: 'BINANCE:ETHUSDT' }))).body;
		expect(half).toMatchObject({ status: 'approved' });
		expect(half.receipt.execution).toMatchObject({ state: 'partially_filled' });
		expect(half.receipt.execution.filled_quantity).toBeCloseTo(half.receipt.execution.quantity / 2, 3);
		expect(half.receipt.execution.message).toMatch(/partially/);

		fake.failNext('filter_lot_size_400');
		const refused = (await deliver(app, ethAlert())).body;
		expect(refused).toMatchObject({ status: 'rejected', reason_code: 'live_order_rejected' });
		expect(refused.receipt.execution.reason).toMatch(/LOT_SIZE/);
	});

	it('an order below the minimum notional is a recorded rejection before anything is sent', async () => {
		// A 40 USDT book: the 10 % position cap is 4 USDT, below Binance's 5 USDT minimum notional.
		const app = createApp(deps(40));
		const { body } = await deliver(app, ethAlert());
		expect(body).toMatchObject({ status: 'rejected', reason_code: 'live_min_notional' });
		expect(body.reason).toMatch(/below the market's minimum notional 5/);
		expect(fake.requests.filter((r) => r.path === '/api/v3/order')).toEqual([]);
		expect(await liveOrders(storage.db).count()).toBe(0);
		const rules = await pipelineFor(deps()).liveExchange!.rules('ETH/USDT');
		expect(liveOrderQuantity(rules, 0.01234567, 2000)).toEqual({ quantity: 0.0123 });
	});

	it('a lost answer is found by its client order id: no second order, one position', async () => {
		const app = createApp(deps());
		fake.holdOrders(1); // the exchange fills the order but the reply never arrives
		const pending = deliver(app, ethAlert());
		await waitFor(() => fake.held() === 1, { what: 'the exchange holding the order' });
		fake.release(); // the held connection is cut: ccxt sees a network error and looks the order up
		const { body } = await pending;
		expect(body.receipt.execution).toMatchObject({ state: 'filled' });
		expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/api/v3/order')).toHaveLength(1); // the lookup by client order id
		expect(fake.placedOrders()).toHaveLength(1);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
	});

	it('an answer lost while the service keeps running is settled by the risk monitor a minute later: one order, booked and protected', async () => {
		const app = createApp(deps());
		fake.holdOrders(1);
		const pending = deliver(app, ethAlert());
		await waitFor(() => fake.held() === 1, { what: 'the exchange holding the order' });
		fake.failNext({ status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } }); // the lookup fails too
		fake.release();
		const { body } = await pending;
		expect(body.receipt.execution).toMatchObject({ state: 'sent', position_id: null });
		expect(body.receipt.execution.message).toMatch(/result not yet known/);
		expect(await storage.paperLedger.openPositions()).toEqual([]);

		const check = () => app.request('/v1/positions/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prices: { 'ETH/USDT': 2000 } }) });
		await check(); // too early: the order might still be on its way
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		clock.ms += 61_000;
		await check();
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
		const [row] = await liveOrders(storage.db).openPositions();
		expect(row).toMatchObject({ state: 'filled', protection: 'oco' });
		expect(fake.placedOrders()).toHaveLength(1);
		const decision = (await (await app.request(`/v1/decisions/${body.decision_id}`)).json()) as Record<string, any>;
		expect(decision.receipt.execution).toMatchObject({ state: 'filled' });
	});

	it('an OCO stop fill on the exchange is recorded as the stop exit at its fill price, with no market sell', async () => {
		const app = createApp(deps());
		await deliver(app, ethAlert());
		fake.setPrice('ETHUSDT', 1955); // through the stop (1960): the stop-limit leg fills at its limit 1950.2
		const check = (await (await app.request('/v1/positions/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prices: { 'ETH/USDT': 1955 } }) })).json()) as Record<string, any>;
		expect(check.closed).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 1950.2 })]);
		expect(fake.placedOrders().filter((o) => o.side === 'SELL')).toEqual([]);
		expect((await trades('LIVE')).map((t) => [t.exitReason, t.exitPrice])).toEqual([['stop', 1950.2]]);
	});

	it('the risk monitor records an OCO target fill as the exit, and the time stop cancels the OCO and sells at market', async () => {
		const app = createApp(deps());
		await deliver(app, ethAlert());
		await deliver(app, ethAlert({ close: 2000, stop: 1900, target: 2200 }));
		const [first, second] = await storage.paperLedger.openPositions().then((ps) => ps.sort((a, b) => a.id - b.id));
		fake.setPrice('ETHUSDT', 2090); // the first OCO's target (2080) fills on the exchange
		const check1 = (await (await app.request('/v1/positions/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prices: { 'ETH/USDT': 2090 } }) })).json()) as Record<string, any>;
		expect(check1.closed).toHaveLength(1);
		expect(check1.closed[0]).toMatchObject({ position_id: first!.id, exit_reason: 'target', exit_price: 2080, live_via: 'oco_target' });
		expect(check1.events[0].message).toMatch(/^🎯 TARGET ETH\/USDT · 🔴 LIVE\n.* · the OCO target filled on the exchange\n/);
		const sellsBefore = fake.placedOrders().filter((o) => o.side === 'SELL').length;
		expect(sellsBefore).toBe(0); // the exchange's OCO did it: no market sell

		clock.ms = T0 + 49 * HOUR; // past the 48 h time stop
		const check2 = (await (await app.request('/v1/positions/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prices: { 'ETH/USDT': 2090 } }) })).json()) as Record<string, any>;
		expect(check2.closed).toHaveLength(1);
		expect(check2.closed[0]).toMatchObject({ position_id: second!.id, exit_reason: 'time_stop', exit_price: 2090, live_via: 'market' });
		expect(check2.events[0]).toMatchObject({ live_via: 'market', message: expect.stringMatching(/^⏱ TIME STOP ETH\/USDT · 🔴 LIVE\n.* · market sell on the exchange\n/) });
		const sells = fake.placedOrders().filter((o) => o.side === 'SELL');
		expect(sells).toHaveLength(1);
		expect(sells[0]!.clientOrderId).toMatch(/-x$/);
		expect(fake.orders.filter((o) => o.orderListId !== -1 && o.status === 'CANCELED')).toHaveLength(2); // the second OCO's legs
		const live = await trades('LIVE');
		expect(live.map((t) => t.exitReason).sort()).toEqual(['target', 'time_stop']);
		expect(await trades('PAPER')).toEqual([]);
	});

	it('a sell alert closes the LIVE position on the exchange: OCO cancelled, one market sell, a LIVE trade', async () => {
		const app = createApp(deps());
		await deliver(app, ethAlert());
		fake.setPrice('ETHUSDT', 2050);
		const { body } = await deliver(app, ethAlert({ action: 'sell', close: 2050 }));
		expect(body).toMatchObject({ status: 'approved', reason_code: 'exit' });
		expect(body.reason).toMatch(/closed 1 of 1 LIVE position/);
		expect(body.receipt.closed).toEqual([expect.objectContaining({ exit_price: 2050, via: 'market' })]);
		expect(body.receipt.execution.message).toMatch(/LIVE SELL .* ETH\/USDT at 2050 \(signal_exit, market\)/);
		expect(fake.placedOrders().filter((o) => o.side === 'SELL')).toHaveLength(1);
		expect(fake.orders.filter((o) => o.orderListId !== -1).map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect((await trades('LIVE')).map((t) => t.exitReason)).toEqual(['signal_exit']);
	});

	it('a close books what the exchange sold: the step-rounded dust left behind is not booked as proceeds, and the message names it', async () => {
		const app = createApp(deps());
		await deliver(app, ethAlert());
		const [pos] = await storage.paperLedger.openPositions();
		const cashBefore = await storage.paperLedger.cashBalance();
		fake.setPrice('ETHUSDT', 2050);
		const { body } = await deliver(app, ethAlert({ action: 'sell', close: 2050 }));
		expect(body).toMatchObject({ status: 'approved', reason_code: 'exit' });
		const [sell] = fake.placedOrders().filter((o) => o.side === 'SELL');
		// The position holds the buy net of its base-asset commission: not a multiple of the lot step.
		const dust = pos!.quantity - sell!.executedQty;
		expect(dust).toBeGreaterThan(0);
		const [trade] = await trades('LIVE');
		expect(trade!.quantity).toBeCloseTo(sell!.executedQty, 12);
		const sellFee = sell!.cummulativeQuoteQty * 0.001;
		expect((await storage.paperLedger.cashBalance()) - cashBefore).toBeCloseTo(sell!.cummulativeQuoteQty - sellFee, 6);
		// The dust's cost is part of the loss: P&L = proceeds − cost of the whole position − fees.
		expect(trade!.pnl).toBeCloseTo(sell!.cummulativeQuoteQty - pos!.entryPrice * pos!.quantity - pos!.fees - sellFee, 6);
		expect(body.receipt.execution.message).toMatch(/left on the exchange/);
	});

	it('reconciles at start: a row whose order reached the exchange is settled to one position, one the exchange never saw is rejected; no order sent', async () => {
		const app = createApp(deps());
		fake.holdOrders(1);
		const pending = deliver(app, ethAlert());
		await waitFor(() => fake.held() === 1, { what: 'the exchange holding the order' });
		// "Restart": a new service instance on the same database (the first one is stuck waiting, as if dead).
		const restarted = deps();
		const p = pipelineFor(restarted);
		const appAfter = createApp(restarted);
		// Simulate the crash: the row is `sent`, the exchange has the order, the answer never stored.
		const [row] = await liveOrders(storage.db).unsettled();
		expect(row).toMatchObject({ state: 'sent' });
		// A second row that never left (pending), as a crash right after the commit leaves it.
		const other = (await deliver(appAfter, ethAlert({ ticker: 'BINANCE:BTCUSDT', close: 64_000, stop: 62_000, target: 68_000, vwap: 68_000 }))).body; // no BTC backtest: refused, a decision to hang the row on
		await storage.prepared.withConnection((c) =>
			insertLiveOrder(c, { decisionId: other.decision_id, clientOrderId: 'hfq-never-sent-1', exchange: 'binance', strategy: 'vwap_mean_reversion', symbol: 'BTC/USDT', side: 'buy', quantity: 0.01, referencePrice: 64_000, stopPrice: null, targetPrice: null, timeStopMs: null, reason: 'test', createdAt: clock.ms }),
		);
		const ordersBefore = fake.placedOrders().length;
		// A row the exchange has not seen is judged only once it is a minute old (another process may be sending it).
		expect(await reconcileLiveOutbox(p)).toMatchObject({ looked_up: 2, filled: 1, never_sent: 0, still_open: 1 });
		clock.ms += 61_000;
		const summary = await reconcileLiveOutbox(p);
		expect(summary).toMatchObject({ looked_up: 1, filled: 0, never_sent: 1, errors: [] });
		expect(await liveOrders(storage.db).byClientOrderId('hfq-never-sent-1')).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/never received/) });
		expect(fake.placedOrders().length).toBe(ordersBefore);
		fake.release();
		await pending.catch(() => undefined);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
		expect(fake.placedOrders()).toHaveLength(1);
		const settled = await liveOrders(storage.db).byId(row!.id);
		expect(settled).toMatchObject({ state: 'filled', protection: 'oco' });
		const decision = await storage.decisions.getById(row!.decisionId);
		expect(JSON.parse(decision!.receiptJson).execution).toMatchObject({ state: 'filled' });
	});
});
