/**
 * @module desk/dailyReport
 * The operator's daily report (`GET /v1/reports/daily`, the daily-report workflow): for one UTC day
 * (today by default, up to now),
 * - P&L: realised = Σ net P&L of the trades closed that day (trade log), with wins and losses;
 *   equity at 00:00 UTC (the drawdown reference) and at the end of the day (now for today: cash +
 *   open positions marked to the latest close; the last snapshot of the day for a past day);
 * - the open positions now (today only) with their unrealised P&L;
 * - gate hits: how often each gate refused that day's decisions (core/desk/countGateHits);
 * - the equity curve: the day's equity snapshots between the start and end equity;
 * - the desk's halt state and the operator actions of the day (desk_events);
 * - `text`: all of it as a plain-text Telegram message.
 * `renderDailyEquityPng` draws the curve (report/renderEquityPng) for `…/daily/equity.png`.
 */
import { countGateHits, type GateHits } from '../core/desk/countGateHits.js';
import { InvalidInputError } from '../errors.js';
import { dayStartKey } from '../pipeline/accountState.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { renderEquityPng } from '../report/renderEquityPng.js';
import { haltLine } from './deskReplies.js';
import { readDeskStatus, type DeskPosition } from './deskStatus.js';

const DAY_MS = 86_400_000;

export interface DailyReport {
	date: string;
	from: string;
	to: string;
	mode: 'PAPER' | 'LIVE';
	halted: boolean;
	halted_since: string | null;
	halted_by: string | null;
	pnl: {
		realized: number;
		trades_closed: number;
		wins: number;
		losses: number;
		unrealized: number | null;
		equity_start: number;
		equity_end: number;
		equity_change: number;
		equity_change_ratio: number | null;
	};
	open_positions: DeskPosition[] | null;
	gate_hits: GateHits;
	equity_curve: { at: string; equity: number }[];
	operator_actions: { at: string; action: string; actor: string }[];
	text: string;
}

/** The UTC day `date` (YYYY-MM-DD) or today's, as [start, end) in Unix ms; refuses future days. */
export function reportDay(date: string | undefined, nowMs: number): { startMs: number; endMs: number; today: boolean } {
	const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
	if (date === undefined) return { startMs: todayStart, endMs: nowMs + 1, today: true };
	const startMs = Date.parse(`${date}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(startMs)) throw new InvalidInputError('date must be a day as YYYY-MM-DD (UTC)', ['query', 'date']);
	if (startMs > todayStart) throw new InvalidInputError(`date ${date} is in the future`, ['query', 'date']);
	return startMs === todayStart ? { startMs, endMs: nowMs + 1, today: true } : { startMs, endMs: startMs + DAY_MS, today: false };
}

export async function readDailyReport(p: Pipeline, o: { date?: string } = {}): Promise<DailyReport> {
	const nowMs = p.now();
	const { startMs, endMs, today } = reportDay(o.date, nowMs);
	const storage = p.storage;
	const status = await readDeskStatus(p);
	const trades = await storage.tradeLog.closedBetween(startMs, endMs);
	const decisions = await storage.db
		.selectFrom('decisions')
		.select(['status', 'reasonCode', 'receiptJson'])
		.where('createdAt', '>=', startMs)
		.where('createdAt', '<', endMs)
		.execute();
	const snapshots = await storage.equitySnapshots.between(startMs, endMs);
	const storedStart = await storage.riskState.get(dayStartKey(startMs));
	const equityStart = storedStart !== null && Number.isFinite(Number(storedStart.value))
		? Number(storedStart.value)
		: (await storage.equitySnapshots.latestAtOrBefore(startMs))?.equity ?? snapshots[0]?.equity ?? status.pnl_today.equity;
	const equityEnd = today ? status.pnl_today.equity : snapshots.at(-1)?.equity ?? equityStart;
	const curve = [
		{ at: startMs, equity: equityStart },
		...snapshots.map((s) => ({ at: s.takenAt, equity: s.equity })),
		{ at: today ? nowMs : endMs - 1, equity: equityEnd },
	];
	const events = await storage.desk.events({ fromTime: startMs, toTime: endMs });
	const change = equityEnd - equityStart;
	const report: Omit<DailyReport, 'text'> = {
		date: new Date(startMs).toISOString().slice(0, 10),
		from: new Date(startMs).toISOString(),
		to: new Date(Math.min(endMs, nowMs)).toISOString(),
		mode: status.mode,
		halted: status.halted,
		halted_since: status.halted_since,
		halted_by: status.halted_by,
		pnl: {
			realized: trades.reduce((s, t) => s + t.pnl, 0),
			trades_closed: trades.length,
			wins: trades.filter((t) => t.pnl > 0).length,
			losses: trades.filter((t) => t.pnl < 0).length,
			unrealized: today ? status.pnl_today.unrealized : null,
			equity_start: equityStart,
			equity_end: equityEnd,
			equity_change: change,
			equity_change_ratio: equityStart > 0 ? change / equityStart : null,
		},
		open_positions: today ? status.open_positions : null,
		gate_hits: countGateHits(decisions),
		equity_curve: curve.map((c) => ({ at: new Date(c.at).toISOString(), equity: c.equity })),
		operator_actions: events.filter((e) => e.action !== 'command').map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, actor: e.actor })),
	};
	return { ...report, text: dailyReportText(report) };
}

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${money(Math.abs(n))}`;
const pct = (r: number | null) => (r === null ? 'n/a' : `${r >= 0 ? '+' : '−'}${Math.abs(r * 100).toFixed(2)} %`);

export function dailyReportText(r: Omit<DailyReport, 'text'>): string {
	const lines = [
		`📊 Daily report ${r.date} (UTC) · ${r.mode} · ${haltLine(r)}`,
		`Equity ${money(r.pnl.equity_start)} → ${money(r.pnl.equity_end)} (${signed(r.pnl.equity_change)}, ${pct(r.pnl.equity_change_ratio)})`,
		`Realised ${signed(r.pnl.realized)} from ${r.pnl.trades_closed} trade${r.pnl.trades_closed === 1 ? '' : 's'} (${r.pnl.wins} won, ${r.pnl.losses} lost)` +
			(r.pnl.unrealized === null ? '' : ` · unrealised ${signed(r.pnl.unrealized)}`),
	];
	if (r.open_positions !== null) {
		lines.push(r.open_positions.length === 0 ? 'Open positions: none' : `Open positions (${r.open_positions.length}):`);
		for (const x of r.open_positions) lines.push(`  ${x.symbol} @ ${x.entry_price} → ${x.mark_price}: ${signed(x.unrealized_pnl)}`);
	}
	const g = r.gate_hits;
	lines.push(`Decisions: ${g.decisions} (${g.approved} approved, ${g.rejected} rejected)`);
	const hits = Object.entries(g.by_gate);
	if (hits.length > 0) lines.push(`Gate hits: ${hits.map(([name, n]) => `${name} ${n}`).join(', ')}`);
	for (const a of r.operator_actions) lines.push(`Operator: ${a.action} by ${a.actor} at ${a.at.slice(11, 16)} UTC`);
	return lines.join('\n');
}

export function renderDailyEquityPng(r: DailyReport): Buffer {
	return renderEquityPng({
		equity: r.equity_curve.map((c) => c.equity),
		times: r.equity_curve.map((c) => Date.parse(c.at)),
		initialCapital: r.pnl.equity_start,
		title: `Equity ${r.date} (UTC)`,
		subtitle: `${money(r.pnl.equity_start)} -> ${money(r.pnl.equity_end)} (${r.pnl.equity_change >= 0 ? '+' : '-'}${money(Math.abs(r.pnl.equity_change))}), realised ${r.pnl.realized >= 0 ? '+' : '-'}${money(Math.abs(r.pnl.realized))} from ${r.pnl.trades_closed} trades`,
		width: 900,
		height: 420,
	});
}
