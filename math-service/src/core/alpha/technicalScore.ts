/**
 * @module alpha/technicalScore
 * The technical component for a mean-reversion desk: buy what is stretched down in a calm market.
 *
 * Sub-scores (each 0–100, higher = better long entry), from closed candles only:
 *   rsiScore        = 100 − RSI(rsiLength)                     oversold → high (Pine `ta.rsi`)
 *   bollingerScore  = 100 · clamp(1 − %B, 0, 1),  %B = (close − lower)/(upper − lower)
 *                     a close at or below the lower band → 100, at or above the upper band → 0
 *                     (Pine `ta.bb(close, bbLength, bbMult)`; equal bands → 50)
 *   volatilityScore = 100 / (1 + volatilityRatio), volatilityRatio = stdev of the last `volShort`
 *                     log returns / stdev of the last `volLong` (population): 50 at the usual
 *                     volatility, higher when the market is calmer than usual, lower in a storm.
 * The component is the mean of the sub-scores that have enough history; null when none has.
 */
import { bollingerBands } from '../indicators/bollingerBands.js';
import { rsi } from '../indicators/rsi.js';

export interface TechnicalScoreOptions {
	rsiLength?: number;
	bbLength?: number;
	bbMult?: number;
	volShort?: number;
	volLong?: number;
}

export const TECHNICAL_SCORE_DEFAULTS = { rsiLength: 14, bbLength: 20, bbMult: 2, volShort: 20, volLong: 100 } as const;

export interface TechnicalScore {
	score: number | null;
	rsi: number | null;
	rsiScore: number | null;
	bollingerPercentB: number | null;
	bollingerScore: number | null;
	volatilityRatio: number | null;
	volatilityScore: number | null;
}

export function technicalScore(closes: ArrayLike<number>, options: TechnicalScoreOptions = {}): TechnicalScore {
	const o = { ...TECHNICAL_SCORE_DEFAULTS, ...options };
	const src = Float64Array.from(closes);
	const n = src.length;
	const last = n - 1;
	const rsiValue = n > 0 ? finiteOrNull(rsi(src, o.rsiLength)[last]) : null;
	const rsiScore = rsiValue === null ? null : 100 - rsiValue;

	let percentB: number | null = null;
	let bollingerScore: number | null = null;
	if (n > 0) {
		const bands = bollingerBands(src, o.bbLength, o.bbMult);
		const upper = bands.upper[last]!;
		const lower = bands.lower[last]!;
		if (Number.isFinite(upper) && Number.isFinite(lower)) {
			percentB = upper > lower ? (src[last]! - lower) / (upper - lower) : 0.5;
			bollingerScore = 100 * Math.min(1, Math.max(0, 1 - percentB));
		}
	}

	const shortSd = logReturnStdev(src, o.volShort);
	const longSd = logReturnStdev(src, o.volLong);
	const volatilityRatio = shortSd !== null && longSd !== null && longSd > 0 ? shortSd / longSd : null;
	const volatilityScore = volatilityRatio === null ? null : 100 / (1 + volatilityRatio);

	const present = [rsiScore, bollingerScore, volatilityScore].filter((s): s is number => s !== null);
	const score = present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
	return {
		score,
		rsi: rsiValue,
		rsiScore,
		bollingerPercentB: percentB,
		bollingerScore,
		volatilityRatio,
		volatilityScore,
	};
}

/** Population stdev of the last `count` log returns; null without `count + 1` positive closes at the end. */
function logReturnStdev(closes: Float64Array, count: number): number | null {
	const n = closes.length;
	if (n < count + 1) return null;
	let sum = 0;
	let sumSq = 0;
	for (let i = n - count; i < n; i++) {
		const a = closes[i - 1]!;
		const b = closes[i]!;
		if (!(a > 0 && b > 0)) return null;
		const r = Math.log(b / a);
		sum += r;
		sumSq += r * r;
	}
	const mean = sum / count;
	return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
}

function finiteOrNull(x: number | undefined): number | null {
	return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
