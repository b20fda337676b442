/**
 * @module desk/deskStatus
 * What the operator sees first (`GET /v1/desk`, `/status`, `/pnl`, `/positions`): the mode, whether
 * the desk is halted (since when, by whom), every open paper position marked to the latest price,
 * and today's P&L:
 * - realised = Σ net P&L of the trades closed since 00:00 UTC (trade log, fees included);
 * - unrealised = Σ (mark − entry) × quantity − entry fees of the open positions;
 * - equity change = equity now − equity at 00:00 UTC (the daily drawdown's reference), and its ratio.
 * Marks: the latest stored candle close, else the entry price (`mark_source: "entry"`).
 */
import { ensurePaperAccount, loadAccountState, utcMidnight } from '../pipeline/accountState.js';
import type { Pipeline } from '../pipeline/createPipeline.js';

export interface DeskPosition {
	position_id: number;
	strategy: string;
	symbol: string;
	quantity: number;
	entry_price: number;
	stop_price: number | null;
	target_price: number | null;
	mark_price: number;
	mark_source: 'candle' | 'entry';
	unrealized_pnl: number;
	opened_at: string;
}

export interface DeskStatus {
	mode: 'PAPER' | 'LIVE';
	halted: boolean;
	halted_since: string | null;
	halted_by: string | null;
	halt_reason: string | null;
	/** The daily-drawdown halt (risk monitor), separate from the operator's. */
	drawdown_halt_until: string | null;
	open_positions: DeskPosition[];
	pnl_today: {
		day: string;
		realized: number;
		trades_closed: number;
		unrealized: number;
		equity: number;
		day_start_equity: number;
		equity_change: number;
		equity_change_ratio: number | null;
	};
	as_of: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function readDeskStatus(p: Pipeline): Promise<DeskStatus> {
	const nowMs = p.now();
	const storage = p.storage;
	// The starting deposit first: the day's first reading fixes the day-start equity.
	await ensurePaperAccount(storage, p.settings.paperInitialCash, nowMs);
	const [account, desk, trades] = [await loadAccountState(storage, nowMs), await storage.desk.get(), await storage.tradeLog.closedBetween(utcMidnight(nowMs), nowMs + 1)];
	const positions: DeskPosition[] = account.positions.map((pos) => ({
		position_id: pos.row.id,
		strategy: pos.row.strategy,
		symbol: pos.symbol,
		quantity: pos.quantity,
		entry_price: pos.entryPrice,
		stop_price: pos.row.stopPrice,
		target_price: pos.row.targetPrice,
		mark_price: pos.markPrice,
		mark_source: pos.markSource,
		unrealized_pnl: (pos.markPrice - pos.entryPrice) * pos.quantity - pos.row.fees,
		opened_at: new Date(pos.openedAtMs).toISOString(),
	}));
	const change = account.equity - account.dayStartEquity;
	return {
		mode: p.config.mode,
		halted: desk.halted,
		halted_since: iso(desk.sinceMs),
		halted_by: desk.by,
		halt_reason: desk.reason,
		drawdown_halt_until: iso(account.haltUntilMs),
		open_positions: positions,
		pnl_today: {
			day: new Date(nowMs).toISOString().slice(0, 10),
			realized: trades.reduce((s, t) => s + t.pnl, 0),
			trades_closed: trades.length,
			unrealized: positions.reduce((s, pos) => s + pos.unrealized_pnl, 0),
			equity: account.equity,
			day_start_equity: account.dayStartEquity,
			equity_change: change,
			equity_change_ratio: account.dayStartEquity > 0 ? change / account.dayStartEquity : null,
		},
		as_of: new Date(nowMs).toISOString(),
	};
}
