/**
 * @module positions/paperExitFromCandles
 * How the risk monitor closes a paper position: from every closed candle since the last check, with
 * exactly the backtester's fill rules (core/backtest/simulateLongTrades `findExit`), so paper results
 * are never better than the backtest promised:
 * - a wick through the stop or the target between two checks is not missed: each candle's high and
 *   low are examined in order;
 * - the target fills at the target price (a limit order), or at the open when a candle gaps above it;
 * - the stop fills at `stop × (1 − slippage)` (a stop becomes a market order), or at
 *   `open × (1 − slippage)` when a candle gaps below it;
 * - stop and target inside one candle: the one met first on the assumed path O→H→L→C or O→L→H→C
 *   (open nearer the high ⇒ high first) fills, the other is cancelled;
 * - the time stop is measured from the position's own opening time (`openedAtMs + timeStopMs`, stored
 *   with the position): once a candle closes at or after it, a market close fills at the next
 *   candle's open; when that candle does not exist yet (or the clock passed the time stop and candles
 *   lag behind), at the latest price now (`markPrice`), both with slippage.
 * The candles passed are those not examined before, starting with the candle that contains the
 * opening time (an alert at a bar's close opens at the next bar's open, as the backtester's entry bar).
 */
import { findExit, type ExitSlot, type PriceColumns } from '../backtest/simulateLongTrades.js';
import { DEFAULT_BROKER_OPTIONS, type BrokerOptions } from '../backtest/brokerOptions.js';
import { EXIT_END_OF_DATA, EXIT_STOP, EXIT_TARGET } from '../backtest/tradeLog.js';

export interface WatchedPosition {
	openedAtMs: number;
	/** null = no stop order. */
	stopPrice: number | null;
	/** null = no target order. */
	targetPrice: number | null;
	/** null = no time stop. */
	timeStopMs: number | null;
}

export interface ExitCandle {
	openTime: number;
	open: number;
	high: number;
	low: number;
	close: number;
}

export interface PaperExitOptions {
	timeframeMs: number;
	slippageRatio?: number;
	tieBreak?: BrokerOptions['tieBreak'];
	nowMs: number;
	/** The latest price (ticker or last close); used when the time stop is due and no later candle exists. */
	markPrice: number | null;
}

export type PaperExitReason = 'stop' | 'target' | 'time_stop';

export interface PaperExit {
	reason: PaperExitReason;
	price: number;
	/** When it filled: the open time of the candle that filled it, or `nowMs` for a time stop at the mark. */
	atMs: number;
}

/** The exit the candles (ascending, closed, none examined before) imply, or null when the position stays open. */
export function paperExitFromCandles(position: WatchedPosition, candles: readonly ExitCandle[], options: PaperExitOptions): PaperExit | null {
	const slippageRatio = options.slippageRatio ?? DEFAULT_BROKER_OPTIONS.slippageRatio;
	const tf = options.timeframeMs;
	const deadline = position.timeStopMs === null ? Number.POSITIVE_INFINITY : position.openedAtMs + position.timeStopMs;
	const n = candles.length;
	if (n > 0) {
		// A time stop that fell due before these candles (no candle arrived since) fills at the first open.
		if (deadline <= candles[0]!.openTime) {
			return { reason: 'time_stop', price: candles[0]!.open * (1 - slippageRatio), atMs: candles[0]!.openTime };
		}
		const bars: PriceColumns = {
			openTime: Float64Array.from(candles, (c) => c.openTime),
			open: Float64Array.from(candles, (c) => c.open),
			high: Float64Array.from(candles, (c) => c.high),
			low: Float64Array.from(candles, (c) => c.low),
			close: Float64Array.from(candles, (c) => c.close),
			length: n,
		};
		const o: BrokerOptions = {
			...DEFAULT_BROKER_OPTIONS,
			slippageRatio,
			timeframeMs: tf,
			tieBreak: options.tieBreak ?? DEFAULT_BROKER_OPTIONS.tieBreak,
			tickSize: null,
			// findExit measures the time stop from the first bar's open; shift it to the position's own opening time.
			timeStopMs: deadline === Number.POSITIVE_INFINITY ? null : deadline - candles[0]!.openTime,
		};
		const tp = position.targetPrice ?? Number.POSITIVE_INFINITY;
		const sl = position.stopPrice ?? Number.NEGATIVE_INFINITY;
		const out: ExitSlot = { index: 0, price: 0, reason: 0 };
		findExit(bars, 0, tp, sl, o, n, out);
		if (out.reason !== EXIT_END_OF_DATA) {
			const reason: PaperExitReason = out.reason === EXIT_TARGET ? 'target' : out.reason === EXIT_STOP ? 'stop' : 'time_stop';
			return { reason, price: out.price, atMs: bars.openTime[out.index]! };
		}
		if (candles[n - 1]!.openTime + tf < deadline && options.nowMs < deadline) return null;
	} else if (options.nowMs < deadline) {
		return null;
	}
	// The time stop is due and no candle after it exists yet: a market close at the latest price.
	if (options.markPrice === null || !(options.markPrice > 0)) return null;
	return { reason: 'time_stop', price: options.markPrice * (1 - slippageRatio), atMs: options.nowMs };
}
