/**
 * @module rma
 * Wilder's running moving average, Pine v6 `ta.rma(source, length)`: the slow exponential average
 * (alpha = 1/length) behind RSI and ATR, giving a `length`-bar "memory" of gains, losses and ranges.
 */
import { SeededExponentialAverage } from './seededExponentialAverage.js';
import { isNa, validateLength } from './validateLength.js';

/**
 * Streaming RMA.
 *
 * Formula: alpha = 1/length; na for the first `length − 1` non-na values; seeded with their SMA on the
 * `length`-th (the reference's `na(sum[1]) ? ta.sma(src, length) : …`); then `prev + alpha·(x − prev)`.
 * na inputs are skipped. length 1 returns the input. Source: Pine v6 reference, `ta.rma`.
 */
export class RmaStream {
	private readonly core: SeededExponentialAverage;

	constructor(length: number) {
		validateLength('rma', length);
		this.core = new SeededExponentialAverage(length, 1 / length);
	}

	get length(): number {
		return this.core.length;
	}

	/** Adds one value (NaN = na, skipped); returns the RMA, NaN while warming up. */
	next(x: number): number {
		return this.core.next(x);
	}

	/** Adds one value (`null`/NaN = na) and returns the RMA, `null` while na. */
	update(x: number | null): number | null {
		const v = this.core.next(isNa(x) ? Number.NaN : x);
		return v === v ? v : null;
	}

	/** The current RMA, `null` while na. */
	get value(): number | null {
		const v = this.core.raw;
		return v === v ? v : null;
	}
}

/** Batch RMA (NaN = na in input and output); same numbers as {@link RmaStream}. */
export function rma(src: Float64Array, length: number): Float64Array {
	const s = new RmaStream(length);
	const n = src.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(src[i]);
	return out;
}
