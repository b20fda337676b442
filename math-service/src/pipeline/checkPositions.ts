/**
 * @module pipeline/checkPositions
 * The risk monitor (every 10 s from n8n): closes open paper positions at their stop, target or time
 * stop, marks the account to market, and halts new entries when the day's loss reaches the limit.
 *
 * Exits fill the way the backtester fills them, never better (core/positions/paperExitFromCandles):
 * every closed candle since the last check (`checked_until`) is examined, high and low, so a wick
 * through the stop between two checks is not missed; a target fills at the target (or at the open
 * of a candle that gaps through it); a stop at `stop × (1 − slippage)` (or at the gapped open × (1 −
 * slippage)); the time stop — the one stored with the position when it opened, else
 * `time_stop_hours` — at the next open, or at the latest price when no later candle exists yet.
 * With no stored candle for the symbol, the price alone decides (the request's `prices[symbol]`):
 * price ≤ stop → exit at `price × (1 − slippage)`; price ≥ target → exit at the target (a limit
 * order never fills above its price); past the time stop → `price × (1 − slippage)`.
 * No candle and no price → left open and listed under `skipped`.
 *
 * Then equity (cash + positions marked to the request price or the latest close) is compared with
 * the 00:00 UTC equity (booked before this tick's exits, pipeline/bookDayStartEquity): at or below −`max_daily_drawdown_ratio` a halt of `halt_hours` starts (the
 * dailyDrawdownHalt gate's rule, applied to unrealised losses too) and is reported as `halt`.
 * Each exit writes the trade-log row (pnl net of fees, return_ratio) that feeds the Kelly stats.
 */
import { DEFAULT_BROKER_OPTIONS } from '../core/backtest/brokerOptions.js';
import { paperExitFromCandles, type PaperExitReason } from '../core/positions/paperExitFromCandles.js';
import type { LiveExitVia } from '../core/positions/riskMonitorEvents.js';
import type { Pipeline } from './createPipeline.js';
import { HALT_UNTIL_KEY, latestClose, loadAccountState } from './accountState.js';
import { bookDayStartEquity } from './bookDayStartEquity.js';
import { closeIfLive, settleStaleLiveOrders } from './liveExecution.js';
import type { Thresholds } from './thresholds.js';

export interface CheckPositionsInput {
	nowMs?: number;
	prices?: Record<string, number>;
	thresholds: Thresholds;
	/** Candles examined: exchange and timeframe (default binance 1m). */
	exchange?: string;
	timeframe?: string;
	timeframeMs?: number;
	/** Adverse slippage on stop and market exits (default the backtester's 2 bps). */
	slippageRatio?: number;
}

export interface ClosedPosition {
	position_id: number;
	symbol: string;
	strategy: string;
	exit_reason: PaperExitReason;
	entry_price: number;
	exit_price: number;
	quantity: number;
	pnl: number;
	return_ratio: number;
	fees: number;
	trade_id: number;
	held_hours: number;
	/** What decided the exit: the candles since the last check, or the price alone. */
	fill_basis: 'candles' | 'price';
	/** When it filled (the candle's open time, or the check time), ISO. */
	exit_time: string;
	/** A LIVE position: how the exchange closed it; null for paper. */
	live_via: LiveExitVia | null;
}

export interface CheckPositionsResult {
	checked_at: string;
	checked: number;
	closed: ClosedPosition[];
	still_open: { position_id: number; symbol: string; price: number; price_source: 'request' | 'candle'; age_hours: number }[];
	skipped: { position_id: number; symbol: string; reason: string }[];
	/** Marked-to-market equity after the exits, and today's return against the 00:00 UTC equity. */
	equity: number | null;
	day_return_ratio: number | null;
	/** Set when this check started a daily-drawdown halt. */
	halt: { halt_until: string; day_return_ratio: number; limit: number } | null;
}

export async function checkPositions(p: Pipeline, input: CheckPositionsInput): Promise<CheckPositionsResult> {
	const storage = p.storage;
	const prices = input.prices ?? {};
	const t = input.thresholds;
	const exchange = input.exchange ?? 'binance';
	const timeframe = input.timeframe ?? '1m';
	const tf = input.timeframeMs ?? 60_000;
	const slip = input.slippageRatio ?? DEFAULT_BROKER_OPTIONS.slippageRatio;
	await settleStaleLiveOrders(p); // LIVE: an order whose answer was lost is booked before the check
	return p.serialize(() =>
		storage.transaction(async (tx) => {
			const nowMs = input.nowMs ?? p.now();
			await bookDayStartEquity(tx, nowMs, p.settings.paperInitialCash);
			const open = await tx.paperLedger.openPositions();
			const broker = p.paperBroker(t.feeRatio);
			const result: CheckPositionsResult = {
				checked_at: new Date(nowMs).toISOString(),
				checked: open.length,
				closed: [],
				still_open: [],
				skipped: [],
				equity: null,
				day_return_ratio: null,
				halt: null,
			};
			// Per symbol, once per tick: the latest close and the candles since the earliest position's last check.
			const closes = new Map<string, Promise<number | null>>();
			const earliest = new Map<string, number>();
			for (const pos of open) {
				const from = pos.checkedUntil ?? Math.floor(pos.openedAt / tf) * tf;
				earliest.set(pos.symbol, Math.min(from, earliest.get(pos.symbol) ?? from));
			}
			const bySymbol = new Map<string, Promise<Awaited<ReturnType<typeof tx.candles.range>>>>();
			const candlesOf = (symbol: string) => {
				let got = bySymbol.get(symbol);
				if (got === undefined) bySymbol.set(symbol, (got = tx.candles.range({ exchange, symbol, timeframe }, earliest.get(symbol)!, nowMs)));
				return got;
			};
			const checkedUntil = new Map<number, number[]>();
			for (const pos of open) {
				const fromRequest = prices[pos.symbol];
				if (fromRequest === undefined && !closes.has(pos.symbol)) closes.set(pos.symbol, latestClose(tx, pos.symbol));
				const stored = fromRequest === undefined ? await closes.get(pos.symbol)! : null;
				const price = fromRequest ?? stored;
				const timeStopMs = pos.timeStopMs ?? t.timeStopMs;
				const ageMs = nowMs - pos.openedAt;
				const from = pos.checkedUntil ?? Math.floor(pos.openedAt / tf) * tf;
				const candles = (await candlesOf(pos.symbol)).filter((c) => c.openTime >= from && c.openTime + tf <= nowMs);

				let exit: { reason: PaperExitReason; price: number; atMs: number; basis: 'candles' | 'price' } | null = null;
				if (candles.length > 0) {
					const e = paperExitFromCandles(
						{ openedAtMs: pos.openedAt, stopPrice: pos.stopPrice, targetPrice: pos.targetPrice, timeStopMs },
						candles,
						{ timeframeMs: tf, slippageRatio: slip, nowMs, markPrice: price !== null && price > 0 ? price : null },
					);
					if (e) exit = { ...e, basis: 'candles' };
					else {
						const until = candles[candles.length - 1]!.openTime + tf;
						checkedUntil.set(until, [...(checkedUntil.get(until) ?? []), pos.id]);
					}
				} else if (price !== null && Number.isFinite(price) && price > 0) {
					if (pos.stopPrice !== null && price <= pos.stopPrice) exit = { reason: 'stop', price: price * (1 - slip), atMs: nowMs, basis: 'price' };
					else if (pos.targetPrice !== null && price >= pos.targetPrice) exit = { reason: 'target', price: pos.targetPrice, atMs: nowMs, basis: 'price' };
					else if (ageMs >= timeStopMs) exit = { reason: 'time_stop', price: price * (1 - slip), atMs: nowMs, basis: 'price' };
				} else {
					result.skipped.push({ position_id: pos.id, symbol: pos.symbol, reason: 'no price: none in the request and no stored candle' });
					continue;
				}

				if (exit === null) {
					if (price !== null && Number.isFinite(price) && price > 0) {
						result.still_open.push({ position_id: pos.id, symbol: pos.symbol, price, price_source: fromRequest !== undefined ? 'request' : 'candle', age_hours: ageMs / 3_600_000 });
					} else {
						result.skipped.push({ position_id: pos.id, symbol: pos.symbol, reason: 'no price to mark it: none in the request and no stored candle close' });
					}
					continue;
				}
				// A LIVE position closes on the exchange (pipeline/liveExecution): the OCO leg that filled, or a market sell.
				const live = await closeIfLive(p, tx, pos.id, exit.reason, exit.atMs);
				if (live === 'not_armed') {
					result.skipped.push({ position_id: pos.id, symbol: pos.symbol, reason: `LIVE position due to close (${exit.reason}) but LIVE is not armed in this process: close it on the exchange` });
					continue;
				}
				const fill = live ?? (await broker.closeLong(tx, { positionId: pos.id, price: exit.price, exitReason: exit.reason, atMs: exit.atMs }));
				result.closed.push({
					position_id: pos.id,
					symbol: pos.symbol,
					strategy: pos.strategy,
					exit_reason: fill.trade.exitReason as PaperExitReason,
					entry_price: pos.entryPrice,
					exit_price: fill.trade.exitPrice,
					quantity: pos.quantity,
					pnl: fill.trade.pnl,
					return_ratio: fill.trade.returnRatio,
					fees: fill.trade.fees,
					trade_id: fill.trade.id,
					held_hours: (exit.atMs - pos.openedAt) / 3_600_000,
					fill_basis: exit.basis,
					exit_time: new Date(exit.atMs).toISOString(),
					live_via: live?.via ?? null,
				});
			}

			for (const [until, ids] of checkedUntil) await tx.paperLedger.setCheckedUntilMany(ids, until);
			const after = await loadAccountState(tx, nowMs, prices);
			result.equity = after.equity;
			const dayReturn = after.dayStartEquity > 0 ? after.equity / after.dayStartEquity - 1 : null;
			result.day_return_ratio = dayReturn;
			if (open.length > 0) await tx.equitySnapshots.record({ takenAt: nowMs, equity: after.equity });
			if (dayReturn !== null && after.haltUntilMs === null && dayReturn <= -t.maxDailyDrawdownRatio) {
				const haltUntil = nowMs + t.haltMs;
				await tx.riskState.set(HALT_UNTIL_KEY, String(haltUntil), nowMs);
				result.halt = { halt_until: new Date(haltUntil).toISOString(), day_return_ratio: dayReturn, limit: -t.maxDailyDrawdownRatio };
			}
			return result;
		}),
	);
}
