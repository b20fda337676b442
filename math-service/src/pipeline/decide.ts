/**
 * @module pipeline/decide
 * The risk decision for one stored, intake-approved signal (seed 1's risk framework):
 * 1. Kelly inputs, VaR and the LLM note are gathered first (decisionInputs.ts; the LLM is advisory).
 * 2. In one transaction, queued behind any other decision: the account is read (cash, positions
 *    marked at the latest stored close, day-start equity, halt); the Kelly ratio is turned into a
 *    size, size = min(fractional Kelly, 10 %) × equity / entry (entry = the alert's close); the gates
 *    run (daily drawdown halt, R/R ≥ 1.5, ≤ 10 % per asset, heat ≤ 30 %, cash, VaR budget, time
 *    stop; equity net of the entry fee, so limits hold after the fill); a triggered halt is persisted; the decision row is written with its receipt; an
 *    approved PAPER decision opens the paper position (fee 0.1 %); an equity snapshot is taken.
 *    All of it commits together or not at all.
 * 3. Idempotent: a decision already stored for the alert id is returned with `duplicate: true`.
 * Sell/exit alerts close the strategy's open paper position(s) in that symbol at the alert close.
 * LIVE mode (HFQ_MODE=LIVE): an approval needs the LIVE permission (execution/livePermission): the
 * latest recorded backtest of the strategy and symbol passes the KPI gates, or the operator set
 * HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 (receipt `live.override: true`). Refused → `live_not_permitted`
 * with the reason and the failing gates in `receipt.live`. Permitted → still `live_not_permitted`,
 * because no exchange adapter is wired in this version: no order is placed and no paper position is
 * opened in LIVE mode (`live.order_placed: false`).
 */
import type { NormalizedAlert } from '../core/intake/evaluateIntake.js';
import { evaluateRiskGates } from '../core/risk/evaluateRiskGates.js';
import { sizePosition } from '../core/risk/sizePosition.js';
import { liveTradingPermission } from '../execution/livePermission.js';
import type { Repositories } from '../storage/openStorage.js';
import type { Decision, Signal } from '../storage/schema.js';
import { ensurePaperAccount, HALT_UNTIL_KEY, heatRatio, loadAccountState, lockDecisions, type AccountState } from './accountState.js';
import type { Pipeline } from './createPipeline.js';
import { kellyBlockFor, llmBlockFor, varBlockFor } from './decisionInputs.js';
import { riskGateToReceipt, type ReceiptGate } from './receipt.js';
import { riskGateConfigsOf, thresholdsToWire, type Thresholds } from './thresholds.js';

export interface DecideInput {
	signal: Signal;
	normalized: NormalizedAlert;
	thresholds: Thresholds;
	/** Intake gates to show first on the receipt. */
	intakeGates?: ReceiptGate[];
	/** The caller has just looked for a decision of this alert and found none (skips one read). */
	knownUndecided?: boolean;
}

export interface DecideResult {
	decision: Decision;
	duplicate: boolean;
}

const accountBlock = (s: AccountState) => ({
	equity: s.equity,
	cash: s.cash,
	day_start_equity: s.dayStartEquity,
	daily_return_ratio: s.dayStartEquity > 0 ? s.equity / s.dayStartEquity - 1 : null,
	heat_ratio: heatRatio(s),
	open_positions: s.positions.length,
	halt_until: s.haltUntilMs === null ? null : new Date(s.haltUntilMs).toISOString(),
});

export async function decide(p: Pipeline, input: DecideInput): Promise<DecideResult> {
	// In-process single flight: deliveries of one alert arriving while it is being decided wait for
	// that decision instead of queueing their own (the database's UNIQUE keys still decide across
	// processes).
	const key = input.signal.alertId;
	const running = p.inflight.get(key) as Promise<DecideResult> | undefined;
	if (running) return running.then((r) => ({ decision: r.decision, duplicate: true }));
	const promise = decideOnce(p, input).finally(() => p.inflight.delete(key));
	p.inflight.set(key, promise);
	return promise;
}

async function decideOnce(p: Pipeline, input: DecideInput): Promise<DecideResult> {
	const { signal, normalized: n, thresholds: t } = input;
	const storage = p.storage;
	if (!input.knownUndecided) {
		const existing = await storage.decisions.getByAlertId(signal.alertId);
		if (existing) return { decision: existing, duplicate: true };
	}

	const symbol = n.symbol;
	const isEntry = n.intent === 'open';
	const kelly = await kellyBlockFor(storage, t, symbol);
	const varBlock = isEntry ? await varBlockFor(storage, t, symbol, p.now()) : null;
	const llm = isEntry ? await llmBlockFor(p.settings, t, kelly) : null;

	return p.serialize(() =>
		storage.transaction(async (tx) => {
			const nowMs = p.now();
			// MySQL/MariaDB: another process may be deciding; take the decision row lock first (before any
			// locking read, so two deciders never hold gap locks on each other and deadlock).
			if (storage.dialect === 'mysql') await lockDecisions(tx, nowMs);
			// A delivery that waited behind the first one ends here (on SQLite without writing anything).
			const decided = await tx.decisions.getByAlertId(signal.alertId);
			if (decided) return { decision: decided, duplicate: true };
			await ensurePaperAccount(tx, p.settings.paperInitialCash, nowMs);
			const state = await loadAccountState(tx, nowMs);
			const common = {
				mode: p.config.mode,
				alert_id: signal.alertId,
				signal_id: signal.id,
				strategy: t.strategy,
				symbol,
				asset: n.base,
				tier: n.tier,
				action: n.action,
				notes: n.notes,
				thresholds: thresholdsToWire(t),
				decided_at: new Date(nowMs).toISOString(),
			};
			if (!isEntry) return closeOnSignal(p, tx, input, state, common, nowMs);

			const entry = n.close;
			const stop = n.stop ?? 0;
			const target = n.target ?? entry;
			const size = sizePosition({ equity: state.equity, entry, stop, target, kellyPositionRatio: kelly.fractional_kelly, capRatio: t.maxPositionRatio });
			// The gates see equity net of this entry's fee at its requested size: resizes only shrink the
			// fee, so every ratio still holds after the fill has paid it (heat 30 % means ≤ 30 % afterwards).
			const entryFee = size.quantity * entry * t.feeRatio;
			const evaluation = evaluateRiskGates(
				{
					nowMs,
					equity: state.equity - entryFee,
					cash: state.cash,
					openPositions: state.positions,
					dayStartEquity: state.dayStartEquity,
					haltUntilMs: state.haltUntilMs,
					candidate: { symbol, entry, stop: Math.max(0, stop), target, positionRatio: size.positionRatio, quantity: size.quantity },
					varPerPositionRatio: varBlock?.var_ratio ?? null,
				},
				riskGateConfigsOf(t),
			);
			if (evaluation.haltUntilMs !== null) await tx.riskState.set(HALT_UNTIL_KEY, String(evaluation.haltUntilMs), nowMs);

			let status = evaluation.status;
			let reasonCode: string = evaluation.reasonCode ?? (status === 'approved' ? 'approved' : 'rejected');
			let reason = evaluation.reason;
			let live: unknown = null;
			let liveGate: ReceiptGate | null = null;
			if (status === 'approved' && p.config.mode === 'LIVE') {
				const override = p.settings.liveAllowFailingBacktest;
				const permission = await liveTradingPermission({ storage: tx, strategy: t.strategy, symbol, overrideFailingBacktest: override });
				live = { ...permission, override, order_placed: false };
				liveGate = { name: 'liveBacktest', passed: permission.allowed, value: null, limit: null, detail: permission.reason, reason_code: permission.reason_code };
				// No exchange adapter ships with this version: even a permitted LIVE decision is not executed here.
				status = 'rejected';
				reasonCode = 'live_not_permitted';
				reason = permission.allowed ? `${permission.reason}; LIVE permitted, but no exchange adapter is wired in this version: no order placed` : permission.reason;
			}
			const gates = [...(input.intakeGates ?? []), ...evaluation.results.map(riskGateToReceipt), ...(liveGate ? [liveGate] : [])];
			const varGate = gates.find((g) => g.name === 'varBudget');
			if (varGate && varGate.value === null && varBlock?.var_ratio === null) varGate.detail = `${varGate.detail} (${varBlock.note})`;
			const receipt: Record<string, unknown> = {
				...common,
				status,
				reason_code: reasonCode,
				reason,
				entry,
				stop: n.stop,
				target: n.target,
				reward_risk: size.rewardRisk,
				size: {
					// Of the account's equity before the entry (the gates used it net of the fee).
					position_pct: status === 'approved' && state.equity > 0 ? (100 * evaluation.notional) / state.equity : 0,
					position_ratio: status === 'approved' && state.equity > 0 ? evaluation.notional / state.equity : 0,
					quantity: status === 'approved' ? evaluation.quantity : 0,
					notional: status === 'approved' ? evaluation.notional : 0,
					requested_quantity: evaluation.requestedQuantity,
					requested_position_pct: size.positionPct,
					resized: evaluation.resized,
					risk_to_stop_ratio: status === 'approved' && state.equity > 0 ? (evaluation.quantity * Math.max(0, entry - stop)) / state.equity : 0,
				},
				kelly,
				var: varBlock,
				llm,
				account: accountBlock(state),
				gates,
				live,
				execution: null,
			};
			const inserted = await tx.decisions.insert({ signalId: signal.id, alertId: signal.alertId, status, reasonCode, symbol, receipt, createdAt: nowMs });
			if (!inserted.inserted) return { decision: inserted.decision, duplicate: true };
			let decision = inserted.decision;
			if (status === 'approved') {
				const fill = await p.paperBroker(t.feeRatio).openLong(tx, {
					strategy: t.strategy,
					symbol,
					quantity: evaluation.quantity,
					price: entry,
					stop: n.stop,
					target: n.target,
					decisionId: decision.id,
					atMs: nowMs,
				});
				receipt.execution = { broker: 'paper', position_id: fill.position.id, order_id: fill.order.id, fill_id: fill.fill.id, fill_price: fill.fill.price, quantity: fill.fill.quantity, fee: fill.fee };
				decision = await rewriteReceipt(tx, decision, receipt);
			}
			// Equity at decision time (before the fill): what tomorrow's day-start reading may fall back to.
			await tx.db.insertInto('equitySnapshots').values({ takenAt: nowMs, equity: state.equity }).execute();
			return { decision, duplicate: false };
		}),
	);
}

async function rewriteReceipt(tx: Repositories, decision: Decision, receipt: unknown): Promise<Decision> {
	const receiptJson = JSON.stringify(receipt);
	await tx.db.updateTable('decisions').set({ receiptJson }).where('id', '=', decision.id).execute();
	return { ...decision, receiptJson };
}

/** A sell/exit alert: close this strategy's open positions in the symbol at the alert's close. */
async function closeOnSignal(
	p: Pipeline,
	tx: Repositories,
	input: DecideInput,
	state: AccountState,
	common: Record<string, unknown>,
	nowMs: number,
): Promise<DecideResult> {
	const { signal, normalized: n, thresholds: t } = input;
	const mine = state.positions.filter((pos) => pos.row.strategy === t.strategy && pos.symbol === n.symbol);
	const status = mine.length > 0 ? 'approved' : 'rejected';
	const reasonCode = mine.length > 0 ? 'exit' : 'no_open_position';
	const receipt: Record<string, unknown> = {
		...common,
		status,
		reason_code: reasonCode,
		reason: mine.length > 0 ? `closed ${mine.length} open ${n.symbol} position(s) of ${t.strategy} at ${n.close}` : `no open ${n.symbol} position of ${t.strategy} to close`,
		entry: null,
		exit_price: n.close,
		gates: input.intakeGates ?? [],
		account: accountBlock(state),
		closed: [] as unknown[],
		execution: null,
	};
	const inserted = await tx.decisions.insert({ signalId: signal.id, alertId: signal.alertId, status, reasonCode, symbol: n.symbol, receipt, createdAt: nowMs });
	if (!inserted.inserted) return { decision: inserted.decision, duplicate: true };
	if (mine.length === 0 || p.config.mode === 'LIVE') return { decision: inserted.decision, duplicate: false };
	const broker = p.paperBroker(t.feeRatio);
	for (const pos of mine) {
		const exit = await broker.closeLong(tx, { positionId: pos.row.id, price: n.close, exitReason: 'signal_exit', atMs: nowMs });
		(receipt.closed as unknown[]).push({ position_id: pos.row.id, trade_id: exit.trade.id, exit_price: n.close, pnl: exit.trade.pnl, return_ratio: exit.trade.returnRatio });
	}
	return { decision: await rewriteReceipt(tx, inserted.decision, receipt), duplicate: false };
}

/** The normalised alert stored with a signal by intakeSignal (payload_json.normalized), or null. */
export function normalizedOf(signal: Signal): NormalizedAlert | null {
	try {
		const payload = JSON.parse(signal.payloadJson) as { normalized?: NormalizedAlert | null };
		return payload?.normalized ?? null;
	} catch {
		return null;
	}
}
