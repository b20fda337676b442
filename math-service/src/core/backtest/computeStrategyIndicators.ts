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
 * VWAP's daily anchor from 00:00 UTC (see `VwapOptions`). `into` receives them when given (columns
 * of at least `candles.length`; every element below it is written).
 */
export function computeStrategyIndicators(
	candles: CandleColumns,
	params: Pick<StrategyParams, 'stdevLength' | 'trendEmaLength'>,
	sessionOffsetMs = 0,
	into?: StrategyIndicators,
): StrategyIndicators {
	const n = candles.length;
	const stream = new StrategyIndicatorStream(params, sessionOffsetMs);
	const out: StrategyIndicators = into ?? { vwap: new Float64Array(n), bandStdev: new Float64Array(n), trendEma: new Float64Array(n) };
	stream.fill(candles, 0, n, out);
	return out;
}

/**
 * The same three indicators, computed range by range: `fill(candles, start, end, out)` continues the
 * recursions from bar `start` (the end of the previous range; the first range starts at 0) and writes
 * bar i into `out.…[i − start]`. A backtest walks the candles in short ranges through small columns
 * that stay in cache, instead of writing and re-reading three full-length columns: on a 1,000,000-bar
 * backtest those were 24 MB of memory, and fresh memory costs the kernel a page fault per 4 KB.
 * The numbers are those of {@link computeStrategyIndicators}, bit for bit, whatever the ranges.
 */
export class StrategyIndicatorStream {
	private readonly len: number;
	private readonly emaLen: number;
	private readonly ring: Float64Array;
	/** The recursions' scalar state between ranges (see `STATE_SIZE`). */
	private readonly state = new Float64Array(STATE_SIZE);

	constructor(
		params: Pick<StrategyParams, 'stdevLength' | 'trendEmaLength'>,
		private readonly sessionOffsetMs = 0,
	) {
		this.len = validateLength('stdev', params.stdevLength);
		this.emaLen = validateLength('ema', params.trendEmaLength);
		this.ring = new Float64Array(this.len);
		this.state.set(INITIAL_STATE);
	}

	fill(candles: CandleColumns, start: number, end: number, out: StrategyIndicators): void {
		fillStrategyIndicators(candles.high, candles.low, candles.close, candles.volume, candles.openTime, start, end, this.len, this.emaLen, this.sessionOffsetMs, out.vwap, out.bandStdev, out.trendEma, this.ring, this.state);
	}
}

/** Slots of the kernel state: VWAP (day, dayLo, dayHi, sumPv, sumV), stdev (head, count, shift, s1, s2, sinceRebase, last, run, sd), EMA (emaCount, seedSum, ev). */
const STATE_SIZE = 17;
const INITIAL_STATE = [Number.NaN, Number.NaN, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0, Number.NaN, 0, Number.NaN, 0, 0, Number.NaN];

/**
 * The bar loop of {@link StrategyIndicatorStream}. Only positional typed-array and number
 * arguments, no property reads: V8 then compiles one stable loop with unboxed doubles (with
 * `params.…`/`candles.…` reads in the same function its on-stack-replaced code kept deoptimising
 * on them, and the loop ran at 36 ms instead of 20 ms per 1M bars, allocating heap numbers per bar).
 * The state is loaded into locals before the loop and stored back after it.
 */
function fillStrategyIndicators(
	high: Float64Array,
	low: Float64Array,
	close: Float64Array,
	volume: Float64Array,
	openTime: Float64Array,
	start: number,
	end: number,
	len: number,
	emaLen: number,
	sessionOffsetMs: number,
	vwapOut: Float64Array,
	sdOut: Float64Array,
	emaOut: Float64Array,
	ring: Float64Array,
	state: Float64Array,
): void {
	// VWAP state (VwapStream)
	let day = state[0];
	let dayLo = state[1];
	let dayHi = state[2];
	let sumPv = state[3];
	let sumV = state[4];
	// stdev state (StdevStream, biased)
	let head = state[5] | 0;
	let count = state[6] | 0;
	let shift = state[7];
	let s1 = state[8];
	let s2 = state[9];
	let sinceRebase = state[10] | 0;
	let last = state[11];
	let run = state[12] | 0;
	let sd = state[13];
	const sums = new Float64Array(2);
	// EMA state (SeededExponentialAverage, alpha = 2/(length+1))
	const alpha = 2 / (emaLen + 1);
	let emaCount = state[14] | 0;
	let seedSum = state[15];
	let ev = state[16];
	for (let i = start; i < end; i++) {
		const o = i - start;
		const x = (high[i] + low[i] + close[i]) / 3;
		// VWAP: day = floor((openTime − offset) / DAY_MS), divided out only when the bar leaves the
		// cached day [dayLo, dayHi). For an integer u with |day| < 1e7 the quotient is at least 1/DAY_MS
		// below day + 1, far more than half an ulp, so floor(u / DAY_MS) = day exactly on that range.
		const u = openTime[i] - sessionOffsetMs;
		if (!(u >= dayLo && u < dayHi && u === Math.floor(u))) {
			const d = Math.floor(u / DAY_MS);
			if (d !== day) {
				day = d;
				sumPv = 0;
				sumV = 0;
			}
			if (Math.abs(d) < 1e7) {
				dayLo = d * DAY_MS;
				dayHi = dayLo + DAY_MS;
			} else {
				dayLo = Number.NaN;
				dayHi = Number.NaN;
			}
		}
		const v = volume[i];
		if (v !== 0 && x === x && v === v) {
			sumPv += x * v;
			sumV += v;
		}
		vwapOut[o] = sumV > 0 ? sumPv / sumV : Number.NaN;
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
					shiftedSums(ring, x, sums);
					shift = x;
					s1 = sums[0];
					s2 = sums[1];
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
		sdOut[o] = sd;
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
		emaOut[o] = ev;
	}
	state[0] = day;
	state[1] = dayLo;
	state[2] = dayHi;
	state[3] = sumPv;
	state[4] = sumV;
	state[5] = head;
	state[6] = count;
	state[7] = shift;
	state[8] = s1;
	state[9] = s2;
	state[10] = sinceRebase;
	state[11] = last;
	state[12] = run;
	state[13] = sd;
	state[14] = emaCount;
	state[15] = seedSum;
	state[16] = ev;
}

/**
 * Σ(x − k) and Σ(x − k)² over `ring` in index order into `out[0]`, `out[1]` (StdevStream's re-base).
 * A separate function so the kernel above holds a single loop: V8 then compiles (and on-stack
 * replaces) the hot bar loop itself, not this short inner one — measured 20 ms vs 36 ms per 1M bars.
 */
function shiftedSums(ring: Float64Array, k: number, out: Float64Array): void {
	let a = 0;
	let b = 0;
	for (let j = 0; j < ring.length; j++) {
		const d = ring[j] - k;
		a += d;
		b += d * d;
	}
	out[0] = a;
	out[1] = b;
}
