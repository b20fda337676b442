/**
 * @module research/assessOverfitting
 * The overfitting guard shown beside the best result of a sweep: which combination is best by the
 * objective, its Deflated Sharpe Ratio (selection bias from N trials, non-normal returns) and, when
 * the sweep kept per-block return sums, the Probability of Backtest Overfitting by CSCV.
 * See deflatedSharpeRatio.ts and probabilityOfBacktestOverfitting.ts for the mathematics.
 */

import { sampleMoments } from '../stats/sampleMoments.js';
import { deflatedSharpeRatio, type DeflatedSharpe } from './deflatedSharpeRatio.js';
import { probabilityOfBacktestOverfitting, type PboResult } from './probabilityOfBacktestOverfitting.js';
import type { SweepEngine, SweepResult, SweepRow } from './sweep.js';

/** Score of a row to maximise; null excludes the row. Default: annualised Sharpe. */
export type SweepObjective = (row: SweepRow) => number | null;

export const SHARPE_OBJECTIVE: SweepObjective = (row) => row.metrics.sharpeRatio;
export const TOTAL_RETURN_OBJECTIVE: SweepObjective = (row) => row.totalReturnRatio;

/** Index of the best row by `objective` among rows with at least `minTrades` trades; −1 if none. */
export function bestRowIndex(rows: readonly SweepRow[], objective: SweepObjective = SHARPE_OBJECTIVE, minTrades = 1): number {
	let best = -1;
	let bestScore = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < rows.length; i++) {
		if (rows[i].tradeCount < minTrades) continue;
		const s = objective(rows[i]);
		if (s !== null && Number.isFinite(s) && s > bestScore) {
			bestScore = s;
			best = i;
		}
	}
	return best;
}

export interface OverfittingReport {
	bestIndex: number;
	best: SweepRow | null;
	/** Trials counted for the deflation: rows with a defined Sharpe. */
	trials: number;
	/** Per-period Sharpe of the best row, its skewness and kurtosis (non-excess) and the trials' Sharpe variance. */
	perPeriodSharpe: number | null;
	skewness: number | null;
	kurtosis: number | null;
	trialSharpeVariance: number | null;
	deflatedSharpe: DeflatedSharpe | null;
	/** Present when the sweep ran with `blockCount`. */
	pbo: PboResult | null;
}

/** Evaluates the guard for `sweep` (produced by `engine`); see the module header. */
export function assessOverfitting(engine: SweepEngine, sweep: SweepResult, objective: SweepObjective = SHARPE_OBJECTIVE, minTrades = 1): OverfittingReport {
	const bestIndex = bestRowIndex(sweep.rows, objective, minTrades);
	const rootP = Math.sqrt(sweep.periodsPerYear);
	const sharpes = sweep.rows.map((r) => r.metrics.sharpeRatio).filter((x): x is number => x !== null).map((x) => x / rootP);
	const trials = sharpes.length;
	let variance: number | null = null;
	if (trials >= 2) {
		const mean = sharpes.reduce((a, x) => a + x, 0) / trials;
		variance = sharpes.reduce((a, x) => a + (x - mean) * (x - mean), 0) / (trials - 1);
	}
	const pbo = sweep.blockReturns !== null && sweep.rows.length >= 2 ? probabilityOfBacktestOverfitting(sweep.blockReturns) : null;
	const report: OverfittingReport = {
		bestIndex, best: bestIndex >= 0 ? sweep.rows[bestIndex] : null, trials,
		perPeriodSharpe: null, skewness: null, kurtosis: null, trialSharpeVariance: variance, deflatedSharpe: null, pbo,
	};
	if (bestIndex < 0) return report;
	const returns = engine.backtest(sweep.rows[bestIndex].params, sweep.fromIndex, sweep.toIndex).returns;
	const m = sampleMoments(returns);
	const m2 = m.m2Sum / m.n;
	if (!(m.n >= 2 && m2 > 0)) return report;
	const sr = m.mean / Math.sqrt(m.m2Sum / (m.n - 1));
	report.perPeriodSharpe = sr;
	report.skewness = m.m3Sum / m.n / Math.pow(m2, 1.5);
	report.kurtosis = m.m4Sum / m.n / (m2 * m2);
	report.deflatedSharpe = deflatedSharpeRatio({
		sharpeRatio: sr, periods: m.n, skewness: report.skewness, kurtosis: report.kurtosis,
		trials: Math.max(1, trials), trialSharpeVariance: variance ?? 0,
	});
	return report;
}
