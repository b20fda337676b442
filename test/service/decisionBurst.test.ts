// Decisions under a burst (pipeline/decisionBatch): alerts that arrive together are decided in ONE
// transaction, in arrival order, with the account updated in memory between them. These tests fire
// bursts at the real pipeline (receiveTradingViewAlert → batch → paper ledger) on SQLite and on a
// throw-away MariaDB database, and check that
// 1. a burst that together would exceed the heat and per-asset limits gets exactly the answers of
//    deciding the same alerts one by one, in the order the burst decided them (status, reason code,
//    size, every gate), and leaves the same book — and that the burst really was batched;
// 2. one decision that fails in the middle of a batch (the database refuses its paper position) is
//    rolled back alone: the others are committed, and the decisions after it see the account as if
//    it had never been attempted.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../math-service/src/appDeps';
import { loadConfig } from '../../math-service/src/config';
import { pipelineFor, type Pipeline } from '../../math-service/src/pipeline/createPipeline';
import { decisionBatchStats } from '../../math-service/src/pipeline/decisionBatch';
import { receiveTradingViewAlert } from '../../math-service/src/pipeline/receiveTradingViewAlert';
import { decisionResponse, type DecisionResponse } from '../../math-service/src/pipeline/receipt';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase } from '../../math-service/src/storage/testDatabases';
import { SECRET, T0 } from './serviceHarness';

type Kind = 'sqlite' | 'mysql';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function openPipeline(kind: Kind): Promise<{ p: Pipeline; storage: Storage }> {
	let url = 'sqlite::memory:';
	if (kind === 'mysql') {
		const db = await createMysqlTestDatabase('hfq_burst');
		cleanups.push(() => db.drop());
		url = db.url;
	}
	const storage = await openStorage(url, { mysqlConnectionLimit: 10 });
	cleanups.push(() => storage.close());
	const clock = { now: () => T0 };
	const deps = { config: loadConfig({ DATABASE_URL: url }), storage, clock, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null } };
	return { p: pipelineFor(deps as unknown as AppDeps), storage };
}

const PRICES: Record<string, number> = { BTC: 100, ETH: 50, SOL: 20, AVAX: 10, NEAR: 5, BNB: 200 };

/**
 * 16 entries over 6 assets at full Kelly (each asks for the 10 % cap): heat 35 % lets three in whole
 * and resizes the fourth; the second alert of an asset meets the per-asset cap; two have an R/R of 1.
 */
function burstAlerts(run: string): string[] {
	const assets = ['BTC', 'ETH', 'BTC', 'SOL', 'ETH', 'AVAX', 'NEAR', 'SOL', 'BNB', 'AVAX', 'BTC', 'NEAR', 'BNB', 'ETH', 'SOL', 'AVAX'];
	return assets.map((asset, i) => {
		const close = PRICES[asset]!;
		const rr = i % 7 === 6 ? 1 : 2;
		return JSON.stringify({
			secret: SECRET,
			alert_id: `burst-${run}-${i}-${asset}`,
			action: 'buy',
			ticker: `BINANCE:${asset}USDT`,
			interval: '60',
			time: T0 - 2_000,
			close,
			stop: close * 0.97,
			target: close * (1 + 0.03 * rr),
			thresholds: { kelly_fraction: 1, max_heat_ratio: 0.35 },
		});
	});
}

/** The answers' JSON text as the route sends it, by decision id. */
const bodies = new Map<number, string>();

async function receive(p: Pipeline, rawBody: string): Promise<DecisionResponse> {
	const r = await receiveTradingViewAlert(p, { rawBody, contentType: 'application/json' });
	if (r.kind !== 'decided') throw new Error(`unexpected ${r.kind}`);
	// The text assembled from the stored receipt is the answer object serialised.
	if (r.body !== undefined) {
		expect(r.body).toBe(JSON.stringify(r.response));
		if (!r.response.duplicate) bodies.set(r.response.decision_id, r.body);
	}
	return r.response;
}

/** What must be the same whether decided in a burst or one by one. */
function answerOf(r: DecisionResponse) {
	const size = r.receipt.size as { quantity: number; resized: boolean } | undefined;
	return {
		alert_id: r.alert_id,
		status: r.status,
		reason_code: r.reason_code,
		quantity: size?.quantity ?? 0,
		resized: size?.resized ?? false,
		gates: r.gates.map((g) => `${g.name}:${g.passed}`).join(' '),
		open_positions: (r.receipt.account as { open_positions: number }).open_positions,
	};
}

async function book(storage: Storage) {
	const positions = await storage.paperLedger.openPositions();
	return { cash: await storage.paperLedger.cashBalance(), positions: positions.map((x) => ({ symbol: x.symbol, quantity: x.quantity })) };
}

function expectSameAnswers(burst: ReturnType<typeof answerOf>[], sequential: ReturnType<typeof answerOf>[]) {
	expect(burst.length).toBe(sequential.length);
	for (let i = 0; i < burst.length; i++) {
		const { quantity: qb, ...b } = burst[i]!;
		const { quantity: qs, ...s } = sequential[i]!;
		expect(b, `decision ${i}`).toEqual(s);
		// Equal up to rounding: the batch keeps cash as a running sum, the database sums the ledger rows.
		expect(qb, `decision ${i} quantity`).toBeCloseTo(qs, 9);
	}
}

describe.each<Kind>(['sqlite', 'mysql'])('a burst of alerts on %s', (kind) => {
	it('gets exactly the approvals deciding them one by one allows (heat, per-asset cap, R/R), in one batch', async () => {
		const burst = await openPipeline(kind);
		const alerts = burstAlerts(`${kind}-a`);
		bodies.clear();
		const answers = await Promise.all(alerts.map((body) => receive(burst.p, body)));
		// The first answers read exactly like the stored decisions (what GET /v1/decisions/:id and repeats return).
		expect(bodies.size).toBe(alerts.length);
		for (const a of answers) {
			const stored = await burst.storage.decisions.getById(a.decision_id);
			expect(bodies.get(a.decision_id), `decision ${a.decision_id}`).toBe(JSON.stringify(decisionResponse(stored!, false)));
		}
		const stats = decisionBatchStats(burst.p);
		// Batched: far fewer transactions than decisions.
		expect(stats.decisions).toBe(alerts.length);
		expect(stats.batches).toBeLessThanOrEqual(2);
		// Decision ids follow the order the batch decided them in; replay that order one at a time.
		const order = answers.map((a, i) => ({ id: a.decision_id, body: alerts[i]! })).sort((a, b) => a.id - b.id);
		const byIdBurst = [...answers].sort((a, b) => a.decision_id - b.decision_id).map(answerOf);

		const oneByOne = await openPipeline(kind);
		const sequential: ReturnType<typeof answerOf>[] = [];
		for (const { body } of order) sequential.push(answerOf(await receive(oneByOne.p, body)));
		expect(decisionBatchStats(oneByOne.p).largest).toBe(1);

		expectSameAnswers(byIdBurst, sequential);
		// The limits bound: some approved whole, one resized, rejections by heat, per-asset cap and R/R.
		const codes = new Set(sequential.map((a) => a.reason_code));
		for (const code of ['approved', 'portfolio_heat', 'max_position_per_asset', 'reward_risk_below_min']) expect(codes, code).toContain(code);
		expect(sequential.some((a) => a.status === 'approved' && a.resized)).toBe(true);

		const [b, s] = [await book(burst.storage), await book(oneByOne.storage)];
		expect(b.positions.map((x) => x.symbol)).toEqual(s.positions.map((x) => x.symbol));
		expect(b.cash).toBeCloseTo(s.cash, 6);
		// Repeats of the burst are answered from the stored decisions.
		const again = await Promise.all(alerts.slice(0, 4).map((body) => receive(burst.p, body)));
		expect(again.every((a) => a.duplicate)).toBe(true);
		expect(again.map((a) => a.decision_id)).toEqual(answers.slice(0, 4).map((a) => a.decision_id));
	}, 120_000);

	it('rolls back only the decision that fails; the others commit and never see it', async () => {
		const { p, storage } = await openPipeline(kind);
		// The database refuses the paper position of strategy "poison" after its decision, order, fill
		// and cash movement were written: a failure in the middle of one decision.
		if (kind === 'sqlite') {
			await sql`create trigger poison_position before insert on paper_positions when new.strategy = 'poison' begin select raise(abort, 'poisoned position'); end`.execute(storage.db);
		} else {
			await sql`create trigger poison_position before insert on paper_positions for each row begin if new.strategy = 'poison' then signal sqlstate '45000' set message_text = 'poisoned position'; end if; end`.execute(storage.db);
		}
		const body = (asset: string, i: number, strategy?: string) =>
			JSON.stringify({
				secret: SECRET,
				alert_id: `fail-${kind}-${i}`,
				action: 'buy',
				ticker: `BINANCE:${asset}USDT`,
				time: T0 - 2_000,
				close: 100,
				stop: 97,
				target: 106,
				thresholds: { kelly_fraction: 1, ...(strategy ? { strategy } : {}) },
			});
		const settled = await Promise.allSettled([receive(p, body('BTC', 1)), receive(p, body('ETH', 2, 'poison')), receive(p, body('SOL', 3))]);
		expect(decisionBatchStats(p).largest).toBe(3);
		const [first, poisoned, third] = settled;
		expect(poisoned.status).toBe('rejected');
		expect(String((poisoned as PromiseRejectedResult).reason)).toContain('poisoned position');
		if (first.status !== 'fulfilled' || third.status !== 'fulfilled') throw new Error('the other decisions failed too');
		expect([first.value.status, third.value.status]).toEqual(['approved', 'approved']);
		// The third saw the account after the first only: one open position, cash net of one purchase.
		const account = third.value.receipt.account as { open_positions: number; cash: number };
		expect(account.open_positions).toBe(1);
		const firstCost = (first.value.receipt.size as { notional: number }).notional * 1.001;
		expect(account.cash).toBeCloseTo(10_000 - firstCost, 6);

		// Nothing of the failed decision is stored: not its signal, decision, order, fill or cash.
		const count = async (table: 'signals' | 'decisions' | 'paperOrders' | 'paperFills' | 'paperCash' | 'paperPositions') =>
			Number((await storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		expect({ signals: await count('signals'), decisions: await count('decisions'), orders: await count('paperOrders'), fills: await count('paperFills'), cash: await count('paperCash'), positions: await count('paperPositions') }).toEqual({
			signals: 2,
			decisions: 2,
			orders: 2,
			fills: 2,
			cash: 3,
			positions: 2,
		});
		expect(await storage.signals.getByAlertId(`fail-${kind}-2`)).toBeNull();
		// The stored answers are the ones given (committed after the batch, not rolled back with it).
		expect((await storage.decisions.getById(third.value.decision_id))?.status).toBe('approved');
	}, 120_000);
});
