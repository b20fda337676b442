/**
 * @module backtest/simulateLongTrades
 * The broker emulator's core: fills and exits of a long-only, one-position-at-a-time strategy with a
 * market entry, a frozen take-profit limit, a frozen stop and a time stop, exactly as TradingView's
 * broker emulator runs `strategy.entry` + `strategy.exit(limit, stop)` + `strategy.close` on
 * historical bars (pine-semantics.md §5.8; UM "Broker emulator").
 *
 * Financial logic, bar by bar for a signal at the close of bar N:
 * 1. The market entry fills at `open[N+1] × (1 + slippage)`. Target TP = `target[N]` (the VWAP),
 *    stop SL = `close[N] × (1 − stopRatio)`; both frozen (rounded away from the market to the tick
 *    grid when a tick size is set).
 * 2. On every bar from the entry bar on (exits can fill on the entry bar):
 *    - a time-stop market order placed at the previous close fills first, at `open × (1 − slippage)`
 *      (market orders queued on an earlier bar fill before this bar's gap-triggered exits: PyneCore
 *      `_process_at_bar_open`), so its exit reason is `time` even when the open gaps past a level;
 *    - a level already passed at the open fills at the open: `open ≥ TP` → exit at the open (a limit
 *      fills at a better price, no slippage); `open ≤ SL` → exit at `open × (1 − slippage)`;
 *    - otherwise the assumed path is O→H→L→C when the open is nearer the high (`h − o < o − l`),
 *      else O→L→H→C; a tie follows `tieBreak` (default low first, PyneCore). The first level
 *      touched on that path fills: TP at TP, SL at `SL × (1 − slippage)`.
 *    - **TP and SL both inside one bar:** only the one met first on the assumed path fills; the other
 *      is cancelled (one-cancels-other). Open nearer the high ⇒ the target wins; nearer the low ⇒ the stop.
 *    - at the bar's close, if `openTime + timeframeMs − entryTime ≥ timeStopMs` (Pine
 *      `time_close − strategy.opentrades.entry_time(0) ≥ 48 h`), a market close is placed; it fills
 *      at the next bar's open. Gaps count as elapsed time.
 * 3. A new signal is taken only when flat at its close; an exit earlier in the same bar counts as flat.
 * A position still open at the last bar of the range is closed there at the close (`end_of_data`).
 * A signal on the last bar of the range never fills (there is no next open).
 */

import type { BrokerOptions } from './brokerOptions.js';
import type { TradeLog } from './tradeLog.js';
import { EXIT_END_OF_DATA, EXIT_STOP, EXIT_TARGET, EXIT_TIME } from './tradeLog.js';

/** The price columns the emulator reads (a subset of CandleColumns). */
export interface PriceColumns {
	openTime: Float64Array;
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	length: number;
}

/** Take-profit level rounded up to the tick grid (PyneCore `_price_round`, away from the market). */
export function roundTargetToTick(price: number, tickSize: number | null): number {
	return tickSize === null ? price : Math.ceil(price / tickSize - 1e-4) * tickSize;
}

/** Stop level rounded down to the tick grid (away from the market for a long). */
export function roundStopToTick(price: number, tickSize: number | null): number {
	return tickSize === null ? price : Math.floor(price / tickSize + 1e-4) * tickSize;
}

/** Where and why one position ends; a reusable out-parameter (no allocation per trade). */
export interface ExitSlot {
	index: number;
	price: number;
	reason: number;
}

/**
 * Walks one position entered at the open of `entryIndex` with frozen levels `tp` / `sl` through bars
 * `[entryIndex, to)` and writes its exit into `out` (rules in the module header). When no exit
 * happens, `out` gets the last bar of the range at its close with reason `end_of_data`.
 */
export function findExit(bars: PriceColumns, entryIndex: number, tp: number, sl: number, o: BrokerOptions, to: number, out: ExitSlot): void {
	const { openTime, open, high, low, close } = bars;
	const keepDown = 1 - o.slippageRatio;
	const highFirstOnTie = o.tieBreak === 'high_first';
	const tf = o.timeframeMs;
	const deadline = openTime[entryIndex] + (o.timeStopMs === null ? Number.POSITIVE_INFINITY : o.timeStopMs);
	let timePending = false;
	for (let i = entryIndex; i < to; i++) {
		const op = open[i];
		if (timePending) { out.index = i; out.price = op * keepDown; out.reason = EXIT_TIME; return; }
		const h = high[i];
		const l = low[i];
		// Most bars touch neither level: one predictable test instead of the path's open-vs-range
		// branch (a coin flip per bar). Any na makes a comparison false and takes the full rules below.
		if (b(op < tp) & b(op > sl) & b(h < tp) & b(l > sl)) {
			if (openTime[i] + tf >= deadline) timePending = true;
			continue;
		}
		if (op >= tp) { out.index = i; out.price = op; out.reason = EXIT_TARGET; return; }
		if (op <= sl) { out.index = i; out.price = op * keepDown; out.reason = EXIT_STOP; return; }
		const up = h - op;
		const down = op - l;
		if (up < down || (highFirstOnTie && up === down)) {
			if (h >= tp) { out.index = i; out.price = tp; out.reason = EXIT_TARGET; return; }
			if (l <= sl) { out.index = i; out.price = sl * keepDown; out.reason = EXIT_STOP; return; }
		} else {
			if (l <= sl) { out.index = i; out.price = sl * keepDown; out.reason = EXIT_STOP; return; }
			if (h >= tp) { out.index = i; out.price = tp; out.reason = EXIT_TARGET; return; }
		}
		if (openTime[i] + tf >= deadline) timePending = true;
	}
	out.index = to - 1;
	out.price = close[to - 1];
	out.reason = EXIT_END_OF_DATA;
}

/** A comparison as 0/1, so four tests combine without four branches. */
function b(x: boolean): number {
	return x as unknown as number;
}

/**
 * Simulates the trades of the signals `signals[0..signalCount)` (ascending bar indices, each the
 * close at which the entry condition held) over bars `[from, to)`, appending them to `log`.
 * `target[N]` is the take-profit of a signal at bar N (`targetBy` 'bar', the default), or `target[k]`
 * that of `signals[k]` ('signal'); `stopRatio` the stop distance below its close.
 * Allocates nothing per bar; cost is O(signals + bars spent in a position).
 */
export function simulateLongTrades(
	bars: PriceColumns,
	signals: Int32Array,
	signalCount: number,
	target: Float64Array,
	stopRatio: number,
	o: BrokerOptions,
	from: number,
	to: number,
	log: TradeLog,
	targetBy: 'bar' | 'signal' = 'bar',
): void {
	const { open, close } = bars;
	const bySignal = targetBy === 'signal';
	const keepUp = 1 + o.slippageRatio;
	const stopKeep = 1 - stopRatio;
	const exit: ExitSlot = { index: 0, price: 0, reason: 0 };
	let nextAllowed = from;
	for (let k = 0; k < signalCount; k++) {
		const s = signals[k];
		if (s < nextAllowed) continue;
		if (s + 1 >= to) break;
		const entryIndex = s + 1;
		const tp = roundTargetToTick(target[bySignal ? k : s], o.tickSize);
		const sl = roundStopToTick(close[s] * stopKeep, o.tickSize);
		findExit(bars, entryIndex, tp, sl, o, to, exit);
		log.push(s, entryIndex, open[entryIndex] * keepUp, exit.index, exit.price, exit.reason, tp, sl);
		if (exit.reason === EXIT_END_OF_DATA) break;
		nextAllowed = exit.index;
	}
}
