/**
 * @module vwapMeanReversion
 * The seed's "VWAP Mean Reversion" long signal, on TradingView-semantics indicators, for backtests.
 *
 * Financial logic: intraday, price tends to revert to the session VWAP (the day's average traded
 * price). When the close is stretched more than `k` standard deviations below the VWAP, the longer
 * trend is still up (close above its EMA), and the bar closes higher than the previous one (selling has
 * paused), buy, targeting a return to the VWAP with a stop `stopLossRatio` below the close.
 *
 * Pine v6 original (seed 1):
 *   vwap = ta.vwap(hlc3)                       // resets at 00:00 UTC for spot crypto, anchors on bar 0
 *   vwapStdDev = ta.stdev(hlc3, vwapLength)    // rolling, unweighted, population; does NOT reset daily
 *   lowerBand = vwap - vwapStdDev * deviationThreshold
 *   longCondition = close < lowerBand and close > ta.ema(close, trendFilterPeriod) and close > close[1]
 *   strategy.exit(limit = vwap, stop = close * 0.97)
 * Note: the seed's input "VWAP Lookback" only sets the stdev window (here `stdevLength`); the VWAP
 * itself always resets daily. Early in each day the band is the new day's VWAP ± k × a stdev that
 * mostly reflects the previous day — this is how TradingView computes it (pine-semantics.md §10).
 * The strategy's `strategy.position_size == 0` gate and the fills belong to the backtester; the
 * `minRewardRisk` gate is reported here (`rewardRisk`) and enforced by the risk gates, not folded into
 * `longSignal`, which is exactly Pine's `longCondition`.
 */
import { hlc3, type CandleColumns } from '../candles.js';
import { ema } from '../indicators/ema.js';
import { stdev } from '../indicators/stdev.js';
import { vwap } from '../indicators/vwap.js';
import { rewardRiskRatio } from './rewardRiskRatio.js';
import { resolveVwapMeanReversionParams, type VwapMeanReversionParams } from './vwapMeanReversionParams.js';

export { rewardRiskRatio } from './rewardRiskRatio.js';
export {
	DEFAULT_VWAP_MEAN_REVERSION,
	resolveVwapMeanReversionParams,
	type VwapMeanReversionParams,
} from './vwapMeanReversionParams.js';
export { VwapMeanReversionScanner, type VwapMeanReversionScan } from './vwapMeanReversionScanner.js';

export interface VwapMeanReversionSeries {
	vwap: Float64Array;
	stdev: Float64Array;
	lowerBand: Float64Array;
	upperBand: Float64Array;
	trendEma: Float64Array;
	/** 1 on bar i when longCondition holds at the close of bar i (the entry would fill at bar i+1's open). */
	longSignal: Uint8Array;
	/** close·(1 − stopLossRatio) on signal bars, else NaN. */
	stop: Float64Array;
	/** The bar's VWAP on signal bars (the take-profit limit), else NaN. */
	target: Float64Array;
	/** rewardRiskRatio(close, stop, target) on signal bars (NaN when undefined or off-signal). */
	rewardRisk: Float64Array;
}

/**
 * The strategy's indicator and signal series over whole candle columns (NaN = Pine na).
 *
 * longSignal[i] = close < vwap − k·stdev(hlc3, n) and close > ema(close, m) and close > close[i−1];
 * false on bar 0 (close[1] is na and a v6 bool cannot be na) and wherever an operand is na — so no
 * signal before bar max(n, m) − 1 (49 with the defaults) or while the day's VWAP is na (no volume yet).
 * Source: seed 1 Pine script; docs/pine.md.
 */
export function vwapMeanReversionSeries(
	c: CandleColumns,
	p?: Partial<VwapMeanReversionParams>,
): VwapMeanReversionSeries {
	const params = resolveVwapMeanReversionParams(p);
	const n = c.length;
	const typical = hlc3(c);
	const vw = vwap(typical, c.volume, c.openTime, { sessionOffsetMs: params.sessionOffsetMs ?? 0 });
	const sd = stdev(typical, params.stdevLength);
	const trendEma = ema(c.close, params.trendEmaLength);
	const k = params.deviationThreshold;
	const stopFactor = 1 - params.stopLossRatio;
	const lowerBand = new Float64Array(n);
	const upperBand = new Float64Array(n);
	const longSignal = new Uint8Array(n);
	const stop = new Float64Array(n).fill(Number.NaN);
	const target = new Float64Array(n).fill(Number.NaN);
	const rewardRisk = new Float64Array(n).fill(Number.NaN);
	const close = c.close;
	for (let i = 0; i < n; i++) {
		const dev = sd[i] * k;
		const lower = vw[i] - dev;
		lowerBand[i] = lower;
		upperBand[i] = vw[i] + dev;
		const x = close[i];
		if (i > 0 && x < lower && x > trendEma[i] && x > close[i - 1]) {
			longSignal[i] = 1;
			const s = x * stopFactor;
			stop[i] = s;
			target[i] = vw[i];
			rewardRisk[i] = rewardRiskRatio(x, s, vw[i]) ?? Number.NaN;
		}
	}
	return { vwap: vw, stdev: sd, lowerBand, upperBand, trendEma, longSignal, stop, target, rewardRisk };
}
