// The operator's closes in LIVE, inside the service (createApp over SQLite and MariaDB) against the
// real ccxt client and the loopback Binance spot account fake: `/halt flatten` and `/close` sell each
// open LIVE position on the exchange (OCO cancelled, one market sell with the close's client order
// id), or book the OCO leg the exchange already filled, and say per position what happened. A close
// whose answer is lost is reported as not closed with the reason, and the next flatten finds that
// sell by its client order id: one sell order, never two. A process that is not armed for LIVE
// leaves a LIVE position open (listed with the reason) instead of booking a close the exchange
// never saw.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import { evaluateKpiGates, type KpiInput } from '../../math-service/src/core/gates/kpiGates';
import { gatesJson } from '../../math-service/src/report/backtestJson';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../../math-service/src/storage/testDatabases';
import { startFakeBinanceAccount, type FakeBinanceAccount } from '../fakes/fakeBinanceAccount';
import { waitFor } from '../fakes/fakeServer';

const SECRET = 'live-flatten-secret-0123456789';
const OPERATOR = '123456789';
const T0 = Date.UTC(2026, 2, 2, 10, 0);
const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
const LEVELS: Record<string, { close: number; stop: number; target: number }> = {
	ETH: { close: 2000, stop: 1960, target: 2080 },
	BTC: { close: 64_000, stop: 62_720, target: 66_560 },
	SOL: { close: 100, stop: 98, target: 104 },
};

let fake: FakeBinanceAccount;
let storage: Storage;
let mysql: TestDatabase | null = null;
let clock = { ms: T0, now() { return this.ms; } };
let alertNo = 0;

function deps(mode: 'LIVE' | 'PAPER' = 'LIVE'): AppDeps {
	const env: Record<string, string> =
		mode === 'LIVE' ? { HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: fake.apiKey, EXCHANGE_API_SECRET: fake.apiSecret, HFQ_LIVE_BASE_URL: fake.origin } : {};
	return {
		config: loadConfig(env),
		storage,
		clock,
		logError: () => {},
		pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null, operatorChatIds: [OPERATOR] },
	} as AppDeps;
}

async function send(app: ReturnType<typeof createApp>, path: string, body: unknown) {
	const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function buy(app: ReturnType<typeof createApp>, asset: keyof typeof LEVELS) {
	const l = LEVELS[asset]!;
	const { body } = await send(app, '/v1/signals/tradingview', {
		secret: SECRET, alert_id: `BINANCE:${asset}USDT-60-flatten-${++alertNo}`, action: 'buy', ticker: `BINANCE:${asset}USDT`, interval: '60', time: clock.ms - 1_000, close: l.close, vwap: l.target, stop: l.stop, target: l.target,
	});
	expect(body, JSON.stringify(body)).toMatchObject({ status: 'approved', mode: 'LIVE' });
	expect(body.receipt.execution).toMatchObject({ state: 'filled', protection: 'oco' });
	return body.receipt.execution as { position_id: number; client_order_id: string };
}

const sells = () => fake.placedOrders().filter((o) => o.side === 'SELL');
const liveTrades = async () => (await storage.tradeLog.closedBetween(0, Number.MAX_SAFE_INTEGER)).filter((t) => t.mode === 'LIVE');

beforeAll(async () => {
	fake = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000, SOLUSDT: 100 }, symbols: ['ETHUSDT', 'BTCUSDT', 'SOLUSDT'] });
});
afterAll(async () => fake?.close());

describe.each(['sqlite', 'mysql'] as const)('operator closes in LIVE on %s', (dialect) => {
	beforeEach(async () => {
		clock = { ms: T0, now() { return this.ms; } };
		if (dialect === 'mysql') {
			mysql = await createMysqlTestDatabase('hfq_live_flatten');
			storage = await openStorage(mysql.url, { mysqlConnectionLimit: 10 });
		} else storage = await openStorage('sqlite::memory:');
		fake.reset();
		fake.setBalance('USDT', 10_000);
		for (const a of ['ETH', 'BTC', 'SOL']) fake.setBalance(a, 0);
		for (const [a, l] of Object.entries(LEVELS)) fake.setPrice(`${a}USDT`, l.close);
		const seed1 = gatesJson(evaluateKpiGates(PASSING, 'seed1'));
		for (const a of Object.keys(LEVELS)) {
			await storage.backtestRuns.insert({
				strategy: 'vwap_mean_reversion', exchange: 'binance', symbol: `${a}/USDT`, timeframe: '1h', fromTime: T0 - 3 * 365 * 86_400_000, toTime: T0,
				params: {}, metrics: {}, gates: { seed1, seed2: seed1 }, gatesProfile: 'seed1', gatesPassed: true, createdAt: T0 - 60_000,
			});
		}
	});
	afterEach(async () => {
		await storage.close();
		await mysql?.drop();
		mysql = null;
	});

	it('/halt flatten sells every open LIVE position at market (OCO cancelled first), books an OCO leg that already filled, and reports each', async () => {
		const app = createApp(deps());
		const eth = await buy(app, 'ETH');
		const btc = await buy(app, 'BTC');
		const sol = await buy(app, 'SOL');
		fake.setPrice('SOLUSDT', 97); // SOL's stop leg fills on the exchange before the operator acts
		fake.setPrice('ETHUSDT', 2010);
		fake.setPrice('BTCUSDT', 63_500);
		clock.ms += 60_000;

		const { status, body } = await send(app, '/v1/operator/command', { chat_id: OPERATOR, text: '/halt flatten', user: '@desk' });
		expect(status).toBe(200);
		const flatten = body.outcome.flatten;
		expect(flatten.closed).toEqual([]); // no paper position
		expect(flatten.skipped).toEqual([]);
		expect(flatten.live.failed).toEqual([]);
		const byId = new Map<number, Record<string, any>>(flatten.live.closed.map((c: Record<string, any>) => [c.position_id, c]));
		expect(byId.get(eth.position_id)).toMatchObject({ symbol: 'ETH/USDT', via: 'market', exit_price: 2010, exit_reason: 'operator_flatten' });
		expect(byId.get(btc.position_id)).toMatchObject({ symbol: 'BTC/USDT', via: 'market', exit_price: 63_500, exit_reason: 'operator_flatten' });
		expect(byId.get(sol.position_id)).toMatchObject({ symbol: 'SOL/USDT', via: 'oco_stop', exit_reason: 'stop' });
		expect(byId.size).toBe(3);

		// At the exchange: one market sell per position the OCO had not closed, with the close's client order id.
		expect(sells().map((o) => [o.symbol, o.type, o.clientOrderId])).toEqual([
			['ETHUSDT', 'MARKET', `${eth.client_order_id}-x`],
			['BTCUSDT', 'MARKET', `${btc.client_order_id}-x`],
		]);
		expect(fake.orders.filter((o) => o.orderListId !== -1 && o.symbol !== 'SOLUSDT').every((o) => o.status === 'CANCELED')).toBe(true);
		// The whole position left the account but the dust below the lot step (0.0001 ETH).
		expect(fake.balance('ETH').free).toBeLessThan(0.0001);
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		const trades = await liveTrades();
		expect(trades.map((t) => t.exitReason).sort()).toEqual(['operator_flatten', 'operator_flatten', 'stop']);
		// The reply says what happened to each position.
		expect(body.reply).toMatch(new RegExp(`Closed #${eth.position_id} ETH/USDT .* @ 2010: .*LIVE market sell`));
		expect(body.reply).toMatch(new RegExp(`Closed #${sol.position_id} SOL/USDT .*stop filled on the exchange`));
		const events = await storage.desk.events({ action: 'close' });
		expect(events.map((e) => JSON.parse(e.detailJson).position_id).sort()).toEqual([eth.position_id, btc.position_id, sol.position_id].sort());

		// A second flatten (Telegram redelivers, the operator insists) finds nothing open and sends nothing.
		const again = await send(app, '/v1/desk/halt', { flatten: true });
		expect(again.body.flatten.live).toEqual({ closed: [], failed: [] });
		expect(sells()).toHaveLength(2);
	});

	it('a close whose answer is lost is reported not closed with the reason; the next flatten finds that sell by its client order id: one sell, never two', async () => {
		const app = createApp(deps());
		const eth = await buy(app, 'ETH');
		clock.ms += 60_000;
		fake.holdOrders(1);
		const first = send(app, '/v1/desk/close', { symbol: 'ETH', by: 'risk-desk' });
		await waitFor(() => fake.held() === 1, { timeoutMs: 20_000, what: 'the exchange holding the close' });
		fake.release(); // the sell is applied on the exchange; its answer never arrives
		const lost = await first;
		expect(lost.status).toBe(200);
		expect(lost.body.live.closed).toEqual([]);
		expect(lost.body.live.failed).toEqual([{ position_id: eth.position_id, symbol: 'ETH/USDT', reason: expect.stringMatching(/not closed/) }]);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
		expect(sells()).toHaveLength(1);

		const retry = await send(app, '/v1/desk/halt', { flatten: true, by: 'risk-desk' });
		expect(retry.body.flatten.live.failed).toEqual([]);
		expect(retry.body.flatten.live.closed).toEqual([expect.objectContaining({ position_id: eth.position_id, via: 'market', exit_price: 2000 })]);
		expect(sells()).toHaveLength(1);
		expect(await storage.paperLedger.openPositions()).toEqual([]);
		expect(await liveTrades()).toHaveLength(1);
	});

	it('a process not armed for LIVE leaves a LIVE position open, lists it with the reason, and sends nothing', async () => {
		const live = createApp(deps('LIVE'));
		const eth = await buy(live, 'ETH');
		const paper = createApp(deps('PAPER'));
		const out = await send(paper, '/v1/desk/halt', { flatten: true });
		expect(out.body.flatten.closed).toEqual([]);
		expect(out.body.flatten.live).toBeNull();
		expect(out.body.flatten.skipped).toEqual([{ position_id: eth.position_id, symbol: 'ETH/USDT', reason: expect.stringMatching(/^LIVE position.*not armed/) }]);
		expect(await storage.paperLedger.openPositions()).toHaveLength(1);
		expect(sells()).toEqual([]);
	});
});
