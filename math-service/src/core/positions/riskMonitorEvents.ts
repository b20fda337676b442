/**
 * @module positions/riskMonitorEvents
 * What the risk monitor tells the desk after a tick: one event per closed position (stop, target or
 * time stop: symbol, fill price, P&L net of both fees) and one per daily-drawdown halt it started,
 * each with a ready plain-text Telegram `message`, so an n8n Telegram node can send it as is.
 * Pure: the tick's result in, events out (no clock; times come from the tick).
 */

export type RiskExitReason = 'stop' | 'target' | 'time_stop';

export interface ClosedForEvent {
	position_id: number;
	symbol: string;
	strategy: string;
	exit_reason: RiskExitReason;
	entry_price: number;
	exit_price: number;
	quantity: number;
	pnl: number;
	return_ratio: number;
	held_hours: number;
	exit_time: string;
	fill_basis: 'candles' | 'price';
	/** A LIVE position: how the exchange closed it (the OCO leg that filled, or the market sell); absent/null for paper. */
	live_via?: LiveExitVia | null;
}

export type LiveExitVia = 'market' | 'oco_stop' | 'oco_target';

export interface HaltForEvent {
	halt_until: string;
	day_return_ratio: number;
	limit: number;
}

export interface RiskMonitorCloseEvent {
	type: 'close';
	position_id: number;
	symbol: string;
	strategy: string;
	exit_reason: RiskExitReason;
	entry_price: number;
	fill_price: number;
	quantity: number;
	pnl: number;
	return_ratio: number;
	held_hours: number;
	exit_time: string;
	live_via: LiveExitVia | null;
	message: string;
}

export interface RiskMonitorHaltEvent {
	type: 'halt';
	halt_until: string;
	day_return_ratio: number;
	limit: number;
	equity: number | null;
	message: string;
}

export type RiskMonitorEvent = RiskMonitorCloseEvent | RiskMonitorHaltEvent;

const HEADLINE: Record<RiskExitReason, string> = {
	stop: '🛑 STOP',
	target: '🎯 TARGET',
	time_stop: '⏱ TIME STOP',
};

/** Thousands separators; 2 decimals from 1,000 up, 4 from 1, 6 significant digits below 1. */
export function formatPrice(x: number): string {
	if (!Number.isFinite(x)) return String(x);
	const abs = Math.abs(x);
	if (abs > 0 && abs < 1) return Number(x.toPrecision(6)).toString();
	const decimals = abs >= 1000 ? 2 : 4;
	const [int, frac] = Math.abs(x).toFixed(decimals).split('.') as [string, string];
	const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	const trimmed = abs >= 1000 ? frac : frac.replace(/0+$/, '').padEnd(2, '0');
	return `${x < 0 ? '−' : ''}${grouped}.${trimmed}`;
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
const pctOf = (ratio: number) => `${signed(ratio * 100, 2)}%`;
const quoteOf = (symbol: string) => symbol.split('/')[1] ?? '';
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const LIVE_VIA: Record<LiveExitVia, string> = {
	market: 'market sell on the exchange',
	oco_stop: 'the OCO stop filled on the exchange',
	oco_target: 'the OCO target filled on the exchange',
};

export function closeMessage(c: ClosedForEvent): string {
	const quote = quoteOf(c.symbol);
	const live = c.live_via ?? null;
	return [
		`${HEADLINE[c.exit_reason]} ${c.symbol} · ${live === null ? '📝 PAPER' : '🔴 LIVE'}`,
		`Filled ${formatPrice(c.exit_price)} (entry ${formatPrice(c.entry_price)}) · qty ${Number(c.quantity.toPrecision(6))}${live === null ? '' : ` · ${LIVE_VIA[live]}`}`,
		`P&L ${signed(c.pnl, 2)} ${quote} (${pctOf(c.return_ratio)}) · held ${c.held_hours.toFixed(1)} h`,
		`${c.strategy} · position ${c.position_id} · ${utc(c.exit_time)}`,
	].join('\n');
}

export function haltMessage(h: HaltForEvent, equity: number | null): string {
	return [
		'⛔ DAILY DRAWDOWN HALT',
		`Equity ${equity === null ? 'unknown' : formatPrice(equity)}, ${pctOf(h.day_return_ratio)} since 00:00 UTC (limit ${pctOf(h.limit)}, marked to market)`,
		`No new entries until ${utc(h.halt_until)}`,
	].join('\n');
}

/** One event per close, in the order they filled, then the halt (if this tick started one). */
export function riskMonitorEvents(closed: readonly ClosedForEvent[], halt: HaltForEvent | null, equity: number | null): RiskMonitorEvent[] {
	const events: RiskMonitorEvent[] = closed.map((c) => ({
		type: 'close',
		position_id: c.position_id,
		symbol: c.symbol,
		strategy: c.strategy,
		exit_reason: c.exit_reason,
		entry_price: c.entry_price,
		fill_price: c.exit_price,
		quantity: c.quantity,
		pnl: c.pnl,
		return_ratio: c.return_ratio,
		held_hours: c.held_hours,
		exit_time: c.exit_time,
		live_via: c.live_via ?? null,
		message: closeMessage(c),
	}));
	if (halt !== null) {
		events.push({ type: 'halt', halt_until: halt.halt_until, day_return_ratio: halt.day_return_ratio, limit: halt.limit, equity, message: haltMessage(halt, equity) });
	}
	return events;
}
