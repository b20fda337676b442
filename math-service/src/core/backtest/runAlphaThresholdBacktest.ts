/**
 * @module backtest/runAlphaThresholdBacktest
 * One backtest of seed 2's alpha-threshold strategy (core/signals/alphaThresholdStrategy.ts) through
 * the same broker emulator as the VWAP strategy: market entry at the next open with slippage, the
 * stop (signal close − 3 %) and the target (the minimum reward/risk 1.5 away: + 4.5 %) frozen at the
 * signal, the intrabar O→H→L→C / O→L→H→C path, gaps filled at the open, fees on both sides and the
 * 48 h time stop (simulateLongTrades, settleTrades).
 *
 * Financial logic: the composite alpha score is evaluated at every bar close from what was known
 * then (core/alpha/alphaScoreColumns.ts: candles up to the bar; on-chain values and sentiment
 * snapshots from the time they were learned). An entry is the score crossing up through
 * `entryScore` (the previous evaluated score below it), partial scores allowed by default. Scores
 * before `fromIndex` count as the previous score of the first bar; entries are taken in
 * [fromIndex, toIndex) only, one position at a time.
 */
import type { AlphaScoreColumns } from '../alpha/alphaScoreColumns.js';
import type { CandleColumns } from '../candles.js';
import { InvalidInputError } from '../../errors.js';
import { alphaEntrySignals, resolveAlphaThresholdParams, type AlphaThresholdParams } from '../signals/alphaThresholdStrategy.js';
import { resolveBrokerOptions, type BrokerOptions } from './brokerOptions.js';
import { settleTrades, type SettledBacktest } from './settleTrades.js';
import { simulateLongTrades } from './simulateLongTrades.js';
import { TradeLog } from './tradeLog.js';

export interface AlphaBacktestRequest {
	candles: CandleColumns;
	/** The score at every bar close (alphaScoreColumns over the same candles). */
	scores: Pick<AlphaScoreColumns, 'score' | 'partial'>;
	params?: Partial<AlphaThresholdParams>;
	broker?: Partial<BrokerOptions>;
	fromIndex?: number;
	toIndex?: number;
	computeMetrics?: boolean;
}

export interface AlphaBacktestResult extends SettledBacktest {
	params: AlphaThresholdParams;
	/** Bars in [fromIndex, toIndex) where the score crossed the threshold (an alert), flat or not. */
	signalCount: number;
}

export function runAlphaThresholdBacktest(req: AlphaBacktestRequest): AlphaBacktestResult {
	const { candles, scores } = req;
	const params = resolveAlphaThresholdParams(req.params);
	const broker = resolveBrokerOptions(req.broker);
	const n = candles.length;
	const fromIndex = req.fromIndex ?? 0;
	const toIndex = req.toIndex ?? n;
	if (!(Number.isInteger(fromIndex) && Number.isInteger(toIndex) && fromIndex >= 0 && toIndex <= n && fromIndex < toIndex)) {
		throw new InvalidInputError(`bar range [${fromIndex}, ${toIndex}) is empty or outside 0..${n}`, ['range']);
	}
	if (scores.score.length !== n || scores.partial.length !== n) throw new InvalidInputError(`alpha scores cover ${scores.score.length} bars, the candles ${n}`, ['scores']);
	// Entries over all bars (the crossing needs the score before the window), then the window's.
	const all = alphaEntrySignals(scores.score, candles.close, params, scores.partial);
	let first = 0;
	while (first < all.count && all.signals[first]! < fromIndex) first++;
	let end = first;
	while (end < all.count && all.signals[end]! < toIndex) end++;
	const signals = all.signals.subarray(first, end);
	const log = new TradeLog(64);
	simulateLongTrades(candles, signals, signals.length, all.target, params.stopLossRatio, broker, fromIndex, toIndex, log);
	return { params, signalCount: signals.length, ...settleTrades(candles, log, broker, fromIndex, toIndex, req.computeMetrics ?? true) };
}
