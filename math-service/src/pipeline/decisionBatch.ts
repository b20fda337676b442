/**
 * @module pipeline/decisionBatch
 * Decisions under a burst. At bar close TradingView and the scan fire for the whole universe at
 * once; deciding each alert in its own transaction makes the 32nd wait for 31 commits. Instead,
 * decisions that queue up while one batch runs are decided together, in arrival order, in ONE
 * transaction:
 * - the account (cash, open positions marked at the latest close, day-start equity, halt) is read
 *   once per batch and updated in memory after each decision, so every limit (heat, per-asset cap,
 *   cash, daily halt, de-duplication) sees the decisions before it exactly as if they had been
 *   made one by one; what the decisions read per symbol (Kelly sample, VaR closes, panic score)
 *   is read in one statement per kind for the whole batch;
 * - each decision runs inside its own savepoint: one that throws is rolled back alone (its signal,
 *   decision, order, fill, cash and position rows) and the account in memory is left as it was;
 *   its caller gets the error, the others are committed;
 * - everyone is answered after the commit (an answer never names a row that could still roll back);
 * - a deadlock, lock timeout or lost connection rolls the whole batch back and runs it again (up to
 *   3 times, the in-process queue's rule); after that every caller of the batch gets the error.
 * Batches run through the pipeline's queue (pipeline/createPipeline `serialize`), so they never
 * overlap position checks; on MySQL the transaction first takes the `decision_lock` row, so two
 * processes never decide at the same time either.
 */
import { RetryableError } from '../errors.js';
import type { Trade } from '../storage/schema.js';
import { classifyConnectionError } from '../storage/openStorage.js';
import { decisionStatements, type DecisionStatements, type RecentTradeRow } from '../storage/decisionStatements.js';
import type { Decision, Signal } from '../storage/schema.js';
import { readAccountState, type AccountState } from './accountState.js';
import type { Pipeline } from './createPipeline.js';
import { decideItem, prefetchDecisionInputs, type DecideResult, type DecisionItem } from './decide.js';
import { settleLiveDecisions } from './liveExecution.js';

/** Largest number of decisions in one transaction; more queued ones wait for the next batch. */
export const MAX_BATCH = 128;

/** What one batch shares: its clock reading, the account in memory and per-batch read caches. */
export interface BatchContext {
	readonly p: Pipeline;
	readonly st: DecisionStatements;
	readonly nowMs: number;
	/** Loaded before the first decision that needs it; updated in memory after each committed savepoint. */
	account: AccountState | null;
	/** Latest stored close per symbol (null: none), for marking positions. */
	readonly marks: Map<string, number | null>;
	/** Signals and decisions stored before this batch or made in it, by alert id. */
	readonly signals: Map<string, Signal>;
	readonly decisions: Map<string, DecideResult>;
	/** Kelly samples (strategy + symbol + window) and VaR closes (symbol + timeframe + lookback) read in this batch. */
	readonly trades: Map<string, RecentTradeRow[] | Pick<Trade, 'pnl' | 'returnRatio'>[]>;
	readonly closes: Map<string, number[]>;
	/** Equity at each entry decision, written once at the end of the batch. */
	readonly snapshots: { takenAt: number; equity: number }[];
}

interface Pending {
	item: DecisionItem;
	resolve(result: DecideResult): void;
	reject(error: unknown): void;
}

interface Queue {
	pending: Pending[];
	scheduled: boolean;
	stats: DecisionBatchStats;
}

export interface DecisionBatchStats {
	/** Transactions run (retries included). */
	batches: number;
	/** Decisions answered. */
	decisions: number;
	/** The largest batch so far. */
	largest: number;
}

const queues = new WeakMap<Pipeline, Queue>();

function queueOf(p: Pipeline): Queue {
	let q = queues.get(p);
	if (q === undefined) {
		q = { pending: [], scheduled: false, stats: { batches: 0, decisions: 0, largest: 0 } };
		queues.set(p, q);
	}
	return q;
}

/** How many transactions and decisions this pipeline has run (for tests and the benchmark). */
export function decisionBatchStats(p: Pipeline): Readonly<DecisionBatchStats> {
	return queueOf(p).stats;
}

/** Queues one decision; resolves after the batch that decides it has committed. */
export function submitDecision(p: Pipeline, item: DecisionItem): Promise<DecideResult> {
	const q = queueOf(p);
	return new Promise<DecideResult>((resolve, reject) => {
		q.pending.push({ item, resolve, reject });
		if (!q.scheduled) {
			q.scheduled = true;
			// After the current I/O phase: every request that arrived with this one joins the batch.
			setImmediate(() => void runQueued(p, q));
		}
	});
}

async function runQueued(p: Pipeline, q: Queue): Promise<void> {
	let taken: Pending[] = [];
	try {
		await p.serialize(async () => {
			// Taken when the queue reaches us, so decisions that arrived while earlier work ran join in.
			if (taken.length === 0) {
				taken = q.pending.splice(0, MAX_BATCH);
				q.scheduled = false;
				if (q.pending.length > 0) {
					q.scheduled = true;
					setImmediate(() => void runQueued(p, q));
				}
			}
			if (taken.length === 0) return;
			q.stats.batches++;
			const outcomes = await runBatch(p, taken.map((t) => t.item));
			// LIVE: the orders of the committed decisions are sent and settled before anyone is answered.
			if (p.config.mode === 'LIVE') await settleLiveDecisions(p, outcomes);
			q.stats.decisions += taken.length;
			q.stats.largest = Math.max(q.stats.largest, taken.length);
			outcomes.forEach((o, i) => ('error' in o ? taken[i]!.reject(o.error) : taken[i]!.resolve(o.result)));
		});
	} catch (error) {
		for (const t of taken) t.reject(error);
	}
}

type Outcome = { result: DecideResult } | { error: unknown };

/** True for the errors that end the whole transaction (MySQL rolls it back itself). */
function endsTransaction(error: unknown): boolean {
	return error instanceof RetryableError || classifyConnectionError(error, '') instanceof RetryableError;
}

async function runBatch(p: Pipeline, items: DecisionItem[]): Promise<Outcome[]> {
	const storage = p.storage;
	try {
		return await storage.prepared.transaction(async (c) => {
			const st = decisionStatements(c);
			const nowMs = p.now();
			await st.lockDecisions(nowMs);
			await st.lockLedger(nowMs);
			const stored = await st.byAlertIds([...new Set(items.map((i) => i.alertId))]);
			const ctx: BatchContext = {
				p,
				st,
				nowMs,
				account: null,
				marks: new Map(),
				signals: stored.signals,
				decisions: new Map([...stored.decisions].map(([id, d]: [string, Decision]) => [id, { decision: d, duplicate: true }])),
				trades: new Map(),
				closes: new Map(),
				snapshots: [],
			};
			if (items.some((i) => i.intakeRejection === null && !ctx.decisions.has(i.alertId))) {
				ctx.account = await readAccountState(st, nowMs, p.settings.paperInitialCash, ctx.marks);
				await prefetchDecisionInputs(ctx, items);
			}
			const outcomes: Outcome[] = [];
			// One savepoint name for every decision: SQLite nests savepoints, so each is released; on
			// MySQL a new SAVEPOINT of the same name replaces the last one (one round trip saved each).
			const release = c.dialect === 'sqlite';
			for (const item of items) {
				await c.control('savepoint decision');
				try {
					const decided = await decideItem(ctx, item);
					if (release) await c.control('release decision');
					decided.commit?.();
					outcomes.push({ result: decided.result });
				} catch (error) {
					if (endsTransaction(error)) throw error;
					await c.control('rollback to decision');
					if (release) await c.control('release decision');
					outcomes.push({ error });
				}
			}
			if (ctx.snapshots.length > 0) await st.recordEquity(ctx.snapshots);
			return outcomes;
		});
	} catch (error) {
		throw classifyConnectionError(error, 'of the decision transaction');
	}
}
