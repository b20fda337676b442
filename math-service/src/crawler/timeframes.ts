/**
 * @module crawler/timeframes
 * Candle lengths the crawler stores, spelled the way ccxt and Binance spell them (`1m`, `1h`, `1d`).
 * A bar opened at `t` covers [t, t + length) and is closed (final) once `t + length − 1 < now`.
 * Calendar months (`1M`) have no fixed length and are not crawled.
 */
import { InvalidInputError } from '../errors.js';

/** Fixed-length Binance spot kline intervals, in milliseconds. */
export const TIMEFRAME_MS: Readonly<Record<string, number>> = Object.freeze({
	'1m': 60_000,
	'3m': 180_000,
	'5m': 300_000,
	'15m': 900_000,
	'30m': 1_800_000,
	'1h': 3_600_000,
	'2h': 7_200_000,
	'4h': 14_400_000,
	'6h': 21_600_000,
	'8h': 28_800_000,
	'12h': 43_200_000,
	'1d': 86_400_000,
	'3d': 259_200_000,
	'1w': 604_800_000,
});

export const TIMEFRAMES = Object.freeze(Object.keys(TIMEFRAME_MS)) as readonly string[];

/** Bar length of `timeframe` in ms; throws InvalidInputError for anything not in {@link TIMEFRAME_MS}. */
export function timeframeMs(timeframe: string): number {
	const ms = Object.prototype.hasOwnProperty.call(TIMEFRAME_MS, timeframe) ? TIMEFRAME_MS[timeframe] : undefined;
	if (ms === undefined) {
		throw new InvalidInputError(`timeframe "${String(timeframe).slice(0, 16)}" is not supported; use one of ${TIMEFRAMES.join(', ')}`, ['timeframe']);
	}
	return ms;
}

/** The timeframe whose bar length is exactly `ms` (e.g. a TradingView interval of 60 → `1h`), or null. */
export function timeframeOfMs(ms: number | null): string | null {
	if (ms === null) return null;
	return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms) ?? null;
}
