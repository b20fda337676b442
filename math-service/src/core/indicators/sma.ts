/**
 * @module sma
 * Simple moving average, Pine v6 `ta.sma(source, length)`: the plain mean of the last `length`
 * values, the baseline "fair price" of a window (Bollinger basis, EMA/RMA seed).
 *
 * Conventions for every indicator in this folder:
 * - Batch forms return a Float64Array with **NaN where Pine gives `na`**; streaming classes return
 *   `number | null` (`null` = `na`) and are O(1) per bar with no allocation.
 * - `na` inputs (NaN or null) are **skipped**, as the Pine reference says ("`na` values in the source
 *   series are ignored; the function calculates on the `length` quantity of non-`na` values"): the
 *   state does not move and the output on that bar repeats the value over the last `length` non-na
 *   values (na while fewer than `length` have been seen).
 * - Batch and streaming forms run the same arithmetic in the same order, so they agree bit for bit
 *   (tested on whole real candle files: exact equality).
 */
import { isNa, validateLength } from './validateLength.js';

/**
 * Streaming SMA: mean of the last `length` non-na values.
 *
 * Formula: Σ(last `length` values) / `length`. The running sum is updated as `sum += x − x_old`, and
 * re-summed exactly from the window (oldest to newest) every `length` accepted values, so rounding
 * drift never accumulates beyond one window (amortised O(1)); relative error ≲ 1e-15.
 * Warm-up: na until `length` non-na values have arrived. Source: Pine v6 reference, `ta.sma`.
 */
export class SmaStream {
	readonly length: number;
	private readonly ring: Float64Array;
	private head = 0; // index of the oldest value once full
	private count = 0;
	private sum = 0;
	private sinceResum = 0;
	private current = Number.NaN;

	constructor(length: number) {
		this.length = validateLength('sma', length);
		this.ring = new Float64Array(this.length);
	}

	/** Adds one bar's value (NaN = na, skipped) and returns the SMA, NaN while warming up. */
	next(x: number): number {
		if (x !== x) return this.current;
		const n = this.length;
		if (this.count < n) {
			this.ring[this.count++] = x;
			this.sum += x;
			if (this.count === n) this.current = this.sum / n;
			return this.current;
		}
		const ring = this.ring;
		const old = ring[this.head];
		ring[this.head] = x;
		this.head = this.head + 1 === n ? 0 : this.head + 1;
		if (++this.sinceResum === n) {
			this.sinceResum = 0;
			let s = 0;
			for (let k = this.head; k < n; k++) s += ring[k];
			for (let k = 0; k < this.head; k++) s += ring[k];
			this.sum = s;
		} else {
			this.sum += x - old;
		}
		this.current = this.sum / n;
		return this.current;
	}

	/** Adds one bar's value (`null`/NaN = na) and returns the SMA, `null` while it is na. */
	update(x: number | null): number | null {
		const v = this.next(isNa(x) ? Number.NaN : x);
		return v === v ? v : null;
	}

	/** The current SMA, `null` while na. */
	get value(): number | null {
		return this.current === this.current ? this.current : null;
	}
}

/**
 * Batch SMA over a whole series (NaN = na in input and output). Same numbers as {@link SmaStream}.
 * Degenerate cases: length 1 returns the input (NaN bars carry the last value); a series with fewer
 * than `length` non-na values is all NaN. Source: Pine v6 reference, `ta.sma`.
 */
export function sma(src: Float64Array, length: number): Float64Array {
	const s = new SmaStream(length);
	const n = src.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(src[i]);
	return out;
}
