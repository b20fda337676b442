/**
 * @module alpha/technicalScoreColumn
 * The technical component (technicalScore.ts) at every bar's close, in one pass: what a scorer
 * calling `technicalScore` on the closes up to and including bar i would get, for every i.
 *
 * Financial logic and sub-scores: see technicalScore.ts (100 − RSI, Bollinger %B inverted, calm vs.
 * usual volatility; the mean of the sub-scores that have enough history). Every column is causal:
 * bar i reads closes 0..i only. RSI's Wilder smoothing starts at the first close here, while the live
 * scorer (alpha/scoreAlpha.ts) reads its last 300 closes; the earlier bars' weight has decayed by
 * (13/14)^286 ≈ 1e-9 by then, so both agree to well below a thousandth of a point.
 */
import { bollingerBands } from '../indicators/bollingerBands.js';
import { rsi } from '../indicators/rsi.js';
import { TECHNICAL_SCORE_DEFAULTS, type TechnicalScoreOptions } from './technicalScore.js';

/** Technical score 0–100 at each bar's close; NaN where no sub-score has enough history. */
export function technicalScoreColumn(close: Float64Array, options: TechnicalScoreOptions = {}): Float64Array {
	const o = { ...TECHNICAL_SCORE_DEFAULTS, ...options };
	const n = close.length;
	const rsiCol = rsi(close, o.rsiLength);
	const bands = bollingerBands(close, o.bbLength, o.bbMult);
	// Log returns once (NaN where a close is not positive: the volatility window holding it is missing).
	const logReturn = new Float64Array(n).fill(Number.NaN);
	for (let i = 1; i < n; i++) {
		const a = close[i - 1]!;
		const b = close[i]!;
		if (a > 0 && b > 0) logReturn[i] = Math.log(b / a);
	}
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let sum = 0;
		let count = 0;
		const r = rsiCol[i]!;
		if (Number.isFinite(r)) {
			sum += 100 - r;
			count++;
		}
		const upper = bands.upper[i]!;
		const lower = bands.lower[i]!;
		if (Number.isFinite(upper) && Number.isFinite(lower)) {
			const percentB = upper > lower ? (close[i]! - lower) / (upper - lower) : 0.5;
			sum += 100 * Math.min(1, Math.max(0, 1 - percentB));
			count++;
		}
		const shortSd = windowStdev(logReturn, i, o.volShort);
		const longSd = shortSd === shortSd ? windowStdev(logReturn, i, o.volLong) : Number.NaN;
		if (shortSd === shortSd && longSd === longSd && longSd > 0) {
			sum += 100 / (1 + shortSd / longSd);
			count++;
		}
		out[i] = count === 0 ? Number.NaN : sum / count;
	}
	return out;
}

/** Population stdev of the `count` log returns ending at bar `end` (same sums as technicalScore); NaN without them. */
function windowStdev(logReturn: Float64Array, end: number, count: number): number {
	if (end < count) return Number.NaN;
	let sum = 0;
	let sumSq = 0;
	for (let i = end - count + 1; i <= end; i++) {
		const r = logReturn[i]!;
		sum += r;
		sumSq += r * r;
	}
	const mean = sum / count;
	return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
}
