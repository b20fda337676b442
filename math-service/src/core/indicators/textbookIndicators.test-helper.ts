/**
 * Textbook indicator definitions for tests: plain array loops written from the Pine v6 reference
 * definitions, sharing no code with the indicators under test (no running sums, no shifts, no
 * streams). Meant for real candles, which have no na values; every function returns NaN where Pine
 * gives na (warm-up).
 */

/** Mean of xs[i−n+1..i], summed afresh for every bar. */
export function textbookSma(xs: ArrayLike<number>, n: number): Float64Array {
	const out = new Float64Array(xs.length).fill(Number.NaN);
	for (let i = n - 1; i < xs.length; i++) {
		let sum = 0;
		for (let k = i - n + 1; k <= i; k++) sum += xs[k];
		out[i] = sum / n;
	}
	return out;
}

/** Two-pass standard deviation of xs[i−n+1..i]: population (÷n) when biased, else sample (÷(n−1)). */
export function textbookStdev(xs: ArrayLike<number>, n: number, biased = true): Float64Array {
	const out = new Float64Array(xs.length).fill(Number.NaN);
	const mean = textbookSma(xs, n);
	for (let i = n - 1; i < xs.length; i++) {
		let squares = 0;
		for (let k = i - n + 1; k <= i; k++) squares += (xs[k] - mean[i]) ** 2;
		out[i] = Math.sqrt(squares / (biased ? n : n - 1));
	}
	return out;
}

/** Exponential average seeded with the mean of the first n values: prev + alpha·(x − prev). */
function seededAverage(xs: ArrayLike<number>, n: number, alpha: number, start = 0): Float64Array {
	const out = new Float64Array(xs.length).fill(Number.NaN);
	const seedBar = start + n - 1;
	if (seedBar >= xs.length) return out;
	let sum = 0;
	for (let k = start; k <= seedBar; k++) sum += xs[k];
	out[seedBar] = sum / n;
	for (let i = seedBar + 1; i < xs.length; i++) out[i] = out[i - 1] + alpha * (xs[i] - out[i - 1]);
	return out;
}

/** `ta.ema`: alpha = 2/(n+1), SMA-seeded (TradingView's output). */
export const textbookEma = (xs: ArrayLike<number>, n: number) => seededAverage(xs, n, 2 / (n + 1));

/** `ta.rma` (Wilder): alpha = 1/n, SMA-seeded. */
export const textbookRma = (xs: ArrayLike<number>, n: number, start = 0) => seededAverage(xs, n, 1 / n, start);

/** `ta.rsi`: Wilder averages of up and down moves from bar 1; 100 when nothing went down, 0 when nothing went up. */
export function textbookRsi(xs: ArrayLike<number>, n: number): Float64Array {
	const ups = new Float64Array(xs.length);
	const downs = new Float64Array(xs.length);
	for (let i = 1; i < xs.length; i++) {
		ups[i] = Math.max(xs[i] - xs[i - 1], 0);
		downs[i] = Math.max(xs[i - 1] - xs[i], 0);
	}
	const up = textbookRma(ups, n, 1);
	const down = textbookRma(downs, n, 1);
	return up.map((u, i) => (Number.isNaN(u) ? Number.NaN : down[i] === 0 ? 100 : u === 0 ? 0 : 100 - 100 / (1 + u / down[i])));
}

/** `ta.atr`: Wilder average of the true range, the first bar's range being high − low. */
export function textbookAtr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, n: number): Float64Array {
	const tr = new Float64Array(high.length);
	for (let i = 0; i < high.length; i++)
		tr[i] = i === 0 ? high[i] - low[i] : Math.max(high[i] - low[i], Math.abs(high[i] - close[i - 1]), Math.abs(low[i] - close[i - 1]));
	return textbookRma(tr, n);
}

/** `ta.vwap` anchored at bar 0 and at every new UTC day: Σ(src·volume)/Σvolume, na while Σvolume = 0. */
export function textbookVwap(src: ArrayLike<number>, volume: ArrayLike<number>, openTime: ArrayLike<number>): Float64Array {
	const out = new Float64Array(src.length);
	let pv = 0;
	let v = 0;
	for (let i = 0; i < src.length; i++) {
		if (i === 0 || Math.floor(openTime[i] / 86_400_000) !== Math.floor(openTime[i - 1] / 86_400_000)) {
			pv = 0;
			v = 0;
		}
		pv += src[i] * volume[i];
		v += volume[i];
		out[i] = v > 0 ? pv / v : Number.NaN;
	}
	return out;
}
