/**
 * @module backtest/collectEntrySignals
 * The VWAP mean-reversion entry rule of `pine/vwap-mean-reversion.pine`, evaluated at bar closes on
 * precomputed indicator columns, written as a list of signal bar indices for the broker emulator.
 *
 * Financial logic: buy the dip when the close is more than `deviationThreshold` rolling standard
 * deviations of hlc3 below the daily VWAP (`close < vwap − stdev × k`), the trend is up
 * (`close > ema`) and the bar already turned up (`close > close[1]`). Optional reward/risk filter:
 * `(vwap − close) / (close − close × (1 − stopRatio)) ≥ minRewardRisk` (0 = off, the seed's rule).
 * Any na (NaN) indicator makes the comparison false, as in Pine; `close[1]` on bar 0 is na.
 */

/** The parameters of the strategy that change its trades (the Pine inputs). */
export interface StrategyParams {
	/** Window of the rolling stdev of hlc3 (Pine "Stdev lookback", seed "VWAP Lookback"), bars. */
	stdevLength: number;
	/** Band width in standard deviations. */
	deviationThreshold: number;
	/** Trend filter EMA length on close, bars. */
	trendEmaLength: number;
	/** Stop distance below the signal close, 0.03 = 3%. */
	stopRatio: number;
	/** Minimum reward/risk at the signal close; 0 switches the filter off. */
	minRewardRisk: number;
}

/** The seed's Pine inputs (50, 2.0, 50, 3%), reward/risk filter off (the seed's original entry rule). */
export const DEFAULT_STRATEGY_PARAMS: Readonly<StrategyParams> = Object.freeze({
	stdevLength: 50,
	deviationThreshold: 2.0,
	trendEmaLength: 50,
	stopRatio: 0.03,
	minRewardRisk: 0,
});

/**
 * Writes the indices `i ∈ [from, to)` whose close meets the entry rule into `out` (ascending) and
 * returns how many. `out` needs `to − from` slots at most. The indicator columns hold bar
 * `columnStart` at element 0 (default 0: index-aligned with `close`), so a block of them will do.
 */
export function collectEntrySignals(
	close: Float64Array,
	vwap: Float64Array,
	bandStdev: Float64Array,
	trendEma: Float64Array,
	p: Pick<StrategyParams, 'deviationThreshold' | 'stopRatio' | 'minRewardRisk'>,
	from: number,
	to: number,
	out: Int32Array,
	columnStart = 0,
): number {
	const k = p.deviationThreshold;
	const minRr = p.minRewardRisk;
	const stopKeep = 1 - p.stopRatio;
	const start = Math.max(from, 1);
	let count = 0;
	let prev = close[start - 1];
	// Branch-free: the outcome is written at `count` every bar and kept only when the rule holds
	// (a comparison with na is false, as in Pine). Needs out.length ≥ to − from.
	if (minRr > 0) {
		for (let i = start; i < to; i++) {
			const c = close[i];
			const j = i - columnStart;
			const v = vwap[j];
			const ok = b(c > prev) & b(c < v - bandStdev[j] * k) & b(c > trendEma[j]) & b((v - c) / (c - c * stopKeep) >= minRr);
			prev = c;
			out[count] = i;
			count += ok;
		}
	} else {
		for (let i = start; i < to; i++) {
			const c = close[i];
			const j = i - columnStart;
			const ok = b(c > prev) & b(c < vwap[j] - bandStdev[j] * k) & b(c > trendEma[j]);
			prev = c;
			out[count] = i;
			count += ok;
		}
	}
	return count;
}

/** A comparison as 0/1 for branch-free loops (V8 turns `bool & bool` into integer arithmetic). */
function b(x: boolean): number {
	return x as unknown as number;
}
