// The eight alert cases of the pipeline, directly on the service endpoint POST /v1/signals/tradingview:
// status, reason code, and what the database holds after each.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alert, counts, post, SECRET, startService, T0, type ServiceHarness } from './serviceHarness';

const TV = '/v1/signals/tradingview';
let h: ServiceHarness;

beforeEach(async () => {
	h = await startService({ db: 'sqlite-file' });
});
afterEach(async () => {
	await h.close();
});

async function send(body: unknown, contentType = 'application/json') {
	const res = await post(h.app, TV, body, contentType);
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('POST /v1/signals/tradingview: the eight alert cases', () => {
	it('valid: approves, sizes by quarter Kelly from the prior, opens one paper position with a 0.1 % fee', async () => {
		const { status, body } = await send(alert());
		expect(status).toBe(200);
		expect(body).toMatchObject({ status: 'approved', reason_code: 'approved', duplicate: false, mode: 'PAPER' });
		const r = body.receipt;
		// prior p 0.5, b 1.5: f* = 0.5 − 0.5/1.5 = 1/6; quarter Kelly = 1/24 of equity 10,000 at entry 100.
		expect(r.kelly).toMatchObject({ source: 'prior', n: 0, win_rate: 0.5 });
		expect(r.kelly.fractional_kelly).toBeCloseTo(1 / 24, 12);
		expect(r.size.position_pct).toBeCloseTo(100 / 24, 9);
		expect(r.size.quantity).toBeCloseTo(10_000 / 24 / 100, 9);
		expect(r.reward_risk).toBeCloseTo(2, 12);
		expect(r.llm.status).toBe('unavailable');
		expect(body.gates.map((g: { name: string }) => g.name)).toEqual([
			'symbol', 'whitelist', 'staleness', 'sizing', 'dailyDrawdownHalt', 'operatorHalt', 'panicSwitch', 'minRewardRisk', 'maxPositionPerAsset', 'portfolioHeat', 'cashAvailable', 'varBudget', 'timeStop',
		]);
		expect(body.gates.every((g: { passed: boolean }) => g.passed)).toBe(true);
		expect(body.gates.find((g: { name: string }) => g.name === 'varBudget').detail).toMatch(/unknown|no data/i);

		expect(await counts(h.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1, orders: 1 });
		const [pos] = await h.storage.paperLedger.openPositions();
		expect(pos).toMatchObject({ symbol: 'BTC/USDT', entryPrice: 100, stopPrice: 97, targetPrice: 106, decisionId: body.decision_id });
		expect(pos!.fees).toBeCloseTo(100 * pos!.quantity * 0.001, 12);
		expect(await h.storage.paperLedger.cashBalance()).toBeCloseTo(10_000 - 100 * pos!.quantity * 1.001, 9);
		expect(r.execution).toMatchObject({ broker: 'paper', position_id: pos!.id });
		// The secret is never stored.
		const signal = await h.storage.signals.getById(body.signal_id);
		expect(signal!.payloadJson).not.toContain(SECRET);
	});

	it('duplicate: a repeat returns the first decision with duplicate: true and opens nothing', async () => {
		const a = alert();
		const first = await send(a);
		h.clock.ms += 5_000; // TradingView's retry 5 s later
		const again = await send(a);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ status: 'approved', decision_id: first.body.decision_id, duplicate: true });
		expect(again.body.receipt).toEqual(first.body.receipt);
		expect(await counts(h.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1 });
	});

	it('wrong secret: 401 {detail}, nothing stored', async () => {
		for (const secret of ['wrong', '', SECRET + ' ', undefined]) {
			const { status, body } = await send(alert({ secret }));
			expect(status).toBe(401);
			expect(Object.keys(body)).toEqual(['detail']);
			expect(body.detail).not.toContain(SECRET);
		}
		expect(await counts(h.storage)).toMatchObject({ signals: 0, decisions: 0, positions: 0 });
	});

	it('not whitelisted: 200 rejected not_whitelisted, stored as a decision, no position; BASE and MATIC answered honestly', async () => {
		const doge = await send(alert({ ticker: 'BINANCE:DOGEUSDT' }));
		expect(doge.status).toBe(200);
		expect(doge.body).toMatchObject({ status: 'rejected', reason_code: 'not_whitelisted', duplicate: false });
		expect(doge.body.gates.find((g: { name: string }) => g.name === 'whitelist').passed).toBe(false);
		const base = await send(alert({ ticker: 'BASEUSDT' }));
		expect(base.body).toMatchObject({ status: 'rejected', reason_code: 'no_tradable_token' });
		const matic = await send(alert({ ticker: 'MATICUSDT' }));
		expect(matic.body).toMatchObject({ status: 'approved' });
		expect(matic.body.receipt.symbol).toBe('POL/USDT');
		expect(matic.body.receipt.notes.join(' ')).toMatch(/POL/);
		const stored = await h.storage.decisions.getById(doge.body.decision_id);
		expect(stored).toMatchObject({ status: 'rejected', reasonCode: 'not_whitelisted', symbol: 'DOGE/USDT' });
		expect(await counts(h.storage)).toMatchObject({ signals: 3, decisions: 3, positions: 1 });
	});

	it('stale: 200 rejected stale with the lag and the limit on the gate, no position; max_lag_seconds is a parameter', async () => {
		const old = await send(alert({ time: T0 - 120_000 }));
		expect(old.body).toMatchObject({ status: 'rejected', reason_code: 'stale' });
		const gate = old.body.gates.find((g: { name: string }) => g.name === 'staleness');
		expect(gate).toMatchObject({ passed: false, value: 120, limit: 60 });
		const tolerated = await post(h.app, `${TV}?max_lag_seconds=300`, alert({ time: T0 - 120_000 }));
		expect(((await tolerated.json()) as { status: string }).status).toBe('approved');
		expect(await counts(h.storage)).toMatchObject({ decisions: 2, positions: 1 });
	});

	it('R/R too low: 200 rejected reward_risk_below_min with value and limit, no position; min_reward_risk is a parameter', async () => {
		const low = await send(alert({ target: 104 })); // (104 − 100)/(100 − 97) = 1.33
		expect(low.body).toMatchObject({ status: 'rejected', reason_code: 'reward_risk_below_min' });
		const gate = low.body.gates.find((g: { name: string }) => g.name === 'minRewardRisk');
		expect(gate.value).toBeCloseTo(4 / 3, 12);
		expect(gate.limit).toBe(1.5);
		expect(low.body.receipt.size.quantity).toBe(0);
		const looser = await send({ ...alert({ target: 104 }), thresholds: { min_reward_risk: 1.2 } });
		expect(looser.body.status).toBe('approved');
		expect(await counts(h.storage)).toMatchObject({ decisions: 2, positions: 1 });
	});

	it('after a −5 % day: rejected daily_drawdown_halt, a 24 h halt is stored, the next alert is rejected halted, entries resume after 24 h', async () => {
		await send(alert()); // opens the account: day-start equity 10,000
		await h.storage.paperLedger.recordCash({ amount: -520, reason: 'adjustment', ref: 'test-loss', createdAt: T0 });
		h.clock.ms += 60_000;
		const hit = await send(alert({}, h.clock.ms));
		expect(hit.body).toMatchObject({ status: 'rejected', reason_code: 'daily_drawdown_halt' });
		const gate = hit.body.gates.find((g: { name: string }) => g.name === 'dailyDrawdownHalt');
		expect(gate.value).toBeCloseTo(-0.052, 3);
		expect(gate.limit).toBe(-0.05);
		const halt = await h.storage.riskState.get('halt_until');
		expect(Number(halt!.value)).toBe(h.clock.ms + 24 * 3_600_000);
		h.clock.ms += 3_600_000;
		const halted = await send(alert({ ticker: 'ETHUSDT' }, h.clock.ms));
		expect(halted.body).toMatchObject({ status: 'rejected', reason_code: 'halted' });
		expect(await counts(h.storage)).toMatchObject({ decisions: 3, positions: 1 });
		h.clock.ms += 24 * 3_600_000; // the next UTC day, the halt is over
		const resumed = await send(alert({ ticker: 'ETHUSDT' }, h.clock.ms));
		expect(resumed.body).toMatchObject({ status: 'approved' });
	});

	it('at 30 % heat: three full positions fill the heat, the fourth asset is rejected portfolio_heat', async () => {
		const full = { thresholds: { kelly_fraction: 1 } }; // f* = 1/6 > the 10 % cap: each entry is 10 %
		for (const ticker of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) {
			const r = await send({ ...alert({ ticker }), ...full });
			expect(r.body.status).toBe('approved');
		}
		const fourth = await send({ ...alert({ ticker: 'AVAXUSDT' }), ...full });
		expect(fourth.body).toMatchObject({ status: 'rejected', reason_code: 'portfolio_heat' });
		const heat = fourth.body.gates.find((g: { name: string }) => g.name === 'portfolioHeat');
		expect(heat.limit).toBe(0.3);
		expect(heat.value).toBeGreaterThan(0.3);
		// Full, and never above the limit once the entry fees are paid.
		expect(fourth.body.receipt.account.heat_ratio).toBeGreaterThan(0.2999);
		expect(fourth.body.receipt.account.heat_ratio).toBeLessThanOrEqual(0.3 * (1 + 1e-9));
		expect(await counts(h.storage)).toMatchObject({ decisions: 4, positions: 3 });
	});

	it('a −5 % day reached through the API alone: three full positions stopped out 20 % lower halt the next entry', async () => {
		const full = { thresholds: { kelly_fraction: 1 } };
		for (const ticker of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) expect((await send({ ...alert({ ticker }), ...full })).body.status).toBe('approved');
		h.clock.ms += 60_000;
		const check = (await (await post(h.app, '/v1/positions/check', { prices: { 'BTC/USDT': 80, 'ETH/USDT': 80, 'SOL/USDT': 80 } })).json()) as { closed: { exit_reason: string }[]; halt: unknown };
		expect(check.closed.map((c) => c.exit_reason)).toEqual(['stop', 'stop', 'stop']);
		// the risk monitor itself sees the −5 % day and starts the halt; the next entry is refused by it
		expect(check.halt).toMatchObject({ limit: -0.05 });
		const next = await send(alert({}, h.clock.ms));
		expect(next.body).toMatchObject({ status: 'rejected', reason_code: 'halted' });
		expect(next.body.receipt.account.daily_return_ratio).toBeLessThan(-0.05);
		expect(await counts(h.storage)).toMatchObject({ trades: 3, positions: 3 });
		expect((await h.storage.paperLedger.openPositions()).length).toBe(0);
	});
});
