/**
 * @module research/walkForward
 * Walk-forward validation: optimise on a past window, trade the chosen parameters on the window
 * that follows, roll forward, and judge the strategy only on the stitched out-of-sample record —
 * the part of the backtest no parameter choice has seen.
 *
 * Financial logic:
 * - windows: in-sample [s, s + IS), out-of-sample [s + IS, s + IS + OOS), s advancing by OOS, so the
 *   OOS windows tile the data without overlap (rolling; `anchored` keeps s fixed at the start and
 *   grows the in-sample window instead);
 * - in sample, the grid is swept and the row maximising the objective (default annualised Sharpe)
 *   with at least `minTrades` trades is chosen; with none, the OOS window stays flat (no trades);
 * - out of sample, the chosen parameters trade with indicators warmed up on all earlier bars; a
 *   position still open at the window's end is closed at its last close (`end_of_data`), so each
 *   window is a self-contained test;
 * - the OOS equity curves are chained: each window starts with the equity the previous one ended
 *   with (trade quantity, fees and pnl scale with it), and metrics/gates are computed on the
 *   stitched per-bar returns and trades.
 */

import { InvalidInputError } from '../../errors.js';
import { equityReturns } from '../backtest/accountTrades.js';
import type { StrategyParams } from '../backtest/collectEntrySignals.js';
import type { BacktestTrade } from '../backtest/runBacktest.js';
import { returnMetrics, type ReturnMetrics } from '../metrics/returnMetrics.js';
import { tradeMetrics, type TradeMetrics } from '../metrics/tradeMetrics.js';
import { bestRowIndex, SHARPE_OBJECTIVE, type SweepObjective } from './assessOverfitting.js';
import type { SweepEngine, SweepGrid, SweepRow } from './sweep.js';

export interface WalkForwardOptions {
	grid: SweepGrid;
	inSampleBars: number;
	outOfSampleBars: number;
	/** Keep the in-sample start fixed (expanding window) instead of rolling it (default false). */
	anchored?: boolean;
	objective?: SweepObjective;
	/** Minimum in-sample trades for a row to be eligible (default 1). */
	minTrades?: number;
	fromIndex?: number;
	toIndex?: number;
	/** Called after each window with (done, total). */
	onProgress?: (done: number, total: number) => void;
}

export interface WalkForwardWindow {
	inSample: { fromIndex: number; toIndex: number };
	outOfSample: { fromIndex: number; toIndex: number };
	/** The in-sample winner; null when no row qualified (the OOS window is then flat). */
	chosen: StrategyParams | null;
	inSampleBest: SweepRow | null;
	outOfSampleTradeCount: number;
	outOfSampleReturnRatio: number;
}

export interface WalkForwardResult {
	windows: WalkForwardWindow[];
	/** Grid combinations tried per window. */
	trialsPerWindow: number;
	trades: BacktestTrade[];
	/** Stitched OOS equity at each bar close, quote currency (first OOS bar to last). */
	equity: Float64Array;
	returns: Float64Array;
	finalEquity: number;
	totalReturnRatio: number;
	startTimeMs: number;
	endTimeMs: number;
	spanYears: number;
	periodsPerYear: number;
	metrics: ReturnMetrics;
	tradeStats: TradeMetrics;
}

const YEAR_MS = 365.25 * 86_400_000;

/** Runs the walk-forward on `engine`'s candles; see the module header. */
export function walkForward(engine: SweepEngine, o: WalkForwardOptions): WalkForwardResult {
	const n = engine.candles.length;
	const from = o.fromIndex ?? 0;
	const to = o.toIndex ?? n;
	const is = o.inSampleBars;
	const oos = o.outOfSampleBars;
	if (!(Number.isInteger(is) && Number.isInteger(oos) && is >= 2 && oos >= 2)) {
		throw new InvalidInputError('inSampleBars and outOfSampleBars must be integers >= 2', ['inSampleBars']);
	}
	if (!(from >= 0 && to <= n && to - from >= is + 2)) {
		throw new InvalidInputError(`bar range [${from}, ${to}) is shorter than one in-sample window plus 2 bars`, ['range']);
	}
	const objective = o.objective ?? SHARPE_OBJECTIVE;
	const minTrades = o.minTrades ?? 1;
	const capital = engine.broker.initialCapital;
	const total = Math.ceil((to - from - is) / oos);
	const windows: WalkForwardWindow[] = [];
	const trades: BacktestTrade[] = [];
	const equity = new Float64Array(to - from - is);
	let written = 0;
	let current = capital;
	for (let w = 0; w < total; w++) {
		const oosFrom = from + is + w * oos;
		const oosTo = Math.min(oosFrom + oos, to);
		const isFrom = o.anchored ? from : oosFrom - is;
		const sweep = engine.run(o.grid, { fromIndex: isFrom, toIndex: oosFrom });
		const bestIndex = bestRowIndex(sweep.rows, objective, minTrades);
		const best = bestIndex >= 0 ? sweep.rows[bestIndex] : null;
		const scale = current / capital;
		let tradeCount = 0;
		let windowReturn = 0;
		if (best !== null && oosTo - oosFrom >= 2) {
			const bt = engine.backtest(best.params, oosFrom, oosTo);
			for (let j = 0; j < bt.equity.length; j++) equity[written + j] = bt.equity[j] * scale;
			for (const t of bt.trades) trades.push({ ...t, quantity: t.quantity * scale, fees: t.fees * scale, pnl: t.pnl * scale });
			tradeCount = bt.trades.length;
			windowReturn = bt.totalReturnRatio;
			current = bt.finalEquity * scale;
		} else {
			equity.fill(current, written, written + (oosTo - oosFrom));
		}
		written += oosTo - oosFrom;
		windows.push({
			inSample: { fromIndex: isFrom, toIndex: oosFrom },
			outOfSample: { fromIndex: oosFrom, toIndex: oosTo },
			chosen: best?.params ?? null,
			inSampleBest: best,
			outOfSampleTradeCount: tradeCount,
			outOfSampleReturnRatio: windowReturn,
		});
		o.onProgress?.(w + 1, total);
	}
	const returns = equityReturns(equity);
	const periodsPerYear = engine.periodsPerYear;
	const startTimeMs = engine.candles.openTime[from + is];
	const endTimeMs = engine.candles.openTime[to - 1] + engine.broker.timeframeMs;
	const trialsPerWindow = o.grid.stdevLength.length * o.grid.deviationThreshold.length * o.grid.trendEmaLength.length * o.grid.stopRatio.length;
	return {
		windows,
		trialsPerWindow,
		trades,
		equity,
		returns,
		finalEquity: current,
		totalReturnRatio: current / capital - 1,
		startTimeMs,
		endTimeMs,
		spanYears: (endTimeMs - startTimeMs) / YEAR_MS,
		periodsPerYear,
		metrics: returnMetrics(returns, periodsPerYear),
		tradeStats: tradeMetrics(trades),
	};
}
