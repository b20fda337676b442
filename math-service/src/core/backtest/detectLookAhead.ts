/**
 * @module backtest/detectLookAhead
 * Look-ahead detector: a strategy is causal when what it decides at or before bar t never depends on
 * bars after t. The detector re-runs the strategy on copies of the candles whose bars after a
 * checkpoint t are randomly perturbed (prices scaled per bar, volume rescaled) and reports the first
 * bar ≤ t whose decision changed. A peeking strategy (e.g. one that reads `close[i+1]`) changes its
 * decisions before t and is caught; a causal one cannot. Pure: randomness comes from an injected seed.
 */

import type { CandleColumns } from '../candles.js';
import { resolveBrokerOptions, type BrokerOptions } from './brokerOptions.js';
import type { StrategyParams } from './collectEntrySignals.js';
import { runBacktest } from './runBacktest.js';
import { EXIT_REASONS } from './tradeLog.js';

/**
 * A strategy under test: maps candles to `width` numbers per bar (decision of bar i in
 * `[i·width, (i+1)·width)`), each a function of what the strategy knew at the close of bar i.
 */
export interface DecisionFunction {
	width: number;
	decide(candles: CandleColumns): ArrayLike<number>;
}

export interface LookAheadOptions {
	/**
	 * How many checkpoints of each kind (default 12): bars spread evenly over the middle 80% of the data,
	 * and bars where the unperturbed run decided something (a decision one bar before a change of the
	 * future is where a peek shows).
	 */
	checkpoints?: number;
	/** Perturbations per checkpoint (default 2). */
	trials?: number;
	/** PRNG seed (default 1). */
	seed?: number;
}

export interface LookAheadReport {
	/** True when no decision at or before a checkpoint changed. */
	causal: boolean;
	checks: number;
	/** The first violation found: checkpoint bar t and the earlier bar whose decision changed. */
	violation: { checkpoint: number; bar: number } | null;
}

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A copy of `c` with every bar after `t` scaled by a random factor in [0.85, 1.15] (volume in [0, 2]). */
function perturbAfter(c: CandleColumns, t: number, rnd: () => number): CandleColumns {
	const copy = (a: Float64Array) => Float64Array.from(a.subarray(0, c.length));
	const out: CandleColumns = {
		openTime: copy(c.openTime), open: copy(c.open), high: copy(c.high), low: copy(c.low),
		close: copy(c.close), volume: copy(c.volume), length: c.length,
	};
	for (let j = t + 1; j < c.length; j++) {
		const f = 0.85 + 0.3 * rnd();
		out.open[j] *= f;
		out.high[j] *= f;
		out.low[j] *= f;
		out.close[j] *= f;
		out.volume[j] *= 2 * rnd();
	}
	return out;
}

/** Runs the perturbation test; see the module header. */
export function detectLookAhead(strategy: DecisionFunction, candles: CandleColumns, options: LookAheadOptions = {}): LookAheadReport {
	const checkpoints = options.checkpoints ?? 12;
	const trials = options.trials ?? 2;
	const rnd = prng(options.seed ?? 1);
	const w = strategy.width;
	const base = strategy.decide(candles);
	const n = candles.length;
	let checks = 0;
	const points: number[] = [];
	for (let c = 0; c < checkpoints; c++) points.push(Math.floor(n * (0.1 + (0.8 * c) / Math.max(1, checkpoints - 1))));
	const decided: number[] = [];
	for (let i = 0; i < n - 1; i++) {
		for (let j = 0; j < w; j++) if (base[i * w + j] !== 0 && base[i * w + j] === base[i * w + j]) { decided.push(i); break; }
	}
	for (let c = 0; c < Math.min(checkpoints, decided.length); c++) points.push(decided[Math.floor((c * decided.length) / Math.min(checkpoints, decided.length))]);
	for (const t of points) {
		for (let k = 0; k < trials; k++) {
			const other = strategy.decide(perturbAfter(candles, t, rnd));
			checks++;
			for (let i = 0; i <= t; i++) {
				for (let j = 0; j < w; j++) {
					const a = base[i * w + j];
					const b = other[i * w + j];
					if (!(a === b || (a !== a && b !== b))) return { causal: false, checks, violation: { checkpoint: t, bar: i } };
				}
			}
		}
	}
	return { causal: true, checks, violation: null };
}

/**
 * The backtester as a decision function: per bar, [exit reason code + 1 (0 = no exit), exit price,
 * 1 if a signal was taken at this close]. Entry fills are not decisions of bar i (they happen at the
 * next open), so only what is known at each close is recorded.
 */
export function backtestDecisions(params: Partial<StrategyParams> = {}, broker: Partial<BrokerOptions> = {}): DecisionFunction {
	const resolved = resolveBrokerOptions(broker);
	return {
		width: 3,
		decide(candles) {
			const out = new Float64Array(candles.length * 3);
			for (const t of runBacktest({ candles, params, broker: resolved }).trades) {
				if (t.exitReason !== 'end_of_data') {
					out[t.exitIndex * 3] = EXIT_REASONS.indexOf(t.exitReason) + 1;
					out[t.exitIndex * 3 + 1] = t.exitPrice;
				}
				out[t.signalIndex * 3 + 2] = 1;
			}
			return out;
		},
	};
}
