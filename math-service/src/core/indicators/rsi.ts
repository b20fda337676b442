/**
 * @module rsi
 * Relative strength index, Pine v6 `ta.rsi(source, length)`: the share of recent up-moves in all
 * recent moves, scaled to 0–100 (Wilder). High values mean persistent buying, low values selling.
 */
import { SeededExponentialAverage } from './seededExponentialAverage.js';
import { isNa, validateLength } from './validateLength.js';

/**
 * Streaming RSI.
 *
 * Formula: change = x − x[1]; up = rma(max(change, 0), length); down = rma(max(−change, 0), length);
 * RSI = 100 if down = 0, else 0 if up = 0, else 100 − 100/(1 + up/down) (TradingView's built-in RSI
 * script). x[1] is the previous **bar**, as in Pine: the change is na on bar 0 and on the bar after an
 * na input, and na changes are skipped by the RMAs. Warm-up: the first value comes after `length`
 * non-na changes, i.e. on bar `length` for a gap-free series. A flat series gives 100 (down = 0).
 * Source: Pine v6 reference `ta.rsi`, `ta.rma`.
 */
export class RsiStream {
	readonly length: number;
	private readonly up: SeededExponentialAverage;
	private readonly down: SeededExponentialAverage;
	private prev = Number.NaN;
	private current = Number.NaN;

	constructor(length: number) {
		this.length = validateLength('rsi', length);
		this.up = new SeededExponentialAverage(length, 1 / length);
		this.down = new SeededExponentialAverage(length, 1 / length);
	}

	/** Adds one value (NaN = na); returns the RSI in [0, 100], NaN while warming up. */
	next(x: number): number {
		const change = x - this.prev; // NaN on bar 0 and around na inputs
		this.prev = x;
		if (change !== change) return this.current;
		const up = this.up.next(change > 0 ? change : 0);
		const down = this.down.next(change < 0 ? -change : 0);
		if (up !== up || down !== down) return this.current;
		this.current = down === 0 ? 100 : up === 0 ? 0 : 100 - 100 / (1 + up / down);
		return this.current;
	}

	/** Adds one value (`null`/NaN = na) and returns the RSI, `null` while na. */
	update(x: number | null): number | null {
		const v = this.next(isNa(x) ? Number.NaN : x);
		return v === v ? v : null;
	}

	/** The current RSI, `null` while na. */
	get value(): number | null {
		return this.current === this.current ? this.current : null;
	}
}

/** Batch RSI (NaN = na in input and output); same numbers as {@link RsiStream}. */
export function rsi(src: Float64Array, length: number): Float64Array {
	const s = new RsiStream(length);
	const n = src.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(src[i]);
	return out;
}
