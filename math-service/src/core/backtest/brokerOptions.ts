/**
 * @module backtest/brokerOptions
 * Execution settings of the long-only broker emulator and their defaults, chosen to match the Pine strategy
 * `pine/vwap-mean-reversion.pine` (0.1% commission per side, 10% of equity per trade, 48 h time
 * stop) with slippage expressed as a ratio of the price instead of TradingView's ticks.
 *
 * Financial logic: a market order pays `slippageRatio` against the trader, a stop order too (it
 * becomes a market order when touched), a limit order never does (it fills at its own price or
 * better). Commission is `feeRatio × quantity × fill price` on each side (TradingView's
 * `strategy.commission.percent`).
 */

import { InvalidInputError } from '../../errors.js';

/** Which extreme the emulator visits first when the open is exactly as far from the high as from the low. */
export type TieBreak = 'low_first' | 'high_first';

export interface BrokerOptions {
	/** Commission per side as a fraction of the fill's notional, 0.001 = 0.1%. */
	feeRatio: number;
	/** Adverse slippage on market and stop fills as a fraction of the price, 0.0002 = 2 bps. Limit fills get none. */
	slippageRatio: number;
	/** Time stop in ms (48 h); `null` switches it off. Measured in time, so gaps count. */
	timeStopMs: number | null;
	/** Bar length in ms (3,600,000 for 1h). A bar's close time is `openTime + timeframeMs` (Pine `time_close`). */
	timeframeMs: number;
	/**
	 * Tie rule for the intrabar path when `high − open == open − low`. Default `low_first` (PyneCore's
	 * `h − o < o − l` ⇒ high first, so a tie goes low first); PineTS uses `high_first`.
	 */
	tieBreak: TieBreak;
	/** Price tick; when set, the target is rounded up and the stop down to the tick grid (1e-4 tick tolerance). */
	tickSize: number | null;
	/** Starting equity in quote currency (the Pine strategy's `initial_capital`). */
	initialCapital: number;
	/** Position size as a fraction of equity at the signal bar's close (Pine `percent_of_equity` / 100). */
	positionSizeRatio: number;
}

export const HOUR_MS = 3_600_000;

/** Defaults: the execution settings of `pine/vwap-mean-reversion.pine`, slippage as 2 bps instead of 2 ticks. */
export const DEFAULT_BROKER_OPTIONS: Readonly<BrokerOptions> = Object.freeze({
	feeRatio: 0.001,
	slippageRatio: 0.0002,
	timeStopMs: 48 * HOUR_MS,
	timeframeMs: HOUR_MS,
	tieBreak: 'low_first',
	tickSize: null,
	initialCapital: 10_000,
	positionSizeRatio: 0.1,
});

/** Merges `partial` over the defaults and rejects values no broker could honour. */
export function resolveBrokerOptions(partial: Partial<BrokerOptions> = {}): BrokerOptions {
	const o: BrokerOptions = { ...DEFAULT_BROKER_OPTIONS, ...partial };
	const bad = (field: string, why: string): never => {
		throw new InvalidInputError(`${field} ${why}`, [field]);
	};
	if (!(o.feeRatio >= 0 && o.feeRatio < 1)) bad('feeRatio', 'must be in [0, 1)');
	if (!(o.slippageRatio >= 0 && o.slippageRatio < 1)) bad('slippageRatio', 'must be in [0, 1)');
	if (o.timeStopMs !== null && !(o.timeStopMs > 0)) bad('timeStopMs', 'must be > 0 or null');
	if (!(o.timeframeMs > 0)) bad('timeframeMs', 'must be > 0');
	if (o.tieBreak !== 'low_first' && o.tieBreak !== 'high_first') bad('tieBreak', "must be 'low_first' or 'high_first'");
	if (o.tickSize !== null && !(o.tickSize > 0)) bad('tickSize', 'must be > 0 or null');
	if (!(o.initialCapital > 0)) bad('initialCapital', 'must be > 0');
	if (!(o.positionSizeRatio > 0 && o.positionSizeRatio <= 1)) bad('positionSizeRatio', 'must be in (0, 1]');
	return o;
}

const TIMEFRAME_UNIT_MS: Record<string, number> = { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS };

/** Parses a timeframe such as `1m`, `15m`, `1h`, `4h`, `1d` into milliseconds. */
export function timeframeToMs(timeframe: string): number {
	const m = /^(\d+)([mhdw])$/.exec(timeframe.trim());
	if (!m || Number(m[1]) <= 0) throw new InvalidInputError(`unknown timeframe "${timeframe}" (use e.g. 1m, 1h, 1d)`, ['timeframe']);
	return Number(m[1]) * TIMEFRAME_UNIT_MS[m[2]];
}
