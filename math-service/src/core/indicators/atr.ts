/**
 * @module atr
 * Average true range, Pine v6 `ta.atr(length)`: Wilder's average of each bar's full price range,
 * including overnight gaps — the usual yardstick for volatility-based stops and position sizes.
 */
import { SeededExponentialAverage } from './seededExponentialAverage.js';
import { validateLength } from './validateLength.js';

/** True range of one bar: max(h − l, |h − c[1]|, |l − c[1]|); h − l when there is no previous close. */
export function trueRange(high: number, low: number, prevClose: number): number {
	if (prevClose !== prevClose) return high - low;
	return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/**
 * Streaming ATR.
 *
 * Formula: ATR = rma(TR, length), TR as {@link trueRange} (`ta.tr(true)`: the first bar's TR is
 * high − low). Warm-up: na until `length` TR values, so the first ATR is on bar `length − 1`, equal to
 * the mean TR of bars 0..length−1. A bar with na high/low gives an na TR, which the RMA skips; its
 * close (even na) becomes the next bar's previous close, as `close[1]` does in Pine.
 * Source: Pine v6 reference `ta.atr`, `ta.tr`, `ta.rma`.
 */
export class AtrStream {
	readonly length: number;
	private readonly avg: SeededExponentialAverage;
	private prevClose = Number.NaN;

	constructor(length: number) {
		this.length = validateLength('atr', length);
		this.avg = new SeededExponentialAverage(length, 1 / length);
	}

	/** Adds one bar; returns the ATR, NaN while warming up. */
	next(high: number, low: number, close: number): number {
		const tr = trueRange(high, low, this.prevClose);
		this.prevClose = close;
		return this.avg.next(tr);
	}

	/** Adds one bar and returns the ATR, `null` while na. */
	update(high: number, low: number, close: number): number | null {
		const v = this.next(high, low, close);
		return v === v ? v : null;
	}

	/** The current ATR, `null` while na. */
	get value(): number | null {
		const v = this.avg.raw;
		return v === v ? v : null;
	}
}

/** Batch ATR over high/low/close columns (NaN = na); same numbers as {@link AtrStream}. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
	const s = new AtrStream(length);
	const n = close.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(high[i], low[i], close[i]);
	return out;
}
