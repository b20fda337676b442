/**
 * @module backtest/computeStrategyIndicators
 * The strategy's three indicator columns in one pass over the candles: the daily VWAP of hlc3
 * (take-profit and band centre), the rolling population stdev of hlc3 (band width) and the
 * SMA-seeded EMA of close (trend filter).
 *
 * Financial logic: exactly `vwap(hlc3)`, `stdev(hlc3, stdevLength)` and `ema(close, trendEmaLength)`
 * of `../indicators` (Pine `ta.vwap`, `ta.stdev`, `ta.ema`; pine-semantics.md §2–4), with the same
 * floating-point operations in the same order, so the numbers are bit-identical (tested). Fusing the
 * three recursions into one loop lets their dependency chains overlap (the EMA's
 * `prev + alpha·(x − prev)` chain alone bounds a separate pass) and skips the hlc3 column.
 */

import type { CandleColumns } from '../candles.js';
import { DAY_MS } from '../indicators/vwap.js';
import { validateLength } from '../indicators/validateLength.js';
import type { StrategyParams } from './collectEntrySignals.js';

/** Indicator columns of the strategy, index-aligned with the candles (NaN = na). */
export interface StrategyIndicators {
	vwap: Float64Array;
	bandStdev: Float64Array;
	trendEma: Float64Array;
}

/**
 * The strategy's three indicator columns over all `candles.length` bars. `sessionOffsetMs` moves the
 * VWAP's daily anchor from 00:00 UTC (see `VwapOptions`).
 */
export function computeStrategyIndicators(
	candles: CandleColumns,
	params: Pick<StrategyParams, 'stdevLength' | 'trendEmaLength'>,
	sessionOffsetMs = 0,
): StrategyIndicators {
	const len = validateLength('stdev', params.stdevLength);
	const emaLen = validateLength('ema', params.trendEmaLength);
	const n = candles.length;
	const { high, low, close, volume, openTime } = candles;
	const vwapOut = new Float64Array(n);
	const sdOut = new Float64Array(n);
	const emaOut = new Float64Array(n);
	// VWAP state (VwapStream)
	let day = Number.NaN;
	let sumPv = 0;
	let sumV = 0;
	// stdev state (StdevStream, biased)
	const ring = new Float64Array(len);
	let head = 0;
	let count = 0;
	let shift = 0;
	let s1 = 0;
	let s2 = 0;
	let sinceRebase = 0;
	let last = Number.NaN;
	let run = 0;
	let sd = Number.NaN;
	// EMA state (SeededExponentialAverage, alpha = 2/(length+1))
	const alpha = 2 / (emaLen + 1);
	let emaCount = 0;
	let seedSum = 0;
	let ev = Number.NaN;
	for (let i = 0; i < n; i++) {
		const x = (high[i] + low[i] + close[i]) / 3;
		// VWAP
		const d = Math.floor((openTime[i] - sessionOffsetMs) / DAY_MS);
		if (d !== day) {
			day = d;
			sumPv = 0;
			sumV = 0;
		}
		const v = volume[i];
		if (v !== 0 && x === x && v === v) {
			sumPv += x * v;
			sumV += v;
		}
		vwapOut[i] = sumV > 0 ? sumPv / sumV : Number.NaN;
		// stdev
		if (x === x) {
			run = x === last ? run + 1 : 1;
			last = x;
			let ready = true;
			if (count < len) {
				if (count === 0) shift = x;
				ring[count++] = x;
				const dx = x - shift;
				s1 += dx;
				s2 += dx * dx;
				ready = count === len;
			} else {
				const old = ring[head];
				ring[head] = x;
				head = head + 1 === len ? 0 : head + 1;
				if (++sinceRebase === len) {
					sinceRebase = 0;
					let a = 0;
					let b = 0;
					for (let j = 0; j < len; j++) {
						const dj = ring[j] - x;
						a += dj;
						b += dj * dj;
					}
					shift = x;
					s1 = a;
					s2 = b;
				} else {
					const dn = x - shift;
					const dOld = old - shift;
					s1 += dn - dOld;
					s2 += dn * dn - dOld * dOld;
				}
			}
			if (ready) {
				if (run >= len) {
					sd = 0;
				} else {
					const m = s1 / len;
					const variance = s2 / len - m * m;
					sd = variance > 0 ? Math.sqrt(variance) : variance === variance ? 0 : Number.NaN;
				}
			}
		}
		sdOut[i] = sd;
		// EMA of close
		const c = close[i];
		if (c === c) {
			if (emaCount < emaLen) {
				seedSum += c;
				if (++emaCount === emaLen) ev = seedSum / emaLen;
			} else {
				ev = ev + alpha * (c - ev);
			}
		}
		emaOut[i] = ev;
	}
	return { vwap: vwapOut, bandStdev: sdOut, trendEma: emaOut };
}
