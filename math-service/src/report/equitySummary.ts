/**
 * @module report/equitySummary
 * A small picture of an equity curve for an API answer or a chat message: at most `maxPoints`
 * points (the equity at the close of the last bar of each of that many equal bar buckets, plus the
 * first bar), the start and end equity, the peak and trough, and the maximum drawdown of the full
 * curve (largest fall from a running peak, as a positive fraction; 0 when it never falls).
 */
import { isoTime } from './toSnakeCase.js';

export interface EquitySummary {
	points: { time: string; equity: number }[];
	initial_capital: number;
	final_equity: number;
	peak_equity: number;
	min_equity: number;
	max_drawdown_ratio: number;
	bars: number;
}

/** `equity[i]` is the equity at the close of bar `fromIndex + i`; `openTime` the candles' open times. */
export function equitySummary(equity: ArrayLike<number>, openTime: ArrayLike<number>, fromIndex: number, timeframeMs: number, initialCapital: number, maxPoints = 100): EquitySummary {
	const n = equity.length;
	const per = Math.max(1, Math.ceil(n / Math.max(1, maxPoints - 1)));
	const closeTime = (i: number) => isoTime(openTime[fromIndex + i] + timeframeMs);
	const points: EquitySummary['points'] = [];
	if (n > 0) points.push({ time: closeTime(0), equity: equity[0] });
	for (let end = Math.min(n, per) - 1; end < n; end += per) {
		if (end > 0) points.push({ time: closeTime(end), equity: equity[end] });
		if (end + per >= n && end !== n - 1) points.push({ time: closeTime(n - 1), equity: equity[n - 1] });
	}
	let peak = initialCapital;
	let min = initialCapital;
	let worst = 0;
	for (let i = 0; i < n; i++) {
		const e = equity[i];
		if (e > peak) peak = e;
		if (e < min) min = e;
		const dd = (peak - e) / peak;
		if (dd > worst) worst = dd;
	}
	return { points, initial_capital: initialCapital, final_equity: n > 0 ? equity[n - 1] : initialCapital, peak_equity: peak, min_equity: min, max_drawdown_ratio: worst, bars: n };
}
