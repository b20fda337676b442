/**
 * @module pipeline/decide
 * The risk decision for one intake-approved signal (seed 1's risk framework):
 * 1. Kelly inputs (the strategy's recent closed trades on the symbol, else the prior), VaR (the
 *    asset's recent returns) and the LLM note (advisory; asked before the transaction because it is
 *    a network call).
 * 2. In the decision transaction, in arrival order behind the decisions queued before it
 *    (pipeline/decisionBatch): the account as the decisions before it left it (cash, positions
 *    marked at the latest stored close, day-start equity, halt); the Kelly ratio is turned into a
 *    size, size = min(fractional Kelly, 10 %) × equity / entry (entry = the alert's close); the gates
 *    run (daily drawdown halt, panic switch on the asset's latest stored news panic score, R/R ≥
 *    1.5, ≤ 10 % per asset, heat ≤ 30 %, cash, VaR budget, time stop; equity net of the entry fee,
 *    so limits hold after the fill); a triggered halt is persisted; the decision row is written with its receipt; an approved PAPER decision opens the
 *    paper position (fee 0.1 %); the equity at decision time is snapshotted. All of one decision
 *    commits together or not at all (a savepoint).
 * 3. Idempotent: a decision already stored for the alert id is returned with `duplicate: true`.
 * Sell/exit alerts close the strategy's open paper position(s) in that symbol at the alert close.
 * LIVE mode (every LIVE switch on, execution/liveSettings; else the service runs PAPER and each
 * receipt names the refusal in `live_refused`): an approval needs the LIVE permission
 * (execution/livePermission): the latest recorded backtest of the strategy and symbol passes the KPI
 * gates, or the operator set HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 (receipt `live.override: true`).
 * Refused → `live_not_permitted` with the reason and the failing gates in `receipt.live`, no order.
 * Permitted → the size is rounded to the market's step (below its minimum → `live_min_notional`),
 * and the outbox row is written with the decision; the order is sent after the commit
 * (pipeline/liveExecution), never a paper fill.
 */
import type { NormalizedAlert } from '../core/intake/evaluateIntake.js';
import { evaluateRiskGates } from '../core/risk/evaluateRiskGates.js';
import { sizePosition } from '../core/risk/sizePosition.js';
import { InvalidInputError } from '../errors.js';
import { liveTradingPermission, type LivePermission } from '../execution/livePermission.js';
import type { NewSignalRow } from '../storage/decisionStatements.js';
import type { Decision, PaperPosition, Signal } from '../storage/schema.js';
import { equityOf, HALT_UNTIL_KEY, heatRatio, markedPosition, type AccountState } from './accountState.js';
import type { Pipeline } from './createPipeline.js';
import { asksLlm, kellyBlockFor, kellyBlockOf, llmBlockFor, llmBlockWithoutLlm, varBlockOf, type KellyBlock, type LlmBlock } from './decisionInputs.js';
import { submitDecision, type BatchContext } from './decisionBatch.js';
import { countDecision } from '../observability/serviceMetrics.js';
import { panicBlockFor, panicCacheOf } from './panicAtDecision.js';
import { riskGateToReceipt, stringifyReceipt, type ReceiptGate, type ReceiptText } from './receipt.js';
import { riskGateConfigsOf, thresholdsToWire, type Thresholds } from './thresholds.js';
import type { MarketRules } from '../execution/liveExchange.js';
import type { LiveOrderRow } from '../storage/liveOrderOutbox.js';
import { liveExecutionBlock, liveOrderQuantity, liveRulesFor, recordLiveEntry } from './liveExecution.js';

export interface DecideInput {
	signal: Signal;
	normalized: NormalizedAlert;
	thresholds: Thresholds;
	/** Intake gates to show first on the receipt. */
	intakeGates?: ReceiptGate[];
}

export interface DecideResult {
	decision: Decision;
	duplicate: boolean;
	/** The receipt of a decision made now (decision.receiptJson parsed) and its text, so the answer needs no JSON round trip. */
	receipt?: Record<string, unknown>;
	receiptText?: ReceiptText;
	/** LIVE: the outbox row written with this decision, sent after the commit (pipeline/liveExecution). */
	liveOrder?: LiveOrderRow;
	/** LIVE exit: the positions to close on the exchange after the commit. */
	liveExits?: number[];
}

/** One decision as the batch runs it. */
export interface DecisionItem {
	alertId: string;
	/** The stored signal (POST /v1/decisions), or the row to store first (the TradingView path). */
	signal: Signal | NewSignalRow;
	normalized: NormalizedAlert | null;
	thresholds: Thresholds;
	intakeGates: ReceiptGate[];
	/** Rejected at intake: this rejection is stored as the decision (given the stored signal) instead of deciding. */
	intakeRejection: ((signal: Signal) => { reasonCode: string; receipt: Record<string, unknown> }) | null;
	/** Gathered before the queue when the LLM is asked (Kelly first) or the mode is LIVE. */
	kelly?: KellyBlock;
	llm?: LlmBlock;
	livePermission?: LivePermission;
	/** LIVE: the market's step, tick and minimums, read before the queue. */
	liveRules?: MarketRules | { error: string };
}

/** What decideItem did; `commit` updates the batch's memory once the decision's savepoint is released. */
export interface DecidedItem {
	result: DecideResult;
	commit?: () => void;
}

const CASH_EPSILON = 1e-6;

/** Decides a stored signal (POST /v1/decisions); concurrent calls for one alert share one decision. */
export function decide(p: Pipeline, input: DecideInput): Promise<DecideResult> {
	return decideOnce(p, {
		alertId: input.signal.alertId,
		signal: input.signal,
		normalized: input.normalized,
		thresholds: input.thresholds,
		intakeGates: input.intakeGates ?? [],
		intakeRejection: null,
	});
}

/**
 * In-process single flight, then the batch: deliveries of one alert arriving while it is being
 * decided wait for that decision instead of queueing their own (the database's UNIQUE keys still
 * decide across processes).
 */
export function decideOnce(p: Pipeline, item: DecisionItem): Promise<DecideResult> {
	const key = item.alertId;
	const running = p.inflight.get(key) as Promise<DecideResult> | undefined;
	if (running) return running.then((r) => ({ ...r, duplicate: true }));
	const promise = gatherAndSubmit(p, item)
		.then((r) => {
			if (!r.duplicate) countDecision(r.decision, r.receipt);
			return r;
		})
		.finally(() => p.inflight.delete(key));
	p.inflight.set(key, promise);
	return promise;
}

/** The inputs that need the network or the Kysely reader are gathered before the queue. */
async function gatherAndSubmit(p: Pipeline, item: DecisionItem): Promise<DecideResult> {
	const n = item.normalized;
	if (item.intakeRejection === null && n !== null && n.intent === 'open') {
		const t = item.thresholds;
		if (asksLlm(p.settings, t)) {
			item.kelly = await kellyBlockFor(p.storage, t, n.symbol);
			item.llm = await llmBlockFor(p.settings, t, item.kelly);
		}
		if (p.config.mode === 'LIVE') {
			item.livePermission = await liveTradingPermission({ storage: p.storage, strategy: t.strategy, symbol: n.symbol, overrideFailingBacktest: p.settings.liveAllowFailingBacktest });
			if (item.livePermission.allowed) item.liveRules = await liveRulesFor(p, n.symbol);
		}
	}
	return submitDecision(p, item);
}

/** Runs one decision inside the batch transaction (its savepoint is the caller's). */
export async function decideItem(ctx: BatchContext, item: DecisionItem): Promise<DecidedItem> {
	const earlier = ctx.decisions.get(item.alertId);
	if (earlier) return { result: { ...earlier, duplicate: true } };
	const st = ctx.st;
	let signal: Signal;
	let newSignal = false;
	if ('id' in item.signal) signal = item.signal;
	else {
		const known = ctx.signals.get(item.alertId);
		if (known) signal = known;
		else {
			signal = (await st.insertSignal(item.signal)).signal;
			newSignal = true;
		}
	}
	const remember = (result: DecideResult, extra?: () => void): DecidedItem => ({
		result,
		commit: () => {
			if (newSignal) ctx.signals.set(item.alertId, signal);
			ctx.decisions.set(item.alertId, result);
			extra?.();
		},
	});

	if (item.intakeRejection !== null) {
		const { reasonCode, receipt } = item.intakeRejection(signal);
		const receiptText = stringifyReceipt(receipt);
		const row = { signalId: signal.id, alertId: item.alertId, status: 'rejected' as const, reasonCode, symbol: signal.symbol, receiptJson: receiptText.json, createdAt: ctx.nowMs };
		const inserted = await st.insertDecision(row);
		return remember(inserted.inserted ? { decision: inserted.decision, duplicate: false, receipt, receiptText } : { decision: inserted.decision, duplicate: true });
	}
	const n = item.normalized;
	if (n === null) throw new InvalidInputError(`signal ${signal.id} has no normalised alert to decide on`, ['alert_id']);
	const state = ctx.account;
	if (state === null) throw new Error('the batch did not read the account before deciding');
	const t = item.thresholds;
	const common = {
		mode: ctx.p.config.mode,
		alert_id: signal.alertId,
		signal_id: signal.id,
		strategy: t.strategy,
		symbol: n.symbol,
		asset: n.base,
		tier: n.tier,
		action: n.action,
		notes: n.notes,
		thresholds: thresholdsToWire(t),
		decided_at: new Date(ctx.nowMs).toISOString(),
		...(ctx.p.config.live?.refusal && { live_refused: ctx.p.config.live.refusal }),
	};
	return n.intent === 'open' ? decideEntry(ctx, item, n, signal, state, common, remember) : decideExit(ctx, item, n, signal, state, common, remember);
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

type Remember = (result: DecideResult, extra?: () => void) => DecidedItem;

const tradesKey = (t: Thresholds, symbol: string) => `${t.strategy}\u0000${symbol}\u0000${t.kellyWindow}`;
const closesKey = (t: Thresholds, symbol: string) => `${symbol}\u0000${t.varTimeframe}\u0000${t.varLookback}`;

/**
 * Reads, before the batch's first decision, what its entry decisions will read per symbol (the
 * Kelly sample, the VaR closes, the panic snapshots), one statement per kind instead of one per
 * symbol. The same rows the decisions would read themselves in the same transaction: a decision
 * that changes one of them (an exit adds trades) drops it from the cache and it is read again.
 */
export async function prefetchDecisionInputs(ctx: BatchContext, items: readonly DecisionItem[]): Promise<void> {
	const trades = new Map<string, { strategy: string; symbol: string; limit: number }>();
	const closes = new Map<string, { symbol: string; timeframe: string; limit: number; beforeMs: number }>();
	const currencies = new Set<string>();
	for (const item of items) {
		const n = item.normalized;
		if (item.intakeRejection !== null || n === null || n.intent !== 'open' || ctx.decisions.has(item.alertId)) continue;
		const t = item.thresholds;
		const tk = tradesKey(t, n.symbol);
		if (item.kelly === undefined && !ctx.trades.has(tk)) trades.set(tk, { strategy: t.strategy, symbol: n.symbol, limit: t.kellyWindow });
		const ck = closesKey(t, n.symbol);
		if (!ctx.closes.has(ck)) closes.set(ck, { symbol: n.symbol, timeframe: t.varTimeframe, limit: t.varLookback, beforeMs: ctx.nowMs });
		currencies.add(n.base.toUpperCase());
	}
	if (trades.size > 0) {
		const rows = await ctx.st.recentTradesOf([...trades.values()]);
		[...trades.keys()].forEach((key, k) => ctx.trades.set(key, rows[k]!));
	}
	if (closes.size > 0) {
		const rows = await ctx.st.recentClosesOf([...closes.values()]);
		[...closes.keys()].forEach((key, k) => ctx.closes.set(key, rows[k]!));
	}
	const panic = panicCacheOf(ctx);
	const unread = [...currencies, '*'].filter((c) => !panic.has(c));
	if (currencies.size > 0 && unread.length > 0) for (const [currency, snapshot] of await ctx.st.latestPanicSnapshots(unread, ctx.nowMs)) panic.set(currency, snapshot);
}

async function kellyFor(ctx: BatchContext, t: Thresholds, symbol: string): Promise<KellyBlock> {
	const key = tradesKey(t, symbol);
	let trades = ctx.trades.get(key);
	if (trades === undefined) {
		trades = await ctx.st.recentTrades(t.strategy, symbol, t.kellyWindow);
		ctx.trades.set(key, trades);
	}
	return kellyBlockOf(trades, t);
}

async function closesFor(ctx: BatchContext, t: Thresholds, symbol: string): Promise<number[]> {
	const key = closesKey(t, symbol);
	let closes = ctx.closes.get(key);
	if (closes === undefined) {
		closes = await ctx.st.recentCloses(symbol, t.varTimeframe, t.varLookback, ctx.nowMs);
		ctx.closes.set(key, closes);
	}
	return closes;
}

async function markOf(ctx: BatchContext, symbol: string): Promise<number | null> {
	if (!ctx.marks.has(symbol)) ctx.marks.set(symbol, await ctx.st.latestClose(symbol));
	return ctx.marks.get(symbol) ?? null;
}

function positive(value: number, name: string): number {
	if (!Number.isFinite(value) || value <= 0) throw new InvalidInputError(`${name} must be a positive number`, [name]);
	return value;
}

async function decideEntry(
	ctx: BatchContext,
	item: DecisionItem,
	n: NormalizedAlert,
	signal: Signal,
	state: AccountState,
	common: Record<string, unknown>,
	remember: Remember,
): Promise<DecidedItem> {
	const { p, st, nowMs } = ctx;
	const t = item.thresholds;
	const symbol = n.symbol;
	const kelly = item.kelly ?? (await kellyFor(ctx, t, symbol));
	const varBlock = varBlockOf(await closesFor(ctx, t, symbol), t, symbol);
	const llm = item.llm ?? llmBlockWithoutLlm(p.settings, t, kelly);
	const panic = await panicBlockFor(st, panicCacheOf(ctx), n.base, nowMs, t);

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
			operatorHalt: state.operatorHalt,
			candidate: { symbol, entry, stop: Math.max(0, stop), target, positionRatio: size.positionRatio, quantity: size.quantity },
			varPerPositionRatio: varBlock.var_ratio,
			panicScore: panic.score,
		},
		riskGateConfigsOf(t),
	);
	const haltUntilMs = evaluation.haltUntilMs;
	if (haltUntilMs !== null) await st.setRiskState(HALT_UNTIL_KEY, String(haltUntilMs), nowMs);

	let status = evaluation.status;
	let reasonCode: string = evaluation.reasonCode ?? (status === 'approved' ? 'approved' : 'rejected');
	let reason = evaluation.reason;
	let live: unknown = null;
	let liveGate: ReceiptGate | null = null;
	let liveQuantity = 0;
	if (status === 'approved' && p.config.mode === 'LIVE') {
		const override = p.settings.liveAllowFailingBacktest;
		const permission = item.livePermission ?? (await liveTradingPermission({ storage: p.storage, strategy: t.strategy, symbol, overrideFailingBacktest: override }));
		live = { ...permission, override, order_placed: false };
		liveGate = { name: 'liveBacktest', passed: permission.allowed, value: null, limit: null, detail: permission.reason, reason_code: permission.reason_code };
		const sizing = permission.allowed ? liveOrderQuantity(item.liveRules, evaluation.quantity, entry) : null;
		if (!permission.allowed) {
			status = 'rejected';
			reasonCode = 'live_not_permitted';
			reason = permission.reason;
		} else if (sizing !== null && 'reasonCode' in sizing) {
			status = 'rejected';
			reasonCode = sizing.reasonCode;
			reason = sizing.reason;
		} else if (sizing !== null) liveQuantity = sizing.quantity;
	}
	const gates = [...item.intakeGates, ...evaluation.results.map(riskGateToReceipt), ...(liveGate ? [liveGate] : [])];
	const varGate = gates.find((g) => g.name === 'varBudget');
	if (varGate && varGate.value === null && varBlock.var_ratio === null) varGate.detail = `${varGate.detail} (${varBlock.note})`;
	const panicGate = gates.find((g) => g.name === 'panicSwitch');
	if (panicGate && panic.score === null) panicGate.detail = `${panicGate.detail} (${panic.note})`;
	const approved = status === 'approved';
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
			position_pct: approved && state.equity > 0 ? (100 * evaluation.notional) / state.equity : 0,
			position_ratio: approved && state.equity > 0 ? evaluation.notional / state.equity : 0,
			quantity: approved ? evaluation.quantity : 0,
			notional: approved ? evaluation.notional : 0,
			requested_quantity: evaluation.requestedQuantity,
			requested_position_pct: size.positionPct,
			resized: evaluation.resized,
			risk_to_stop_ratio: approved && state.equity > 0 ? (evaluation.quantity * Math.max(0, entry - stop)) / state.equity : 0,
		},
		kelly,
		var: varBlock,
		panic,
		llm,
		account: accountBlock(state),
		gates,
		live,
		execution: null,
	};
	// An approval's receipt is written once, after the fill it names.
	const rejectedText = approved ? null : stringifyReceipt(receipt);
	const inserted = await st.insertDecision({ signalId: signal.id, alertId: signal.alertId, status, reasonCode, symbol, receiptJson: rejectedText?.json ?? '{}', createdAt: nowMs });
	if (!inserted.inserted) return remember({ decision: inserted.decision, duplicate: true });
	let decision = inserted.decision;
	const equityBefore = state.equity;
	const afterHalt = () => {
		if (haltUntilMs !== null && haltUntilMs > nowMs) state.haltUntilMs = haltUntilMs;
		ctx.snapshots.push({ takenAt: nowMs, equity: equityBefore });
	};
	if (rejectedText !== null) return remember({ decision, duplicate: false, receipt, receiptText: rejectedText }, afterHalt);
	if (p.config.mode === 'LIVE') {
		// LIVE: the order row commits with the decision; pipeline/liveExecution sends it after the commit.
		const liveOrder = await recordLiveEntry(ctx, { decisionId: decision.id, alertId: signal.alertId, strategy: t.strategy, symbol, quantity: liveQuantity, price: entry, stop: n.stop ?? null, target: n.target ?? null, timeStopMs: t.timeStopMs });
		receipt.execution = liveExecutionBlock(liveOrder);
		const liveText = stringifyReceipt(receipt);
		await st.setReceipt(decision.id, liveText.json);
		const reserved = liveQuantity * entry * (1 + t.feeRatio);
		// Until the fill is booked (after the commit), the batch's later decisions see the order as a
		// position at the entry (negative id: not yet in the ledger), so cash, heat and per-asset caps hold.
		const pending: PaperPosition = { id: -liveOrder.id, strategy: t.strategy, symbol, quantity: liveQuantity, entryPrice: entry, stopPrice: n.stop ?? null, targetPrice: n.target ?? null, fees: 0, openedAt: nowMs, closedAt: null, exitPrice: null, exitReason: null, realizedPnl: null, status: 'open', decisionId: decision.id, timeStopMs: t.timeStopMs, checkedUntil: null };
		return remember({ decision: { ...decision, receiptJson: liveText.json }, duplicate: false, receipt, receiptText: liveText, liveOrder }, () => {
			afterHalt();
			state.cash -= reserved;
			state.positions.push(markedPosition(pending, null));
			state.equity = equityOf(state.cash, state.positions);
		});
	}

	// PAPER fill: order, fill, cash −(price × quantity + fee), position (paper ledger rules).
	const quantity = positive(evaluation.quantity, 'quantity');
	const price = positive(entry, 'price');
	const fee = price * quantity * t.feeRatio;
	const cost = price * quantity + fee;
	if (cost > state.cash + CASH_EPSILON) throw new InvalidInputError(`paper cash ${state.cash} does not cover ${cost} for ${quantity} ${symbol} at ${price}`, ['quantity']);
	const { orderId, fillId } = await st.insertFilledOrder({ decisionId: decision.id, symbol, side: 'buy', quantity, price, fee, at: nowMs });
	await st.insertCash(-cost, 'buy', `fill:${fillId}`, nowMs);
	const row: Omit<PaperPosition, 'id'> = {
		strategy: t.strategy,
		symbol,
		quantity,
		entryPrice: price,
		stopPrice: n.stop ?? null,
		targetPrice: n.target ?? null,
		fees: fee,
		openedAt: nowMs,
		closedAt: null,
		exitPrice: null,
		exitReason: null,
		realizedPnl: null,
		status: 'open',
		decisionId: decision.id,
		timeStopMs: t.timeStopMs,
		checkedUntil: null,
	};
	const positionId = await st.insertPosition(row);
	const mark = await markOf(ctx, symbol);
	receipt.execution = { broker: 'paper', position_id: positionId, order_id: orderId, fill_id: fillId, fill_price: price, quantity, fee };
	const receiptText = stringifyReceipt(receipt);
	await st.setReceipt(decision.id, receiptText.json);
	decision = { ...decision, receiptJson: receiptText.json };
	return remember({ decision, duplicate: false, receipt, receiptText }, () => {
		afterHalt();
		state.cash -= cost;
		state.positions.push(markedPosition({ id: positionId, ...row }, mark));
		state.equity = equityOf(state.cash, state.positions);
	});
}

/** A sell/exit alert: close this strategy's open positions in the symbol at the alert's close. */
async function decideExit(
	ctx: BatchContext,
	item: DecisionItem,
	n: NormalizedAlert,
	signal: Signal,
	state: AccountState,
	common: Record<string, unknown>,
	remember: Remember,
): Promise<DecidedItem> {
	const { p, st, nowMs } = ctx;
	const t = item.thresholds;
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
		gates: item.intakeGates,
		account: accountBlock(state),
		closed: [] as unknown[],
		execution: null,
	};
	const closes = mine.length > 0 && p.config.mode !== 'LIVE';
	const openText = closes ? null : stringifyReceipt(receipt);
	const inserted = await st.insertDecision({ signalId: signal.id, alertId: signal.alertId, status, reasonCode, symbol: n.symbol, receiptJson: openText?.json ?? '{}', createdAt: nowMs });
	if (!inserted.inserted) return remember({ decision: inserted.decision, duplicate: true });
	// LIVE: the positions are closed on the exchange after the commit (pipeline/liveExecution), not here.
	const liveExits = p.config.mode === 'LIVE' && mine.length > 0 ? mine.map((pos) => pos.row.id).filter((id) => id > 0) : undefined;
	if (openText !== null) return remember({ decision: inserted.decision, duplicate: false, receipt, receiptText: openText, ...(liveExits && { liveExits }) });
	const price = positive(n.close, 'price');
	let proceeds = 0;
	for (const pos of mine) {
		const open = pos.row;
		const fee = price * open.quantity * t.feeRatio;
		const { fillId } = await st.insertFilledOrder({ decisionId: open.decisionId, symbol: open.symbol, side: 'sell', quantity: open.quantity, price, fee, at: nowMs });
		await st.insertCash(price * open.quantity - fee, 'sell', `fill:${fillId}`, nowMs);
		proceeds += price * open.quantity - fee;
		const fees = open.fees + fee;
		const pnl = (price - open.entryPrice) * open.quantity - fees;
		if (!(await st.closePosition(open.id, { closedAt: nowMs, exitPrice: price, exitReason: 'signal_exit', realizedPnl: pnl, fees }))) {
			throw new InvalidInputError(`paper position ${open.id} is not open`, ['positionId']);
		}
		const returnRatio = pnl / (open.entryPrice * open.quantity);
		const tradeId = await st.insertTrade({
			strategy: open.strategy,
			symbol: open.symbol,
			mode: 'PAPER',
			entryTime: open.openedAt,
			entryPrice: open.entryPrice,
			exitTime: nowMs,
			exitPrice: price,
			exitReason: 'signal_exit',
			quantity: open.quantity,
			pnl,
			returnRatio,
			fees,
		});
		(receipt.closed as unknown[]).push({ position_id: open.id, trade_id: tradeId, exit_price: n.close, pnl, return_ratio: returnRatio });
	}
	const receiptText = stringifyReceipt(receipt);
	await st.setReceipt(inserted.decision.id, receiptText.json);
	return remember({ decision: { ...inserted.decision, receiptJson: receiptText.json }, duplicate: false, receipt, receiptText }, () => {
		const closed = new Set(mine);
		state.positions = state.positions.filter((pos) => !closed.has(pos));
		state.cash += proceeds;
		state.equity = equityOf(state.cash, state.positions);
		// The closed trades join the strategy's Kelly sample for this symbol.
		for (const key of [...ctx.trades.keys()]) if (key.startsWith(`${t.strategy}\u0000${n.symbol}\u0000`)) ctx.trades.delete(key);
	});
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
