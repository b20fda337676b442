// Audits a database the service wrote, for the crash-safety tests: one decision per alert id, one
// paper position per approved entry, one trade per close, and the paper ledger's identity
//   cash + open positions at cost = initial deposit + realised P&L (gross) − all fees
// where cash is the sum of the cash movements, realised P&L is Σ (exit − entry) × quantity over
// closed positions and fees are every fill's fee.
import { sql } from 'kysely';
import { expect } from 'vitest';
import { openStorage } from '../../math-service/src/storage/openStorage';

/** What the client saw: every 200 answer per alert id (a retry after a crash may add a second). */
export type Acknowledged = Map<string, Array<{ decision_id: number; status: string; duplicate: boolean }>>;

export interface LedgerAudit {
	decisions: number;
	approvedEntries: number;
	approvedExits: number;
	openPositions: number;
	closedPositions: number;
	cash: number;
	openCost: number;
	realisedGross: number;
	fees: number;
	deposits: number;
}

/** Checks the stored state against the acknowledged answers; returns the figures for the report. */
export async function auditPaperLedger(databaseUrl: string, acked: Acknowledged, alertIds: readonly string[]): Promise<LedgerAudit> {
	const storage = await openStorage(databaseUrl, { migrate: false });
	try {
		const db = storage.db;
		const decisions = await db.selectFrom('decisions').select(['id', 'alertId', 'status', 'reasonCode', 'receiptJson']).execute();
		// Every alert sent was decided exactly once …
		const byAlert = new Map<string, (typeof decisions)[number][]>();
		for (const d of decisions) byAlert.set(d.alertId, [...(byAlert.get(d.alertId) ?? []), d]);
		expect([...byAlert.values()].filter((ds) => ds.length !== 1)).toEqual([]);
		expect([...byAlert.keys()].sort()).toEqual([...alertIds].sort());
		// … and every answer the client received names that stored decision (none lost, none replaced).
		const mismatched: string[] = [];
		for (const [alertId, answers] of acked) {
			const stored = byAlert.get(alertId)?.[0];
			for (const a of answers) if (!stored || stored.id !== a.decision_id || stored.status !== a.status) mismatched.push(alertId);
		}
		expect(mismatched).toEqual([]);
		expect(alertIds.filter((id) => !acked.has(id))).toEqual([]);

		const positions = await db.selectFrom('paperPositions').selectAll().execute();
		const positionsPerDecision = new Map<number, number>();
		for (const p of positions) if (p.decisionId !== null) positionsPerDecision.set(p.decisionId, (positionsPerDecision.get(p.decisionId) ?? 0) + 1);
		const entries = decisions.filter((d) => d.status === 'approved' && d.reasonCode === 'approved');
		const exits = decisions.filter((d) => d.status === 'approved' && d.reasonCode === 'exit');
		// One position per approved entry, none for anything else.
		expect(entries.filter((d) => positionsPerDecision.get(d.id) !== 1).map((d) => d.alertId)).toEqual([]);
		expect(positions.length).toBe(entries.length);
		const closed = positions.filter((p) => p.status === 'closed');
		const open = positions.filter((p) => p.status === 'open');
		// One trade-log row per closed position; an exit decision closed what its receipt lists.
		const trades = Number((await db.selectFrom('tradeLog').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		expect(trades).toBe(closed.length);
		const closedByExits = exits.reduce((n, d) => n + ((JSON.parse(d.receiptJson) as { closed?: unknown[] }).closed?.length ?? 0), 0);
		expect(closedByExits).toBe(closed.length);

		const sum = async (table: 'paperCash' | 'paperFills', column: 'amount' | 'fee') =>
			Number((await db.selectFrom(table).select(sql<number>`coalesce(sum(${sql.ref(column)}), 0)`.as('s')).executeTakeFirstOrThrow()).s);
		const cash = await sum('paperCash', 'amount');
		const fees = await sum('paperFills', 'fee');
		const deposits = Number(
			(await db.selectFrom('paperCash').select(sql<number>`coalesce(sum(amount), 0)`.as('s')).where('reason', 'in', ['initial_deposit', 'deposit']).executeTakeFirstOrThrow()).s,
		);
		const openCost = open.reduce((s, p) => s + p.entryPrice * p.quantity, 0);
		const realisedGross = closed.reduce((s, p) => s + (p.exitPrice! - p.entryPrice) * p.quantity, 0);
		// Each position's own books agree: realised P&L net = gross − its fees.
		expect(closed.filter((p) => Math.abs(p.realizedPnl! - ((p.exitPrice! - p.entryPrice) * p.quantity - p.fees)) > 1e-6)).toEqual([]);
		expect(Math.abs(cash + openCost - (deposits + realisedGross - fees))).toBeLessThan(1e-6);
		return {
			decisions: decisions.length,
			approvedEntries: entries.length,
			approvedExits: exits.length,
			openPositions: open.length,
			closedPositions: closed.length,
			cash,
			openCost,
			realisedGross,
			fees,
			deposits,
		};
	} finally {
		await storage.close();
	}
}
