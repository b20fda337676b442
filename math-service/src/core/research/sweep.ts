/**
 * @module research/sweep
 * VectorBT-style parameter sweeps of the VWAP mean-reversion strategy: every combination of
 * (stdevLength, deviationThreshold, trendEmaLength, stopRatio) on one candle series, each scored
 * with the core's metric definitions, with the same trades `runBacktest` produces for that point.
 *
 * Financial logic is the backtester's; what is shared is work, not assumptions:
 * - the daily VWAP (and hlc3) is computed once; the rolling stdev once per distinct stdevLength; the
 *   trend EMA once per distinct trendEmaLength — over all candles, so any sub-range (walk-forward
 *   windows) starts warmed up;
 * - per stdevLength, the bars that turned up and closed below `vwap − stdev·k_min` (k_min = the
 *   smallest threshold of the grid) form a candidate list; a larger k keeps a subset (`vwap − stdev·k`
 *   falls as k rises, also in floating point), the EMA filter a subset of that;
 * - per stdevLength, one bit per candidate and filter (each threshold, each EMA length); a
 *   combination ANDs two bitsets 32 candidates at a time, finds its next signal with a count of
 *   leading zeros, and after a trade jumps (binary search) to the first candidate at or after the
 *   exit bar — signals inside a position are never looked at;
 * - each distinct (signal bar, stop) trade is walked once and its statistics memoised (tradeMemo.ts),
 *   so a combination costs O(candidates / 32 + trades · log) once the memo is warm; CSCV block sums
 *   (`blockCount`, for PBO) come from the same memo (a trade straddling a block boundary is re-walked).
 * Scores equal `runBacktest` + core metrics to rounding (≤ 1e-9 relative, asserted in the tests).
 * Rows come in nested grid order: stdevLength, then threshold, then EMA, then stop (outermost first).
 */

import { hlc3, type CandleColumns } from '../candles.js';
import type { KpiInput } from '../gates/kpiGates.js';
import { ema } from '../indicators/ema.js';
import { stdev } from '../indicators/stdev.js';
import { vwap } from '../indicators/vwap.js';
import { InvalidInputError } from '../../errors.js';
import { resolveBrokerOptions, type BrokerOptions } from '../backtest/brokerOptions.js';
import type { StrategyParams } from '../backtest/collectEntrySignals.js';
import { periodsPerYearOf, resolveStrategyParams, runBacktest, type BacktestResult, type StrategyIndicators } from '../backtest/runBacktest.js';
import type { BlockSums, TradeScore } from '../backtest/scoreTrades.js';
import { MemoScorer, TradeMemo } from './tradeMemo.js';

/** Values to try per parameter (each non-empty); `minRewardRisk` is fixed for the whole grid. */
export interface SweepGrid {
	stdevLength: number[];
	deviationThreshold: number[];
	trendEmaLength: number[];
	stopRatio: number[];
	minRewardRisk?: number;
}

export interface SweepRow {
	params: StrategyParams;
	tradeCount: number;
	totalReturnRatio: number;
	metrics: TradeScore;
}

export interface SweepOptions {
	fromIndex?: number;
	toIndex?: number;
	/** Called after each combination with (done, total); the CLI draws its progress bar from it. */
	onProgress?: (done: number, total: number) => void;
	/** Per-combination block sums for CSCV: `blockCount` blocks; filled into `blockReturns`. */
	blockCount?: number;
}

export interface SweepResult {
	rows: SweepRow[];
	fromIndex: number;
	toIndex: number;
	/** Open time of the first bar and close time of the last bar of the range (ms UTC), and the span in years. */
	startTimeMs: number;
	endTimeMs: number;
	spanYears: number;
	periodsPerYear: number;
	/** With `blockCount`: row-major [row][block] Σr and Σr² of the per-bar returns, and bars per block. */
	blockReturns: { count: number; sum: Float64Array; sumSquares: Float64Array; periods: Float64Array } | null;
}

/** Inclusive `start:stop:step` ranges, as the CLI takes them ("10:100:10" → 10, 20, …, 100). */
export function parseRange(spec: string): number[] {
	const parts = spec.split(':').map(Number);
	if (parts.length === 1 && Number.isFinite(parts[0])) return [parts[0]];
	const [start, stop, step] = parts;
	if (parts.length !== 3 || ![start, stop, step].every(Number.isFinite) || step <= 0 || stop < start) {
		throw new InvalidInputError(`range "${spec}" must be start:stop:step with step > 0 and stop >= start`, ['range']);
	}
	const out: number[] = [];
	const count = Math.floor((stop - start) / step + 1e-9);
	for (let i = 0; i <= count; i++) out.push(Number((start + i * step).toPrecision(12)));
	return out;
}

/** First position in a[lo, hi) whose value is ≥ x (a ascending). */
function lowerBound(a: Int32Array, x: number, lo: number, hi: number): number {
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (a[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Indicator cache and sweep runner over one candle series (reuse it for walk-forward windows). */
export class SweepEngine {
	readonly candles: CandleColumns;
	readonly broker: BrokerOptions;
	readonly periodsPerYear: number;
	readonly vwap: Float64Array;
	private readonly typical: Float64Array;
	private readonly stdevs = new Map<number, Float64Array>();
	private readonly emas = new Map<number, Float64Array>();
	private readonly candidates = new Map<string, Int32Array>();
	private readonly memos = new Map<number, TradeMemo>();

	constructor(candles: CandleColumns, broker: Partial<BrokerOptions> = {}, sessionOffsetMs = 0) {
		this.candles = candles;
		this.broker = resolveBrokerOptions(broker);
		this.periodsPerYear = periodsPerYearOf(this.broker.timeframeMs);
		this.typical = hlc3(candles);
		this.vwap = vwap(this.typical, candles.volume, candles.openTime, { sessionOffsetMs });
	}

	/** How many distinct stdev and EMA columns have been computed so far (each exactly once). */
	get cachedIndicatorCounts(): { stdev: number; ema: number } {
		return { stdev: this.stdevs.size, ema: this.emas.size };
	}

	stdevFor(length: number): Float64Array {
		let s = this.stdevs.get(length);
		if (s === undefined) this.stdevs.set(length, (s = stdev(this.typical, length)));
		return s;
	}

	emaFor(length: number): Float64Array {
		let e = this.emas.get(length);
		if (e === undefined) this.emas.set(length, (e = ema(this.candles.close.subarray(0, this.candles.length), length)));
		return e;
	}

	indicatorsFor(p: Pick<StrategyParams, 'stdevLength' | 'trendEmaLength'>): StrategyIndicators {
		return { vwap: this.vwap, bandStdev: this.stdevFor(p.stdevLength), trendEma: this.emaFor(p.trendEmaLength) };
	}

	/** Bars that turned up and closed below vwap − stdev·kMin, over all candles (ascending). */
	private candidatesFor(length: number, kMin: number): Int32Array {
		const key = `${length}|${kMin}`;
		let c = this.candidates.get(key);
		if (c !== undefined) return c;
		const sd = this.stdevFor(length);
		const { close } = this.candles;
		const v = this.vwap;
		const buf = new Int32Array(this.candles.length + 1);
		let m = 0;
		for (let i = 1; i < this.candles.length; i++) {
			const x = close[i];
			buf[m] = i;
			m += ((x > close[i - 1]) as unknown as number) & ((x < v[i] - sd[i] * kMin) as unknown as number);
		}
		c = buf.slice(0, m);
		this.candidates.set(key, c);
		return c;
	}

	private memoFor(stopRatio: number): TradeMemo {
		let m = this.memos.get(stopRatio);
		if (m === undefined) this.memos.set(stopRatio, (m = new TradeMemo(this.candles, this.vwap, stopRatio, this.broker)));
		return m;
	}

	/** The full backtest (trades, equity, metrics) of one point, on the shared indicators. */
	backtest(params: Partial<StrategyParams>, fromIndex = 0, toIndex = this.candles.length): BacktestResult {
		const p = resolveStrategyParams(params);
		return runBacktest({ candles: this.candles, params: p, broker: this.broker, fromIndex, toIndex, indicators: this.indicatorsFor(p) });
	}

	/** Scores every combination of `grid` over bars [fromIndex, toIndex). */
	run(grid: SweepGrid, options: SweepOptions = {}): SweepResult {
		const n = this.candles.length;
		const from = options.fromIndex ?? 0;
		const to = options.toIndex ?? n;
		if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= n && to - from >= 2)) {
			throw new InvalidInputError(`bar range [${from}, ${to}) needs at least 2 bars within 0..${n}`, ['range']);
		}
		for (const key of ['stdevLength', 'deviationThreshold', 'trendEmaLength', 'stopRatio'] as const) {
			if (!Array.isArray(grid[key]) || grid[key].length === 0) throw new InvalidInputError(`grid.${key} must list at least one value`, ['grid', key]);
		}
		const minRewardRisk = grid.minRewardRisk ?? 0;
		const thresholds = grid.deviationThreshold;
		const emaLengths = grid.trendEmaLength;
		const total = grid.stdevLength.length * thresholds.length * emaLengths.length * grid.stopRatio.length;
		const kMin = Math.min(...thresholds);
		const { close } = this.candles;
		const v = this.vwap;
		const blockCount = options.blockCount ?? 0;
		const blocks: BlockSums | null = blockCount > 0 ? { count: blockCount, sum: new Float64Array(blockCount), sumSquares: new Float64Array(blockCount) } : null;
		const blockSum = blockCount > 0 ? new Float64Array(total * blockCount) : null;
		const blockSq = blockCount > 0 ? new Float64Array(total * blockCount) : null;
		const scorer = new MemoScorer();
		const rows: SweepRow[] = [];
		for (const stdevLength of grid.stdevLength) {
			const sd = this.stdevFor(stdevLength);
			const cand = this.candidatesFor(stdevLength, kMin);
			const c0 = lowerBound(cand, Math.max(from, 1), 0, cand.length);
			const c1 = lowerBound(cand, to, c0, cand.length);
			const m = c1 - c0;
			const words = (m + 31) >>> 5;
			// One bit per candidate and filter: "below vwap − stdev·k" per threshold, "above the EMA" per length.
			const kBits = new Int32Array(thresholds.length * words);
			const eBits = new Int32Array(emaLengths.length * words);
			for (let t = 0; t < thresholds.length; t++) {
				const k = thresholds[t];
				const base = t * words;
				for (let q = 0; q < m; q++) {
					const i = cand[c0 + q];
					kBits[base + (q >>> 5)] |= ((close[i] < v[i] - sd[i] * k) as unknown as number) << (q & 31);
				}
			}
			for (let t = 0; t < emaLengths.length; t++) {
				const e = this.emaFor(emaLengths[t]);
				const base = t * words;
				for (let q = 0; q < m; q++) {
					const i = cand[c0 + q];
					eBits[base + (q >>> 5)] |= ((close[i] > e[i]) as unknown as number) << (q & 31);
				}
			}
			for (let kt = 0; kt < thresholds.length; kt++) {
				const kBase = kt * words;
				for (let et = 0; et < emaLengths.length; et++) {
					const eBase = et * words;
					for (const stopRatio of grid.stopRatio) {
						const params = resolveStrategyParams({ stdevLength, deviationThreshold: thresholds[kt], trendEmaLength: emaLengths[et], stopRatio, minRewardRisk });
						const keep = 1 - stopRatio;
						scorer.reset(this.memoFor(stopRatio), from, to, blocks);
						let q = 0;
						while (q < m) {
							// Next candidate at or after q passing both filters.
							let w = q >>> 5;
							let word = kBits[kBase + w] & eBits[eBase + w] & (-1 << (q & 31));
							while (word === 0 && ++w < words) word = kBits[kBase + w] & eBits[eBase + w];
							if (word === 0) break;
							q = (w << 5) + 31 - Math.clz32(word & -word);
							const sig = cand[c0 + q];
							if (minRewardRisk > 0 && !((v[sig] - close[sig]) / (close[sig] - close[sig] * keep) >= minRewardRisk)) {
								q++;
								continue;
							}
							const next = scorer.take(sig);
							if (next < 0) break;
							q = lowerBound(cand, next, c0 + q + 1, c1) - c0;
						}
						const score = scorer.finish(this.broker, this.periodsPerYear);
						if (blocks !== null) {
							blockSum!.set(blocks.sum, rows.length * blockCount);
							blockSq!.set(blocks.sumSquares, rows.length * blockCount);
						}
						rows.push({ params, tradeCount: score.tradeCount, totalReturnRatio: score.totalReturnRatio, metrics: score });
						options.onProgress?.(rows.length, total);
					}
				}
			}
		}
		let blockReturns: SweepResult['blockReturns'] = null;
		if (blockCount > 0) {
			const periods = new Float64Array(blockCount);
			const r = to - from - 1;
			for (let q = 0; q < r; q++) periods[Math.min(blockCount - 1, Math.floor((q * blockCount) / r))]++;
			blockReturns = { count: blockCount, sum: blockSum!, sumSquares: blockSq!, periods };
		}
		const startTimeMs = this.candles.openTime[from];
		const endTimeMs = this.candles.openTime[to - 1] + this.broker.timeframeMs;
		return { rows, fromIndex: from, toIndex: to, startTimeMs, endTimeMs, spanYears: (endTimeMs - startTimeMs) / (365.25 * 86_400_000), periodsPerYear: this.periodsPerYear, blockReturns };
	}
}

/** What the KPI gates read from one sweep row (pass it to `evaluateKpiGates`). */
export function sweepRowKpiInput(row: SweepRow, sweep: Pick<SweepResult, 'spanYears'>): KpiInput {
	return {
		tradeCount: row.tradeCount,
		spanYears: sweep.spanYears,
		winRate: row.metrics.winRate,
		profitFactor: row.metrics.profitFactor,
		maxDrawdownRatio: row.metrics.maxDrawdownRatio,
		sharpeRatio: row.metrics.sharpeRatio,
	};
}

/** One-shot sweep: builds a {@link SweepEngine} and runs `grid` on it. */
export function runSweep(candles: CandleColumns, grid: SweepGrid, options: SweepOptions & { broker?: Partial<BrokerOptions>; sessionOffsetMs?: number } = {}): SweepResult {
	return new SweepEngine(candles, options.broker, options.sessionOffsetMs ?? 0).run(grid, options);
}
