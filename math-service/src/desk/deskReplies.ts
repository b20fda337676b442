/**
 * @module desk/deskReplies
 * The operator's answers as plain Telegram text (no parse mode, so symbols and reasons need no
 * escaping). Money in the account currency with 2 decimals and an explicit sign for P&L; ratios as
 * percentages.
 */
import { OPERATOR_COMMANDS } from '../core/desk/parseOperatorCommand.js';
import type { CloseOutcome } from './closeOpenPosition.js';
import type { DeskStatus } from './deskStatus.js';
import type { HaltOutcome } from './haltDesk.js';

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${money(Math.abs(n))}`;
const pct = (r: number | null) => (r === null ? 'n/a' : `${r >= 0 ? '+' : '−'}${Math.abs(r * 100).toFixed(2)} %`);
const qty = (n: number) => Number(n.toPrecision(8)).toString();

export function haltLine(s: Pick<DeskStatus, 'halted' | 'halted_since' | 'halted_by'>): string {
	return s.halted ? `⛔ HALTED since ${s.halted_since} by ${s.halted_by}` : '▶️ trading';
}

export function statusReply(s: DeskStatus): string {
	const p = s.pnl_today;
	const lines = [
		`${s.mode === 'LIVE' ? '🔴 LIVE' : '📝 PAPER'} · ${haltLine(s)}`,
		...(s.drawdown_halt_until ? [`Daily drawdown halt until ${s.drawdown_halt_until}`] : []),
		`Equity ${money(p.equity)} (${pct(p.equity_change_ratio)} today)`,
		`Today: realised ${signed(p.realized)} (${p.trades_closed} trade${p.trades_closed === 1 ? '' : 's'}), unrealised ${signed(p.unrealized)}`,
		`Open positions: ${s.open_positions.length}${s.open_positions.length > 0 ? ` (${[...new Set(s.open_positions.map((x) => x.symbol))].join(', ')})` : ''}`,
	];
	return lines.join('\n');
}

export function pnlReply(s: DeskStatus): string {
	const p = s.pnl_today;
	return [
		`P&L ${p.day} (UTC)`,
		`Realised: ${signed(p.realized)} from ${p.trades_closed} closed trade${p.trades_closed === 1 ? '' : 's'}`,
		`Unrealised: ${signed(p.unrealized)} on ${s.open_positions.length} open position${s.open_positions.length === 1 ? '' : 's'}`,
		`Equity: ${money(p.day_start_equity)} → ${money(p.equity)} (${signed(p.equity_change)}, ${pct(p.equity_change_ratio)})`,
	].join('\n');
}

export function positionsReply(s: DeskStatus): string {
	if (s.open_positions.length === 0) return 'No open positions.';
	return [
		`Open positions (${s.open_positions.length}):`,
		...s.open_positions.map(
			(x) =>
				`#${x.position_id} ${x.symbol} ${qty(x.quantity)} @ ${x.entry_price} → ${x.mark_price}${x.mark_source === 'entry' ? ' (no price yet)' : ''}: ${signed(x.unrealized_pnl)}` +
				`${x.stop_price !== null ? ` · stop ${x.stop_price}` : ''}${x.target_price !== null ? ` · target ${x.target_price}` : ''}`,
		),
	].join('\n');
}

export function closeReply(c: CloseOutcome, what: string): string {
	const lines: string[] = [];
	if (c.closed.length === 0 && c.skipped.length === 0 && (c.live?.closed.length ?? 0) === 0 && (c.live?.failed.length ?? 0) === 0) lines.push(`No open position ${what}.`);
	for (const x of c.closed) {
		lines.push(`Closed #${x.position_id} ${x.symbol} ${qty(x.quantity)} @ ${Number(x.exit_price.toPrecision(10))}: ${signed(x.pnl)} (${pct(x.return_ratio)})`);
	}
	for (const x of c.live?.closed ?? []) {
		const how = x.via === 'market' ? 'LIVE market sell' : `LIVE: the ${x.via === 'oco_stop' ? 'stop' : 'target'} filled on the exchange first`;
		lines.push(`Closed #${x.position_id} ${x.symbol} ${qty(x.quantity)} @ ${Number(x.exit_price.toPrecision(10))}: ${signed(x.pnl)} (${pct(x.return_ratio)}) — ${how}`);
	}
	for (const x of [...c.skipped, ...(c.live?.failed ?? [])]) lines.push(`Not closed #${x.position_id} ${x.symbol}: ${x.reason}`);
	return lines.join('\n');
}

export function haltReply(h: HaltOutcome): string {
	const head = h.changed
		? `⛔ Desk halted by ${h.halted_by}: no new entries until /resume.`
		: `⛔ Already halted since ${h.halted_since} by ${h.halted_by}.`;
	if (h.flatten === null) return `${head}\nOpen positions keep their stops and targets; /halt flatten closes them.`;
	return `${head}\nFlatten:\n${closeReply(h.flatten, 'to close')}`;
}

export function resumeReply(r: { changed: boolean }): string {
	return r.changed ? '▶️ Desk resumed: new entries are decided again.' : '▶️ The desk was not halted; nothing changed.';
}

export function helpReply(): string {
	return ['HighFreqQuant desk commands:', ...OPERATOR_COMMANDS.map((c) => `${c.usage} — ${c.does}`)].join('\n');
}
