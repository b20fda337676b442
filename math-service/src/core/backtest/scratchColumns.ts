/**
 * @module backtest/scratchColumns
 * Working columns a backtest needs only while it runs — the three indicator columns and the entry
 * signal indices — reused from one run to the next instead of allocated each time. Five fresh
 * 8 MB columns per 1,000,000-bar backtest cost about as much as the indicators themselves: the
 * kernel zeroes and maps every page on first touch. Results never point into these columns
 * (equity, returns and trades are fresh), and a backtest is synchronous, so one set serves every
 * run of the process. Held through a WeakRef: the garbage collector may take it back when idle.
 */
import type { StrategyIndicators } from './computeStrategyIndicators.js';

export interface ScratchColumns extends StrategyIndicators {
	/** Bar indices of entry signals (collectEntrySignals' output). */
	signals: Int32Array;
}

let cached: WeakRef<ScratchColumns> | undefined;

/** Columns of length `n` (views of the shared set, grown when needed). Valid until the next call. */
export function scratchColumns(n: number): ScratchColumns {
	let set = cached?.deref();
	if (set === undefined || set.vwap.length < n) {
		set = { vwap: new Float64Array(n), bandStdev: new Float64Array(n), trendEma: new Float64Array(n), signals: new Int32Array(n) };
		cached = new WeakRef(set);
	}
	if (set.vwap.length === n) return set;
	return { vwap: set.vwap.subarray(0, n), bandStdev: set.bandStdev.subarray(0, n), trendEma: set.trendEma.subarray(0, n), signals: set.signals.subarray(0, n) };
}
