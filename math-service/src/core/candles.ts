/**
 * @module candles
 * OHLCV candles in column form (struct of arrays): one Float64Array per field, index i = bar i in
 * ascending open-time order. Columns keep a million bars in a few typed arrays, so indicators run
 * as tight single passes without one object per bar. Pure: no I/O.
 */

/** Candle columns. `openTime` is the bar's open time in ms since the Unix epoch (UTC). */
export interface CandleColumns {
	openTime: Float64Array;
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	/** Base-asset volume (BTC for BTCUSDT). */
	volume: Float64Array;
	/** Number of bars; every column has at least this many elements. */
	length: number;
}

/** One closed bar, for streaming consumers (live scanners). */
export interface Candle {
	openTime: number;
	open: number;
	high: number;
	low: number;
	close: number;
	volume: number;
}

/**
 * Pine's `hlc3`: the typical price (high + low + close) / 3 of each bar.
 * Computed as `(h + l + c) / 3` in that order, exactly as Pine evaluates the expression.
 * Source: Pine v6 reference, variable `hlc3`.
 */
export function hlc3(c: CandleColumns): Float64Array {
	const n = c.length;
	const out = new Float64Array(n);
	const { high, low, close } = c;
	for (let i = 0; i < n; i++) out[i] = (high[i] + low[i] + close[i]) / 3;
	return out;
}

/** Typical price of one bar, the streaming twin of {@link hlc3} (same arithmetic, same bits). */
export function barHlc3(bar: Pick<Candle, 'high' | 'low' | 'close'>): number {
	return (bar.high + bar.low + bar.close) / 3;
}

/** Bars [from, to) as views over the same buffers (no copy). */
export function sliceCandles(c: CandleColumns, from: number, to: number = c.length): CandleColumns {
	const a = Math.max(0, Math.min(from, c.length));
	const b = Math.max(a, Math.min(to, c.length));
	return {
		openTime: c.openTime.subarray(a, b),
		open: c.open.subarray(a, b),
		high: c.high.subarray(a, b),
		low: c.low.subarray(a, b),
		close: c.close.subarray(a, b),
		volume: c.volume.subarray(a, b),
		length: b - a,
	};
}
