/**
 * @module backtest/collectStrategySignals
 * The VWAP mean-reversion strategy's entry signals over a bar range, each with its frozen
 * take-profit (the VWAP at the signal bar), for the broker emulator.
 *
 * Financial logic: the entry rule of `collectEntrySignals` on the indicators of
 * `computeStrategyIndicators` (warmed up from bar 0, so a sub-range starts with the values a chart
 * with history would show). The candles are walked in blocks of {@link BLOCK_BARS}: the indicators
 * of a block go into small columns that stay in the CPU cache and the entry rule reads them there.
 * Full-length indicator columns would be 24 MB per 1,000,000 bars written and read back, and fresh
 * memory costs a page fault per 4 KB: more than the whole computation on a one-minute year.
 */
import type { CandleColumns } from '../candles.js';
import { collectEntrySignals, type StrategyParams } from './collectEntrySignals.js';
import { StrategyIndicatorStream, type StrategyIndicators } from './computeStrategyIndicators.js';

/** Bars per block: three 16 KB indicator columns, well inside the L2 cache. */
export const BLOCK_BARS = 2048;

/** Signal bars in ascending order and the take-profit of each: `targets[k]` belongs to `bars[k]`. */
export interface StrategySignals {
	count: number;
	bars: Int32Array;
	targets: Float64Array;
}

/**
 * The signals of bars `[from, to)`. `indicators` are precomputed columns index-aligned with the
 * candles (used as they are); without them they are computed here (`sessionOffsetMs` moves the VWAP's
 * daily anchor). Only bars below `to` are read.
 */
export function collectStrategySignals(
	candles: CandleColumns,
	params: StrategyParams,
	from: number,
	to: number,
	indicators?: StrategyIndicators,
	sessionOffsetMs = 0,
): StrategySignals {
	const stream = indicators === undefined ? new StrategyIndicatorStream(params, sessionOffsetMs) : null;
	const block: StrategyIndicators = { vwap: new Float64Array(BLOCK_BARS), bandStdev: new Float64Array(BLOCK_BARS), trendEma: new Float64Array(BLOCK_BARS) };
	let bars = new Int32Array(2 * BLOCK_BARS);
	let targets = new Float64Array(2 * BLOCK_BARS);
	let count = 0;
	// Precomputed columns are read from the range's first block; computed ones need every bar from 0.
	for (let start = stream === null ? from : 0; start < to; start += BLOCK_BARS) {
		const end = Math.min(start + BLOCK_BARS, to);
		let columns: StrategyIndicators;
		let columnStart: number;
		if (stream !== null) {
			stream.fill(candles, start, end, block);
			columns = block;
			columnStart = start;
		} else {
			columns = indicators!;
			columnStart = 0;
		}
		if (end <= from) continue;
		if (count + BLOCK_BARS > bars.length) {
			const grownBars = new Int32Array(2 * bars.length);
			grownBars.set(bars);
			bars = grownBars;
			const grownTargets = new Float64Array(2 * targets.length);
			grownTargets.set(targets);
			targets = grownTargets;
		}
		const found = collectEntrySignals(candles.close, columns.vwap, columns.bandStdev, columns.trendEma, params, Math.max(from, start), end, bars.subarray(count), columnStart);
		for (let k = count; k < count + found; k++) targets[k] = columns.vwap[bars[k] - columnStart];
		count += found;
	}
	return { count, bars, targets };
}
