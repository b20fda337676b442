// Crash safety of the paper trading pipeline, with the service as a real process:
// - 1,000 alerts (500 round trips: a buy that opens a paper position, then a sell that closes it,
//   in four symbols at once) stream into the service; after 400 answers it is SIGKILLed, started
//   again on the same database, and the client re-sends every alert that got no answer (same alert
//   id and body, as TradingView or n8n would retry). Afterwards every alert has exactly one stored
//   decision, every 200 answer names that decision, each approved entry opened one position, each
//   close booked one trade, and the ledger balances: cash + open positions at cost = deposit +
//   realised P&L − fees. Run on a throw-away MariaDB database and on a SQLite file.
// - Two service processes on one MariaDB database get the same alerts at the same time: one
//   decision per alert, both answers carry it, one of them says duplicate: false.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlTestDatabase } from '../../math-service/src/storage/testDatabases';
import { auditPaperLedger, type Acknowledged } from './paperLedgerAudit';
import { spawnService, type ServiceProcess } from './serviceProcess';

const SECRET = 'crash-test-secret-0123456789';
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'AVAX'];
const ROUND_TRIPS = 500;
const KILL_AFTER_ANSWERS = 400;
const SLOW = { timeout: 240_000 };
const run = randomBytes(4).toString('hex');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

const envFor = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, TRADINGVIEW_WEBHOOK_SECRET: SECRET, HFQ_PAPER_INITIAL_CASH: '10000' });

async function start(databaseUrl: string): Promise<ServiceProcess> {
	const service = await spawnService(envFor(databaseUrl));
	cleanups.push(() => service.kill());
	return service;
}

interface PlannedAlert {
	alertId: string;
	body: () => string;
}

/** Round trip `i` in its symbol: buy at 100 (stop 97, target 106), sell at 102 or 99 alternately. */
function roundTrip(i: number, tag: string): PlannedAlert[] {
	const base = SYMBOLS[i % SYMBOLS.length]!;
	const alert = (action: 'buy' | 'sell', close: number) => {
		const alertId = `${tag}-${run}-${i}-${action}`;
		let body: string | null = null;
		// The body (and its time) is fixed at the first delivery; retries send it again unchanged.
		return {
			alertId,
			body: () =>
				(body ??= JSON.stringify({
					secret: SECRET,
					alert_id: alertId,
					action,
					ticker: `BINANCE:${base}USDT`,
					exchange: 'BINANCE',
					interval: '60',
					time: Date.now() - 500,
					close,
					vwap: 106,
					stop: 97,
					target: 106,
				})),
		};
	};
	return [alert('buy', 100), alert('sell', i % 4 < 2 ? 102 : 99)];
}

function record(acked: Acknowledged, alertId: string, body: { decision_id: number; status: string; duplicate: boolean }) {
	acked.set(alertId, [...(acked.get(alertId) ?? []), { decision_id: body.decision_id, status: body.status, duplicate: body.duplicate }]);
}

async function crashAndRestart(databaseUrl: string) {
	const plan = Array.from({ length: ROUND_TRIPS }, (_, i) => roundTrip(i, 'crash'));
	const lanes = SYMBOLS.map((_, lane) => plan.filter((_, i) => i % SYMBOLS.length === lane).flat());
	const acked: Acknowledged = new Map();
	let answers = 0;
	let failedDeliveries = 0;
	const t0 = performance.now();
	let service = await start(databaseUrl);
	const startedMs = performance.now() - t0;
	let restarted: Promise<ServiceProcess> | null = null;

	const deliver = async (a: PlannedAlert) => {
		for (let attempt = 1; ; attempt++) {
			const current = service;
			let res: Response;
			try {
				res = await fetch(`${current.url}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: a.body() });
			} catch (error) {
				// The process died with this request in flight (or before it connected): no answer, retry.
				failedDeliveries++;
				if (restarted === null || attempt > 3) throw error;
				service = await restarted;
				continue;
			}
			expect(res.status, await res.clone().text()).toBe(200);
			record(acked, a.alertId, (await res.json()) as { decision_id: number; status: string; duplicate: boolean });
			answers++;
			if (answers === KILL_AFTER_ANSWERS && restarted === null) {
				const dying = current;
				restarted = dying.kill().then(() => start(databaseUrl));
			}
			return;
		}
	};
	await Promise.all(lanes.map(async (lane) => {
		for (const a of lane) await deliver(a);
	}));
	expect(restarted).not.toBeNull();
	service = await restarted!;
	const streamedMs = performance.now() - t0 - startedMs;
	expect(await service.stop()).toEqual({ code: 0, signal: null });

	const audit = await auditPaperLedger(databaseUrl, acked, plan.flat().map((a) => a.alertId));
	expect(audit.decisions).toBe(2 * ROUND_TRIPS);
	// The stream really traded: most entries were approved and closed again.
	expect(audit.approvedEntries).toBeGreaterThan(ROUND_TRIPS / 2);
	expect(audit.closedPositions).toBeGreaterThan(ROUND_TRIPS / 2);
	expect(failedDeliveries).toBeGreaterThan(0);
	// Deliveries that failed but whose decision had been committed before the kill: the retry's answer says duplicate.
	const committedUnanswered = [...acked.values()].filter((a) => a[0]!.duplicate).length;
	return { audit, failedDeliveries, committedUnanswered, startedMs: Math.round(startedMs), streamedMs: Math.round(streamedMs) };
}

describe('crash safety: SIGKILL during a stream of paper trades, restart, nothing lost or doubled', () => {
	it('on MariaDB', SLOW, async () => {
		const db = await createMysqlTestDatabase('hfq_crash');
		cleanups.push(() => db.drop());
		const result = await crashAndRestart(db.url);
		console.log('MariaDB crash run:', result);
	});

	it('on a SQLite file', SLOW, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-crash-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const result = await crashAndRestart(`sqlite:${join(dir, 'crash.db')}`);
		console.log('SQLite crash run:', result);
	});
});

describe('two service processes on one MariaDB database', () => {
	it('the same alerts sent to both at once give one decision each', SLOW, async () => {
		const db = await createMysqlTestDatabase('hfq_two');
		cleanups.push(() => db.drop());
		const [a, b] = await Promise.all([start(db.url), start(db.url)]);
		const plan = Array.from({ length: 60 }, (_, i) => roundTrip(i, 'twin'));
		const acked: Acknowledged = new Map();
		const send = async (service: ServiceProcess, alert: PlannedAlert) => {
			const res = await fetch(`${service.url}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: alert.body() });
			expect(res.status, await res.clone().text()).toBe(200);
			record(acked, alert.alertId, (await res.json()) as { decision_id: number; status: string; duplicate: boolean });
		};
		// Four symbols in parallel; within a symbol buy then sell, each delivered to both processes at once.
		await Promise.all(
			SYMBOLS.map(async (_, lane) => {
				for (const alert of plan.filter((_, i) => i % SYMBOLS.length === lane).flat()) await Promise.all([send(a, alert), send(b, alert)]);
			}),
		);
		for (const [alertId, answers] of acked) {
			expect(answers, alertId).toHaveLength(2);
			expect(new Set(answers.map((x) => x.decision_id)).size, alertId).toBe(1);
			expect(answers.filter((x) => !x.duplicate), alertId).toHaveLength(1);
		}
		expect(await Promise.all([a.stop(), b.stop()])).toEqual([
			{ code: 0, signal: null },
			{ code: 0, signal: null },
		]);
		const audit = await auditPaperLedger(db.url, acked, plan.flat().map((x) => x.alertId));
		expect(audit.decisions).toBe(120);
		expect(audit.approvedEntries).toBeGreaterThan(30);
	});
});
