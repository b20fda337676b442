/**
 * @module report/runSweepReport
 * A parameter sweep as the CLI and `POST /v1/backtests/sweep` run it: every combination of the
 * grid on one candle series (core/research/sweep: indicators computed once per distinct length and
 * shared), one JSON row per combination, the best row by annualised Sharpe with its full metrics
 * and KPI gates, and beside it the overfitting guard: the Deflated Sharpe Ratio of the best row
 * (Bailey & López de Prado 2014; trials = combinations with a defined Sharpe) and, with
 * `pboBlocks`, the Probability of Backtest Overfitting by CSCV over that many equal time blocks.
 * Optionally a walk-forward: optimise on `trainBars`, trade the winner on the next `testBars`,
 * roll, and judge only the stitched out-of-sample record (core/research/walkForward).
 */
import type { CandleColumns } from '../core/candles.js';
import { timeframeToMs, type BrokerOptions } from '../core/backtest/brokerOptions.js';
import { assessOverfitting, type OverfittingReport } from '../core/research/assessOverfitting.js';
import { SweepEngine, type SweepGrid, type SweepRow } from '../core/research/sweep.js';
import { walkForward, type WalkForwardResult } from '../core/research/walkForward.js';
import { InvalidInputError } from '../errors.js';
import { bothGates, metricsJson, paramsJson, tradeJson, type DataInfo, type GatesJson, type TradeJson } from './backtestJson.js';
import { barRange } from './runBacktestReport.js';
import { isoTime, snakeKeys } from './toSnakeCase.js';

export interface WalkForwardSpec {
	trainBars: number;
	testBars: number;
	anchored?: boolean;
	/** Minimum in-sample trades for a combination to be chosen (default 1). */
	minTrades?: number;
}

export interface SweepReportInput {
	candles: CandleColumns;
	data: DataInfo;
	fromMs?: number;
	toMs?: number;
	grid: SweepGrid;
	broker?: Partial<BrokerOptions>;
	/** CSCV blocks for PBO (even, 2–24; default 16); 0 skips PBO (faster). */
	pboBlocks?: number;
	walkForward?: WalkForwardSpec;
	onProgress?: (done: number, total: number) => void;
	onWalkForwardProgress?: (done: number, total: number) => void;
	/** Keep only the first N walk-forward trades in the JSON. */
	tradeLimit?: number;
}

export interface SweepRowJson {
	params: Record<string, number>;
	trade_count: number;
	total_return: number;
	metrics: Record<string, unknown>;
}

export interface SweepJson {
	data: DataInfo & { from: string; to: string; bars: number; warmup_bars: number };
	broker: Record<string, unknown>;
	grid: Record<string, number[]>;
	combinations: number;
	rows: SweepRowJson[];
	best: (SweepRowJson & { index: number; full_metrics: Record<string, number | null>; gates: { seed1: GatesJson; seed2: GatesJson } }) | null;
	overfitting: Record<string, unknown>;
	walk_forward?: Record<string, unknown>;
}

const rowJson = (row: SweepRow): SweepRowJson => ({
	params: paramsJson(row.params),
	trade_count: row.tradeCount,
	total_return: row.totalReturnRatio,
	metrics: snakeKeys(row.metrics),
});

function overfittingJson(o: OverfittingReport): Record<string, unknown> {
	return {
		objective: 'sharpe_ratio',
		trials: o.trials,
		deflated_sharpe_ratio: o.deflatedSharpe?.deflatedSharpeRatio ?? null,
		expected_max_sharpe_per_period: o.deflatedSharpe?.expectedMaxSharpe ?? null,
		sharpe_per_period: o.perPeriodSharpe,
		skewness: o.skewness,
		kurtosis: o.kurtosis,
		trial_sharpe_variance: o.trialSharpeVariance,
		pbo: o.pbo === null ? null : snakeKeys(o.pbo),
	};
}

function walkForwardJson(wf: WalkForwardResult, spec: WalkForwardSpec, openTime: ArrayLike<number>, initialCapital: number, tradeLimit?: number): Record<string, unknown> {
	const trades: TradeJson[] = (tradeLimit === undefined ? wf.trades : wf.trades.slice(0, tradeLimit)).map((t) => tradeJson(t, openTime));
	const window = (w: { fromIndex: number; toIndex: number }) => ({ from: isoTime(openTime[w.fromIndex]), to: isoTime(openTime[w.toIndex - 1]), bars: w.toIndex - w.fromIndex });
	return {
		train_bars: spec.trainBars,
		test_bars: spec.testBars,
		anchored: spec.anchored ?? false,
		trials_per_window: wf.trialsPerWindow,
		from: isoTime(wf.startTimeMs),
		to: isoTime(wf.endTimeMs),
		windows: wf.windows.map((w) => ({
			in_sample: window(w.inSample),
			out_of_sample: window(w.outOfSample),
			chosen: w.chosen === null ? null : paramsJson(w.chosen),
			in_sample_sharpe: w.inSampleBest?.metrics.sharpeRatio ?? null,
			in_sample_trade_count: w.inSampleBest?.tradeCount ?? 0,
			out_of_sample_trade_count: w.outOfSampleTradeCount,
			out_of_sample_return: w.outOfSampleReturnRatio,
		})),
		trade_count: wf.trades.length,
		trades,
		metrics: metricsJson(wf, initialCapital),
		gates: bothGates({
			tradeCount: wf.trades.length,
			spanYears: wf.spanYears,
			winRate: wf.tradeStats.winRate,
			profitFactor: wf.tradeStats.profitFactor,
			maxDrawdownRatio: wf.metrics.maxDrawdownRatio,
			sharpeRatio: wf.metrics.sharpeRatio,
		}),
	};
}

export function runSweepReport(input: SweepReportInput): SweepJson {
	const { candles } = input;
	const engine = new SweepEngine(candles, { ...input.broker, timeframeMs: timeframeToMs(input.data.timeframe) });
	const { fromIndex, toIndex } = barRange(candles, input.fromMs, input.toMs);
	const combinations = input.grid.stdevLength.length * input.grid.deviationThreshold.length * input.grid.trendEmaLength.length * input.grid.stopRatio.length;
	const blocks = input.pboBlocks ?? 16;
	if (blocks !== 0 && !(Number.isInteger(blocks) && blocks >= 2 && blocks <= 24 && blocks % 2 === 0)) {
		throw new InvalidInputError('PBO blocks must be an even integer from 2 to 24, or 0 to skip PBO', ['pbo_blocks']);
	}
	const usePbo = blocks > 0 && combinations >= 2 && toIndex - fromIndex - 1 >= blocks;
	const sweep = engine.run(input.grid, { fromIndex, toIndex, onProgress: input.onProgress, blockCount: usePbo ? blocks : undefined });
	const guard = assessOverfitting(engine, sweep);
	let best: SweepJson['best'] = null;
	if (guard.best !== null) {
		const full = engine.backtest(guard.best.params, fromIndex, toIndex);
		best = {
			index: guard.bestIndex,
			...rowJson(guard.best),
			full_metrics: metricsJson(full, engine.broker.initialCapital),
			gates: bothGates({
				tradeCount: full.trades.length,
				spanYears: full.spanYears,
				winRate: full.tradeStats?.winRate ?? null,
				profitFactor: full.tradeStats?.profitFactor ?? null,
				maxDrawdownRatio: full.metrics?.maxDrawdownRatio ?? null,
				sharpeRatio: full.metrics?.sharpeRatio ?? null,
			}),
		};
	}
	const json: SweepJson = {
		data: {
			...input.data,
			from: isoTime(candles.openTime[fromIndex]),
			to: isoTime(candles.openTime[toIndex - 1] + engine.broker.timeframeMs),
			bars: toIndex - fromIndex,
			warmup_bars: fromIndex,
		},
		broker: snakeKeys(engine.broker),
		grid: snakeKeys({ ...input.grid, minRewardRisk: undefined }) as Record<string, number[]>,
		combinations,
		rows: sweep.rows.map(rowJson),
		best,
		overfitting: overfittingJson(guard),
	};
	delete (json.grid as Record<string, unknown>).min_reward_risk;
	if (input.walkForward !== undefined) {
		const wf = walkForward(engine, {
			grid: input.grid,
			inSampleBars: input.walkForward.trainBars,
			outOfSampleBars: input.walkForward.testBars,
			anchored: input.walkForward.anchored,
			minTrades: input.walkForward.minTrades,
			fromIndex,
			toIndex,
			onProgress: input.onWalkForwardProgress,
		});
		json.walk_forward = walkForwardJson(wf, input.walkForward, candles.openTime, engine.broker.initialCapital, input.tradeLimit);
	}
	return json;
}
