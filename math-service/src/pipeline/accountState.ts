/**
 * @module pipeline/accountState
 * The paper account as the risk gates see it, read from storage at one instant:
 * - cash = Σ paper cash movements (the ledger; the starting deposit is booked once);
 * - each open position marked at the latest stored candle close of its symbol (any exchange or
 *   timeframe), or at its entry price when no candle is stored;
 * - equity = cash + Σ quantity × mark (mark-to-market, realised and unrealised P&L included);
 * - day-start equity: the equity at 00:00 UTC of `nowMs`'s day, kept in risk_state under
 *   `day_start_equity:YYYY-MM-DD`. The first reading of a day sets it from the latest equity
 *   snapshot taken at or before midnight, or, when there is none, from the current equity;
 * - halt: risk_state `halt_until` (Unix ms) while it lies in the future;
 * - operator halt: the kill switch in desk_state (who halted, since when), null while trading.
 */
import type { OpenPosition } from '../core/risk/RiskGate.js';
import type { Repositories } from '../storage/openStorage.js';
import type { DecisionStatements } from '../storage/decisionStatements.js';
import type { PaperPosition } from '../storage/schema.js';

export const HALT_UNTIL_KEY = 'halt_until';
export const dayStartKey = (nowMs: number) => `day_start_equity:${new Date(nowMs).toISOString().slice(0, 10)}`;
export const utcMidnight = (nowMs: number) => Math.floor(nowMs / 86_400_000) * 86_400_000;

export interface MarkedPosition extends OpenPosition {
	row: PaperPosition;
	/** Where markPrice came from. */
	markSource: 'candle' | 'entry';
}

export interface AccountState {
	nowMs: number;
	cash: number;
	equity: number;
	dayStartEquity: number;
	haltUntilMs: number | null;
	/** The operator's kill switch (desk_state); null while trading. */
	operatorHalt: { sinceMs: number; by: string } | null;
	positions: MarkedPosition[];
}

/** The latest stored close of `symbol` (any exchange, any timeframe), or null. */
export async function latestClose(repos: Repositories, symbol: string): Promise<number | null> {
	const row = await repos.db
		.selectFrom('candles')
		.select(['close', 'openTime'])
		.where('symbol', '=', symbol)
		.orderBy('openTime', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row && Number.isFinite(row.close) && row.close > 0 ? row.close : null;
}

/** Books the paper account's starting deposit once (idempotent on reason + ref). */
export async function ensurePaperAccount(repos: Repositories, initialCash: number, nowMs: number): Promise<void> {
	const booked = await repos.db.selectFrom('paperCash').select('id').where('reason', '=', 'initial_deposit').limit(1).executeTakeFirst();
	if (booked === undefined) await repos.paperLedger.ensureInitialDeposit(initialCash, nowMs);
}

export async function loadAccountState(repos: Repositories, nowMs: number, prices: Record<string, number> = {}): Promise<AccountState> {
	const cash = await repos.paperLedger.cashBalance();
	const rows = await repos.paperLedger.openPositions();
	const marks = new Map<string, number | null>();
	const positions: MarkedPosition[] = [];
	for (const row of rows) {
		if (!marks.has(row.symbol)) marks.set(row.symbol, prices[row.symbol] ?? (await latestClose(repos, row.symbol)));
		const mark = marks.get(row.symbol) ?? null;
		positions.push({
			symbol: row.symbol,
			quantity: row.quantity,
			entryPrice: row.entryPrice,
			stopPrice: row.stopPrice,
			markPrice: mark ?? row.entryPrice,
			openedAtMs: row.openedAt,
			row,
			markSource: mark === null ? 'entry' : 'candle',
		});
	}
	const equity = cash + positions.reduce((sum, p) => sum + p.quantity * p.markPrice, 0);

	const key = dayStartKey(nowMs);
	const stored = await repos.riskState.get(key);
	let dayStartEquity = stored === null ? Number.NaN : Number(stored.value);
	if (!Number.isFinite(dayStartEquity)) {
		const snapshot = await repos.equitySnapshots.latestAtOrBefore(utcMidnight(nowMs));
		dayStartEquity = snapshot?.equity ?? equity;
		await repos.riskState.set(key, String(dayStartEquity), nowMs);
	}

	const halt = await repos.riskState.get(HALT_UNTIL_KEY);
	const haltValue = halt === null ? null : Number(halt.value);
	const haltUntilMs = haltValue !== null && Number.isFinite(haltValue) && haltValue > nowMs ? haltValue : null;
	const desk = await repos.desk.get();
	const operatorHalt = desk.halted ? { sinceMs: desk.sinceMs ?? 0, by: desk.by ?? 'operator' } : null;
	return { nowMs, cash, equity, dayStartEquity, haltUntilMs, operatorHalt, positions };
}

/** Exposure (Σ quantity × mark) over equity; 0 when flat, null when equity ≤ 0. */
export function heatRatio(state: AccountState): number | null {
	if (state.equity <= 0) return null;
	return state.positions.reduce((s, p) => s + p.quantity * p.markPrice, 0) / state.equity;
}

/** Takes an exclusive row lock that serialises decisions across processes (MySQL: row lock until commit). */
export async function lockDecisions(repos: Repositories, nowMs: number): Promise<void> {
	await repos.riskState.set('decision_lock', String(nowMs), nowMs);
}

/** Reads `limit + 1` closes of `symbol` at `timeframe`, newest first (for VaR returns). */
export async function recentCloses(repos: Repositories, symbol: string, timeframe: string, limit: number, beforeMs: number): Promise<number[]> {
	const rows = await repos.db
		.selectFrom('candles')
		.select('close')
		.where('symbol', '=', symbol)
		.where('timeframe', '=', timeframe)
		.where('openTime', '<=', beforeMs)
		.orderBy('openTime', 'desc')
		.limit(limit + 1)
		.execute();
	return rows.map((r) => r.close).reverse();
}

/**
 * The same reading as loadAccountState through the decision transaction's prepared statements
 * (pipeline/decisionBatch), with the starting deposit booked first. `marks` collects each symbol's
 * latest close (null: none stored) for the positions opened later in the same batch.
 */
export async function readAccountState(st: DecisionStatements, nowMs: number, initialCash: number, marks: Map<string, number | null>): Promise<AccountState> {
	await st.ensureInitialDeposit(initialCash, nowMs);
	const cash = await st.cashBalance();
	const rows = await st.openPositions();
	const unmarked = [...new Set(rows.map((r) => r.symbol))].filter((symbol) => !marks.has(symbol));
	if (unmarked.length > 0) for (const [symbol, close] of await st.latestCloses(unmarked)) marks.set(symbol, close);
	const positions = rows.map((row) => markedPosition(row, marks.get(row.symbol) ?? null));
	const equity = equityOf(cash, positions);
	const key = dayStartKey(nowMs);
	const stored = await st.riskState(key);
	let dayStartEquity = stored === null ? Number.NaN : Number(stored);
	if (!Number.isFinite(dayStartEquity)) {
		dayStartEquity = (await st.equityAtOrBefore(utcMidnight(nowMs))) ?? equity;
		await st.setRiskState(key, String(dayStartEquity), nowMs);
	}
	const halt = await st.riskState(HALT_UNTIL_KEY);
	const haltValue = halt === null ? null : Number(halt);
	const haltUntilMs = haltValue !== null && Number.isFinite(haltValue) && haltValue > nowMs ? haltValue : null;
	return { nowMs, cash, equity, dayStartEquity, haltUntilMs, operatorHalt: await st.operatorHalt(), positions };
}

/** A position as the gates see it, marked at `mark` (the latest close) or, without one, at entry. */
export function markedPosition(row: PaperPosition, mark: number | null): MarkedPosition {
	return {
		symbol: row.symbol,
		quantity: row.quantity,
		entryPrice: row.entryPrice,
		stopPrice: row.stopPrice,
		markPrice: mark ?? row.entryPrice,
		openedAtMs: row.openedAt,
		row,
		markSource: mark === null ? 'entry' : 'candle',
	};
}

/** Cash + Σ quantity × mark. */
export function equityOf(cash: number, positions: readonly MarkedPosition[]): number {
	return cash + positions.reduce((sum, p) => sum + p.quantity * p.markPrice, 0);
}
