/**
 * @module bollingerBands
 * Bollinger Bands, as TradingView's built-in `BB` / Pine v6 `ta.bb`: a `length`-bar SMA "basis" with
 * bands `mult` population standard deviations above and below — a volatility envelope; closes outside
 * it are statistically stretched.
 */
import { SmaStream, sma } from './sma.js';
import { StdevStream, stdev } from './stdev.js';
import { isNa, validateLength } from './validateLength.js';

export interface BollingerBandsSeries {
	basis: Float64Array;
	upper: Float64Array;
	lower: Float64Array;
}

/**
 * Streaming Bollinger Bands.
 *
 * Formula: basis = sma(src, length); dev = mult · stdev(src, length) (biased/population, Pine's
 * default); upper = basis + dev; lower = basis − dev. Warm-up: na for the first `length − 1` non-na
 * values. na inputs are skipped. `update` returns the basis (`null` = na); read `upper` and `lower`
 * from the getters after each update (no object per bar).
 * Source: Pine v6 reference `ta.bb`; TradingView built-in "Bollinger Bands" script.
 */
export class BollingerStream {
	readonly length: number;
	readonly mult: number;
	private readonly sma: SmaStream;
	private readonly sd: StdevStream;
	private basisValue = Number.NaN;
	private upperValue = Number.NaN;
	private lowerValue = Number.NaN;

	constructor(length: number, mult: number) {
		this.length = validateLength('bollingerBands', length);
		this.mult = mult;
		this.sma = new SmaStream(length);
		this.sd = new StdevStream(length, true);
	}

	/** Adds one value (NaN = na); returns the basis (NaN while warming up) and sets upper/lower. */
	next(x: number): number {
		const basis = this.sma.next(x);
		const dev = this.mult * this.sd.next(x);
		this.basisValue = basis;
		this.upperValue = basis + dev;
		this.lowerValue = basis - dev;
		return basis;
	}

	/** Adds one value (`null`/NaN = na) and returns the basis, `null` while na. */
	update(x: number | null): number | null {
		const v = this.next(isNa(x) ? Number.NaN : x);
		return v === v ? v : null;
	}

	/** The basis (SMA), `null` while na. */
	get value(): number | null {
		return this.basis;
	}
	get basis(): number | null {
		return this.basisValue === this.basisValue ? this.basisValue : null;
	}
	get upper(): number | null {
		return this.upperValue === this.upperValue ? this.upperValue : null;
	}
	get lower(): number | null {
		return this.lowerValue === this.lowerValue ? this.lowerValue : null;
	}
	/** Upper band as a number, NaN while na (for batch loops). */
	get upperRaw(): number {
		return this.upperValue;
	}
	/** Lower band as a number, NaN while na (for batch loops). */
	get lowerRaw(): number {
		return this.lowerValue;
	}
}

/**
 * Batch Bollinger Bands (NaN = na); same numbers as {@link BollingerStream}: the batch SMA and stdev
 * run the same running algorithms, and the bands use the same `basis ± mult·σ` arithmetic.
 */
export function bollingerBands(src: Float64Array, length: number, mult: number): BollingerBandsSeries {
	validateLength('bollingerBands', length);
	const basis = sma(src, length);
	const upper = stdev(src, length, true);
	const n = src.length;
	const lower = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const dev = mult * upper[i];
		const b = basis[i];
		upper[i] = b + dev;
		lower[i] = b - dev;
	}
	return { basis, upper, lower };
}
