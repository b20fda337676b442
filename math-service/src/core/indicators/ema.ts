/**
 * @module ema
 * Exponential moving average, Pine v6 `ta.ema(source, length)`: a trend estimate that weights recent
 * prices more (weight alpha = 2/(length+1) on the newest bar). The VWAP mean-reversion strategy only
 * buys above its 50-bar EMA of close (trend filter).
 */
import { SeededExponentialAverage } from './seededExponentialAverage.js';
import { isNa, validateLength } from './validateLength.js';

/**
 * Streaming EMA with TradingView's seeding.
 *
 * Formula: alpha = 2/(length+1); na for the first `length − 1` non-na values; on the `length`-th the
 * value is the SMA of those `length` values; then `ema = prev + alpha·(x − prev)`.
 * Note: the Pine reference's example seeds with the first value, but TradingView's output is
 * SMA-seeded (pine-semantics.md §4: PyneCore measurements over 27.8k bars; TradingView's EMA help page
 * quoted in QuantConnect/Lean#6336). na inputs are skipped. length 1 returns the input.
 * Source: Pine v6 reference `ta.ema`; docs/pine.md.
 */
export class EmaStream {
	private readonly core: SeededExponentialAverage;

	constructor(length: number) {
		validateLength('ema', length);
		this.core = new SeededExponentialAverage(length, 2 / (length + 1));
	}

	get length(): number {
		return this.core.length;
	}

	/** Adds one value (NaN = na, skipped); returns the EMA, NaN while warming up. */
	next(x: number): number {
		return this.core.next(x);
	}

	/** Adds one value (`null`/NaN = na) and returns the EMA, `null` while na. */
	update(x: number | null): number | null {
		const v = this.core.next(isNa(x) ? Number.NaN : x);
		return v === v ? v : null;
	}

	/** The current EMA, `null` while na. */
	get value(): number | null {
		const v = this.core.raw;
		return v === v ? v : null;
	}
}

/** Batch EMA (NaN = na in input and output); same numbers as {@link EmaStream}. */
export function ema(src: Float64Array, length: number): Float64Array {
	const s = new EmaStream(length);
	const n = src.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(src[i]);
	return out;
}
