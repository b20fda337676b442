/**
 * @module seededExponentialAverage
 * The recursion shared by Pine's `ta.ema` (alpha = 2/(length+1)) and `ta.rma` (alpha = 1/length):
 * an exponentially weighted average whose first value is the SMA of the first `length` non-na values.
 */

/**
 * SMA-seeded exponential average. na for the first `length − 1` non-na values; on the `length`-th it
 * equals their mean (Σ in arrival order / length, the same bits as `ta.sma` on that bar); afterwards
 * `prev + alpha·(x − prev)` — the form PyneCore measured as bit-equal to TradingView (the algebraic
 * twin `alpha·x + (1 − alpha)·prev` drifts in the last bits). na inputs are skipped (value repeats).
 */
export class SeededExponentialAverage {
	readonly length: number;
	readonly alpha: number;
	private count = 0;
	private seedSum = 0;
	private current = Number.NaN;

	constructor(length: number, alpha: number) {
		this.length = length;
		this.alpha = alpha;
	}

	/** Adds one value (NaN = na, skipped); returns the average, NaN while warming up. */
	next(x: number): number {
		if (x !== x) return this.current;
		if (this.count < this.length) {
			this.seedSum += x;
			if (++this.count === this.length) this.current = this.seedSum / this.length;
			return this.current;
		}
		const prev = this.current;
		this.current = prev + this.alpha * (x - prev);
		return this.current;
	}

	/** The current value, NaN while na. */
	get raw(): number {
		return this.current;
	}
}
