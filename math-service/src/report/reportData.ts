/**
 * @module report/reportData
 * The data a backtest report draws, downsampled so a million one-minute bars still give a page
 * that opens instantly: the window's bars are cut into at most `maxPoints` consecutive buckets of
 * equal bar count. Per bucket: an OHLC candle (first open, highest high, lowest low, last close),
 * the equity at the bucket's last bar close, and the deepest drawdown reached inside the bucket
 * (drawdown = equity ÷ running peak − 1, computed on every bar before bucketing, so the worst
 * drawdown of the backtest is never smoothed away). Trades are marked on the bucket holding their
 * fill bar. Times are UTC seconds (lightweight-charts' UTCTimestamp).
 */
import type { CandleColumns } from '../core/candles.js';
import type { BacktestResult } from '../core/backtest/runBacktest.js';

export interface ReportCandle { time: number; open: number; high: number; low: number; close: number }
export interface ReportPoint { time: number; value: number }
export interface ReportMarker { time: number; position: 'belowBar' | 'aboveBar'; shape: 'arrowUp' | 'arrowDown'; color: string; text: string }

export interface ReportSeries {
	/** Bars per bucket (1 = no downsampling). */
	barsPerPoint: number;
	candles: ReportCandle[];
	equity: ReportPoint[];
	/** Drawdown as a negative fraction (−0.12 = 12% below the peak). */
	drawdown: ReportPoint[];
	markers: ReportMarker[];
	/** Trades that got markers (the first `markedTrades` of `tradeCount`). */
	markedTrades: number;
	tradeCount: number;
}

export const DEFAULT_MAX_POINTS = 2000;
export const DEFAULT_MAX_MARKED_TRADES = 2000;

const EXIT_LABEL: Record<string, string> = { target: 'TP', stop: 'SL', time: 'T', end_of_data: 'E' };

export function buildReportSeries(
	candles: CandleColumns,
	result: Pick<BacktestResult, 'fromIndex' | 'toIndex' | 'equity' | 'trades'>,
	maxPoints = DEFAULT_MAX_POINTS,
	maxMarkedTrades = DEFAULT_MAX_MARKED_TRADES,
): ReportSeries {
	const { fromIndex: from, toIndex: to, equity } = result;
	const n = to - from;
	const per = Math.max(1, Math.ceil(n / maxPoints));
	const out: ReportSeries = { barsPerPoint: per, candles: [], equity: [], drawdown: [], markers: [], markedTrades: 0, tradeCount: result.trades.length };
	let peak = -Infinity;
	for (let b = 0; b < n; b += per) {
		const end = Math.min(n, b + per);
		const time = candles.openTime[from + b] / 1000;
		let high = -Infinity;
		let low = Infinity;
		let worst = 0;
		for (let j = b; j < end; j++) {
			const i = from + j;
			if (candles.high[i] > high) high = candles.high[i];
			if (candles.low[i] < low) low = candles.low[i];
			if (equity[j] > peak) peak = equity[j];
			const dd = equity[j] / peak - 1;
			if (dd < worst) worst = dd;
		}
		out.candles.push({ time, open: candles.open[from + b], high, low, close: candles.close[from + end - 1] });
		out.equity.push({ time, value: equity[end - 1] });
		out.drawdown.push({ time, value: worst });
	}
	const bucketTime = (index: number) => candles.openTime[from + Math.floor((index - from) / per) * per] / 1000;
	const marked = Math.min(result.trades.length, maxMarkedTrades);
	for (let k = 0; k < marked; k++) {
		const t = result.trades[k];
		out.markers.push({ time: bucketTime(t.entryIndex), position: 'belowBar', shape: 'arrowUp', color: '#2962ff', text: 'B' });
		out.markers.push({ time: bucketTime(t.exitIndex), position: 'aboveBar', shape: 'arrowDown', color: t.pnl >= 0 ? '#089981' : '#f23645', text: EXIT_LABEL[t.exitReason] ?? t.exitReason });
	}
	// lightweight-charts wants markers in time order.
	out.markers.sort((a, b) => a.time - b.time);
	out.markedTrades = marked;
	return out;
}
