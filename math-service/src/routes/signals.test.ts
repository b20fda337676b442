import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import type { PipelineDepsExtension } from '../pipeline/createPipeline';
import { openStorage, type Storage } from '../storage/openStorage';

const SECRET = 'unit-secret-abcdefghijklmnop';
const T0 = Date.UTC(2026, 2, 1, 9, 30);
let storage: Storage;
let clock: { ms: number; now(): number };

function makeApp(ext: PipelineDepsExtension = {}, env: Record<string, string> = {}) {
	return createApp({
		config: loadConfig(env),
		storage,
		clock,
		logError: () => {},
		pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null, ...ext.pipeline },
		...(ext.liveExchange ? { liveExchange: ext.liveExchange } : {}),
	} as AppDeps);
}

const alert = (o: Record<string, unknown> = {}) => ({
	secret: SECRET,
	alert_id: 'BINANCE:ETHUSDT-60-1772357400000-long',
	action: 'buy',
	ticker: 'BINANCE:ETHUSDT.P',
	interval: '60',
	time: T0 - 1_000,
	close: 2000,
	vwap: 2080,
	stop: 1960,
	target: 2080,
	...o,
});

const send = (app: ReturnType<typeof makeApp>, path: string, body: unknown, contentType = 'application/json') =>
	app.request(path, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeEach(async () => {
	storage = await openStorage('sqlite::memory:');
	clock = { ms: T0, now() { return this.ms; } };
});
afterEach(async () => {
	await storage.close();
});

describe('POST /v1/signals/validate then POST /v1/decisions (the n8n Signal Intake → Risk Sizer path)', () => {
	it('validate stores the normalised signal without deciding; decide approves once; repeats are duplicates', async () => {
		const app = makeApp();
		const v = await send(app, '/v1/signals/validate', JSON.stringify(alert()), 'text/plain');
		expect(v.status).toBe(200);
		const body = (await v.json()) as Record<string, any>;
		expect(body).toMatchObject({ status: 'accepted', reason_code: null, decision_id: null, duplicate: false, alert_id: 'BINANCE:ETHUSDT-60-1772357400000-long' });
		expect(body.signal).toMatchObject({ symbol: 'ETH/USDT', asset: 'ETH', tier: 1, contract: 'perpetual', intent: 'open', close: 2000, stop: 1960, target: 2080, reward_risk: 2 });
		expect(body.signal.notes.join(' ')).toMatch(/perpetual/);
		expect(body.gates.map((g: { name: string }) => g.name)).toEqual(['symbol', 'whitelist', 'staleness']);
		expect(await storage.decisions.listRecent({ limit: 10 })).toEqual([]);

		const d1 = await send(app, '/v1/decisions', { alert_id: body.alert_id, thresholds: { kelly_fraction: 0.5 } });
		expect(d1.status).toBe(200);
		const first = (await d1.json()) as Record<string, any>;
		expect(first).toMatchObject({ status: 'approved', duplicate: false, signal_id: body.signal_id });
		expect(first.receipt.kelly.fraction).toBe(0.5);
		// Prior p 0.5, b 1.5: f* = 1/6; half Kelly = 1/12 ≈ 8.33 % < 10 % cap.
		expect(first.receipt.size.position_pct).toBeCloseTo(100 / 12, 9);
		expect(first.gates.map((g: { name: string }) => g.name).slice(0, 2)).toEqual(['sizing', 'dailyDrawdownHalt']);

		const d2 = (await (await send(app, '/v1/decisions', { signal_id: body.signal_id })).json()) as Record<string, any>;
		expect(d2).toMatchObject({ decision_id: first.decision_id, duplicate: true });
		const v2 = (await (await send(app, '/v1/signals/validate', alert())).json()) as Record<string, any>;
		expect(v2).toMatchObject({ status: 'accepted', duplicate: true, decision_id: first.decision_id });
		expect((await storage.paperLedger.openPositions()).length).toBe(1);

		const got = (await (await app.request(`/v1/decisions/${first.decision_id}`)).json()) as Record<string, any>;
		expect(got.receipt).toEqual(first.receipt);
		const list = (await (await app.request('/v1/decisions?limit=5')).json()) as { decisions: { decision_id: number }[] };
		expect(list.decisions.map((x) => x.decision_id)).toEqual([first.decision_id]);
	});

	it('validate stores a business rejection as a decision so every alert has an answer', async () => {
		const body = (await (await send(makeApp(), '/v1/signals/validate', alert({ ticker: 'PEPEUSDT' }))).json()) as Record<string, any>;
		expect(body).toMatchObject({ status: 'rejected', reason_code: 'not_whitelisted' });
		expect(body.decision).toMatchObject({ status: 'rejected', decision_id: body.decision_id });
		expect((await storage.decisions.getById(body.decision_id))?.reasonCode).toBe('not_whitelisted');
	});

	it('POST /v1/decisions answers 404 for an unknown signal and 422 without alert_id or signal_id', async () => {
		const app = makeApp();
		expect((await send(app, '/v1/decisions', { alert_id: 'nope' })).status).toBe(404);
		const r = await send(app, '/v1/decisions', {});
		expect(r.status).toBe(422);
		expect(((await r.json()) as { detail: { loc: unknown[] }[] }).detail[0]!.loc).toEqual(['body', 'alert_id']);
		expect((await app.request('/v1/decisions/999')).status).toBe(404);
	});
});

describe('POST /v1/signals/tradingview input handling', () => {
	it('refuses bodies that are not alerts with 400/413/415/422 and a reason code, storing nothing', async () => {
		const app = makeApp();
		const cases: [unknown, string, number, string][] = [
			[`{"secret":"${SECRET}","action":buy}`, 'application/json', 400, 'malformed_json'],
			[`{"order":[1,2],"secret":"${SECRET}"} trailing`, 'text/plain', 400, 'malformed_json'],
			[alert(), 'application/xml', 415, 'unsupported_content_type'],
			[`{"secret":"${SECRET}","action":"buy","ticker":"BTCUSDT","time":1,"close":{{close}}}`, 'text/plain', 422, 'unexpanded_placeholder'],
			[alert({ close: -1 }), 'application/json', 422, 'invalid_field'],
			[alert({ ticker: 'A'.repeat(20_000) }), 'text/plain', 413, 'body_too_large'],
		];
		for (const [body, type, status, code] of cases) {
			const res = await send(app, '/v1/signals/tradingview', body as string, type);
			expect(res.status, code).toBe(status);
			expect(((await res.json()) as { reason_code: string }).reason_code).toBe(code);
		}
		expect(await storage.signals.listRecent({ limit: 10 })).toEqual([]);
	});

	it('answers 401 before any parse detail when the body carries no valid secret', async () => {
		const app = makeApp();
		for (const [body, type] of [['{"secret":', 'application/json'], ['', 'text/plain'], ['[1,2]', 'application/json'], [alert({ secret: 'x', close: -1 }), 'application/xml']] as const) {
			const res = await send(app, '/v1/signals/tradingview', body as string, type);
			expect(res.status, JSON.stringify(body)).toBe(401);
			expect(await res.json()).toEqual({ detail: 'Unauthorized: missing or wrong secret' });
		}
	});

	it('checks the secret before the thresholds: 401 for a stranger, 422 naming the field for the owner', async () => {
		const app = makeApp();
		const bad = { ...alert({ secret: 'x' }), thresholds: { kelly_fraction: 7 } };
		expect((await send(app, '/v1/signals/tradingview', bad)).status).toBe(401);
		const res = await send(app, '/v1/signals/tradingview?max_heat_ratio=abc', alert());
		expect(res.status).toBe(422);
		expect(((await res.json()) as { detail: { loc: unknown[] }[] }).detail[0]!.loc).toEqual(['query', 'max_heat_ratio']);
		const body = await send(app, '/v1/signals/tradingview', { ...alert(), thresholds: { whitelist: { tier4: ['X'] } } });
		expect(body.status).toBe(422);
	});

	it('applies the whitelist tiers from the query (n8n canvas parameters)', async () => {
		const res = await send(makeApp(), '/v1/signals/tradingview?tier1=BTC&tier2=&tier3=', alert());
		expect(((await res.json()) as { reason_code: string }).reason_code).toBe('not_whitelisted');
	});

	it('enforces the source-IP allowlist when configured (no peer address → 401)', async () => {
		const res = await send(makeApp({ pipeline: { ipAllowlist: 'tradingview' } }), '/v1/signals/tradingview', alert());
		expect(res.status).toBe(401);
		expect(await storage.signals.listRecent({ limit: 1 })).toEqual([]);
	});

	it('answers 500 "operator action required" when TRADINGVIEW_WEBHOOK_SECRET is unset, never accepting the alert', async () => {
		const res = await send(makeApp({ pipeline: { webhookSecret: '' } }), '/v1/signals/tradingview', alert({ secret: '' }));
		expect(res.status).toBe(500);
		expect(((await res.json()) as { detail: string }).detail).toMatch(/TRADINGVIEW_WEBHOOK_SECRET/);
		expect(await storage.signals.listRecent({ limit: 1 })).toEqual([]);
	});

	it('a sell alert closes the open paper position at the alert close and logs the trade', async () => {
		const app = makeApp();
		await send(app, '/v1/signals/tradingview', alert());
		clock.ms += 3_600_000;
		const res = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'eth-exit-1', action: 'sell', close: 2050, time: clock.ms, stop: null, target: null }))).json()) as Record<string, any>;
		expect(res).toMatchObject({ status: 'approved', reason_code: 'exit' });
		expect(res.receipt.closed).toHaveLength(1);
		const trades = (await (await app.request('/v1/trades?symbol=ETH/USDT')).json()) as { trades: { exit_reason: string; pnl: number }[] };
		expect(trades.trades[0]!.exit_reason).toBe('signal_exit');
		expect(trades.trades[0]!.pnl).toBeCloseTo(res.receipt.closed[0].pnl, 9);
		const again = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'eth-exit-2', action: 'exit', close: 2050, time: clock.ms }))).json()) as Record<string, any>;
		expect(again).toMatchObject({ status: 'rejected', reason_code: 'no_open_position' });
	});

	it('needs no API key on /tradingview (the body secret authenticates) but does on /validate', async () => {
		const app = makeApp({}, { MATH_SERVICE_API_KEY: 'service-key-0123456789abcdef' });
		expect((await send(app, '/v1/signals/tradingview', alert())).status).toBe(200);
		expect((await send(app, '/v1/signals/validate', alert({ alert_id: 'other' }))).status).toBe(401);
		const withKey = await app.request('/v1/signals/validate', { method: 'POST', headers: { 'content-type': 'application/json', 'X-API-Key': 'service-key-0123456789abcdef' }, body: JSON.stringify(alert({ alert_id: 'other' })) });
		expect(withKey.status).toBe(200);
	});

	it('rejects a buy with panic_switch while the asset\'s stored panic score is above the limit; a sell still closes', async () => {
		const app = makeApp();
		const snapshot = (currency: string, panicScore: number | null, computedAt: number) =>
			storage.news.recordSnapshot({ currency, computedAt, sentimentScore: 40, panicScore, postCount: 3, bullishVotes: 1, bearishVotes: 5, source: 'cryptopanic' });
		const calm = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'calm' }))).json()) as Record<string, any>;
		expect(calm.status).toBe('approved');
		expect(calm.receipt.panic).toMatchObject({ score: null, basis: null });
		expect(calm.gates.find((g: { name: string }) => g.name === 'panicSwitch').detail).toMatch(/unknown.*no news panic score for ETH/);

		await snapshot('ETH', 85, T0 - 60_000);
		await snapshot('ETH', 10, T0 + 60_000); // computed after the decision: not known yet (point in time)
		const buy = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'panicked' }))).json()) as Record<string, any>;
		expect(buy).toMatchObject({ status: 'rejected', reason_code: 'panic_switch' });
		expect(buy.receipt.panic).toMatchObject({ score: 85, basis: 'asset', currency: 'ETH' });
		expect(buy.gates.find((g: { name: string }) => g.name === 'panicSwitch')).toMatchObject({ passed: false, value: 85, limit: 70 });
		const looser = (await (await send(app, '/v1/signals/tradingview', { ...alert({ alert_id: 'looser' }), thresholds: { max_panic_score: 90 } })).json()) as Record<string, any>;
		expect(looser.status).toBe('approved');

		const sell = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'sell', action: 'sell', close: 2010 }))).json()) as Record<string, any>;
		expect(sell).toMatchObject({ status: 'approved', reason_code: 'exit' });
		expect(sell.receipt.closed).toHaveLength(2);
	});

	it('lets the market-wide panic score stand in for an asset without one, and ignores a stale one', async () => {
		const app = makeApp();
		await storage.news.recordSnapshot({ currency: '*', computedAt: T0 - 3_600_000, sentimentScore: 30, panicScore: 75, postCount: 9, bullishVotes: 1, bearishVotes: 9, source: 'cryptopanic' });
		const buy = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'market' }))).json()) as Record<string, any>;
		expect(buy).toMatchObject({ status: 'rejected', reason_code: 'panic_switch' });
		expect(buy.receipt.panic).toMatchObject({ score: 75, basis: 'market', currency: '*' });
		const stale = (await (await send(app, '/v1/signals/tradingview', { ...alert({ alert_id: 'stale' }), thresholds: { panic_max_age_hours: 0.5 } })).json()) as Record<string, any>;
		expect(stale.status).toBe('approved');
		const strict = (await (await send(app, '/v1/signals/tradingview', { ...alert({ alert_id: 'strict' }), thresholds: { panic_max_age_hours: 0.5, on_missing_panic: 'reject' } })).json()) as Record<string, any>;
		expect(strict).toMatchObject({ status: 'rejected', reason_code: 'panic_unavailable' });
	});

	it('sizes within the VaR budget from stored daily candles, and says "no data" without them', async () => {
		const app = makeApp();
		const none = (await (await send(app, '/v1/signals/tradingview', alert({ alert_id: 'var-0', ticker: 'SOLUSDT' }))).json()) as Record<string, any>;
		expect(none.gates.find((g: { name: string }) => g.name === 'varBudget').detail).toMatch(/no data: 0 1d return/);
		// 61 daily closes alternating ±30 %: historical 95 % VaR of the returns is 30 % (a point mass at −30 % in the tail).
		const day = 86_400_000;
		const closes = Array.from({ length: 61 }, (_, i) => 2000 * (i % 2 === 0 ? 1 : 1.3));
		const rows = closes.map((close, i) => ({ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1d', openTime: T0 - (61 - i) * day, open: close, high: close, low: close, close, volume: 1 }));
		await storage.candles.upsertMany(rows);
		// Full Kelly (f* = 1/6) asks for the 10 % cap; the VaR budget allows 1 % / 23.1 % = 4.33 %.
		const body = (await (await send(app, '/v1/signals/tradingview', { ...alert({ alert_id: 'var-1' }), thresholds: { kelly_fraction: 1 } })).json()) as Record<string, any>;
		const returns = closes.slice(1).map((c, i) => c / closes[i]! - 1);
		const varRatio = 1 - 1 / 1.3;
		expect(body.receipt.var).toMatchObject({ n_returns: returns.length, timeframe: '1d', confidence: 0.95 });
		expect(body.receipt.var.var_ratio).toBeCloseTo(varRatio, 9);
		const gate = body.gates.find((g: { name: string }) => g.name === 'varBudget');
		expect(gate).toMatchObject({ passed: true, action: 'resize', limit: 0.01 });
		expect(gate.value).toBeCloseTo(0.01, 9);
		expect(body.receipt.size.position_ratio).toBeCloseTo(0.01 / varRatio, 4);
		expect(body.receipt.size.resized).toBe(true);
	});
});
