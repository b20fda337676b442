/**
 * @module report/runAlphaBacktestReport
 * The alpha-threshold backtest as the CLI and the API run it (runBacktestReport with
 * `strategy: 'alpha_threshold'`): the composite alpha score at every bar close from the candles and
 * the point-in-time on-chain / sentiment series given (core/alpha/alphaScoreColumns.ts: a value
 * counts from the time it was learned), entries on the score crossing `entryScore`, through the
 * VWAP strategy's broker emulator; the same JSON and KPI gates, plus `strategy` and `alpha` — which
 * components were missing on how many bars (a missing component makes the score partial).
 */
import { alphaCoverage, alphaScoreColumns, type OnchainVersion, type SentimentPoint } from '../core/alpha/alphaScoreColumns.js';
import type { BrokerOptions } from '../core/backtest/brokerOptions.js';
import { runAlphaThresholdBacktest, type AlphaBacktestResult } from '../core/backtest/runAlphaThresholdBacktest.js';
import type { CandleColumns } from '../core/candles.js';
import type { AlphaThresholdParams } from '../core/signals/alphaThresholdStrategy.js';
import { toBacktestJson, type BacktestJson, type DataInfo } from './backtestJson.js';

/** The point-in-time series an alpha backtest may read, and where they came from. */
export interface AlphaBacktestData {
	onchain?: { netflow: readonly OnchainVersion[]; lthSopr: readonly OnchainVersion[] };
	sentiment?: { asset: readonly SentimentPoint[]; market?: readonly SentimentPoint[] };
	/** Labels for the JSON's `alpha.sources` (default 'none' when a series is absent, 'given' when present). */
	sources?: { onchain?: string; sentiment?: string };
}

export interface AlphaReportInput {
	candles: CandleColumns;
	data: DataInfo;
	fromIndex: number;
	toIndex: number;
	timeframeMs: number;
	params?: Partial<AlphaThresholdParams>;
	broker?: Partial<BrokerOptions>;
	alphaData?: AlphaBacktestData;
	tradeLimit?: number;
}

export function runAlphaBacktestReport(input: AlphaReportInput): { result: AlphaBacktestResult; json: BacktestJson } {
	const { candles, fromIndex, toIndex, timeframeMs } = input;
	const d = input.alphaData ?? {};
	const scores = alphaScoreColumns({ openTime: candles.openTime, close: candles.close, timeframeMs, onchain: d.onchain, sentiment: d.sentiment });
	const result = runAlphaThresholdBacktest({ candles, scores, params: input.params, broker: { ...input.broker, timeframeMs }, fromIndex, toIndex });
	const cov = alphaCoverage(scores, fromIndex, toIndex);
	const json: BacktestJson = { strategy: 'alpha_threshold', ...toBacktestJson(result, candles.openTime, input.data, input.tradeLimit, result.signalCount) };
	json.alpha = {
		components_missing: cov.missing,
		components_missing_everywhere: cov.missingEverywhere,
		missing_bars: cov.missingBars,
		partial_bars: cov.partialBars,
		scored_bars: cov.scoredBars,
		sources: {
			technical: 'candles',
			onchain: d.onchain === undefined ? 'none' : (d.sources?.onchain ?? 'given'),
			sentiment: d.sentiment === undefined ? 'none' : (d.sources?.sentiment ?? 'given'),
		},
	};
	return { result, json };
}
