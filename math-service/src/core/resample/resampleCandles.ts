/**
 * @module core/resample/resampleCandles
 * Longer bars built from shorter ones (5m, 15m, 1h, 4h, 1d from stored 1m bars), so a series the
 * crawler keeps at 1 minute can be read at any multiple of it without a second crawl.
 *
 * Financial logic: a bucket of length L opened at t covers [t, t + L), with t a multiple of L since
 * the Unix epoch, i.e. aligned to UTC (a day starts 00:00 UTC, a 4h bar at 00, 04, 08 … UTC, as
 * Binance and Bybit align theirs). Its open is the first source bar's open, its close the last
 * source bar's close, high the maximum high, low the minimum low, volume the sum of volumes.
 * A bucket whose last source slot (t + L − base) is after `closedThroughOpenTime` may still change
 * (it has not closed), so it is not returned: indicators must not see a forming bar (look-ahead).
 * Source bars missing inside a closed bucket are not invented: the bucket is built from the bars
 * that exist and says how many were missing (`missingBars`), so a caller can distrust it.
 * A bucket with no source bar at all is not returned (it is a gap at the longer timeframe too).
 * Pure: no I/O, no clock.
 */
import type { Candle } from '../candles.js';

export interface ResampledCandle extends Candle {
	/** Source bars the bucket should hold but the series lacks (0 for a complete bucket). */
	missingBars: number;
}

/**
 * Aggregates `source` (bars of `baseMs`, ascending open time, open times multiples of `baseMs`)
 * into bars of `targetMs` (a multiple of `baseMs`). `closedThroughOpenTime` is the newest source
 * open time known to be closed; buckets ending after it are left out. Throws RangeError when the
 * target is not a whole multiple of the base or the source is not ascending.
 */
export function resampleCandles(source: readonly Candle[], baseMs: number, targetMs: number, closedThroughOpenTime: number): ResampledCandle[] {
	if (!Number.isSafeInteger(baseMs) || baseMs <= 0 || !Number.isSafeInteger(targetMs) || targetMs % baseMs !== 0 || targetMs < baseMs) {
		throw new RangeError(`cannot resample ${baseMs} ms bars into ${targetMs} ms bars: the target must be a whole multiple of the base`);
	}
	const perBucket = targetMs / baseMs;
	const out: ResampledCandle[] = [];
	let current: ResampledCandle | null = null;
	let bars = 0;
	let previous = Number.NEGATIVE_INFINITY;
	const flush = () => {
		if (current && current.openTime + targetMs - baseMs <= closedThroughOpenTime) {
			current.missingBars = perBucket - bars;
			out.push(current);
		}
	};
	for (const bar of source) {
		if (!(bar.openTime > previous)) throw new RangeError('source bars must be in strictly ascending open-time order');
		previous = bar.openTime;
		const bucket = bar.openTime - (((bar.openTime % targetMs) + targetMs) % targetMs);
		if (!current || current.openTime !== bucket) {
			flush();
			current = { openTime: bucket, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: 0, missingBars: 0 };
			bars = 0;
		}
		if (bar.high > current.high) current.high = bar.high;
		if (bar.low < current.low) current.low = bar.low;
		current.close = bar.close;
		current.volume += bar.volume;
		bars += 1;
	}
	flush();
	return out;
}
