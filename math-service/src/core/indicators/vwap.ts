/**
 * @module vwap
 * Session VWAP, Pine v6 `ta.vwap(source)` with its default anchor: the volume-weighted average price
 * since the start of the trading day — the price at which the day's volume changed hands on average.
 * The mean-reversion strategy buys when price is stretched far below it and targets a return to it.
 */
import { isNa } from './validateLength.js';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

export interface VwapOptions {
	/**
	 * Session start as an offset from 00:00 UTC in ms (0 = reset at 00:00 UTC, TradingView's anchor for
	 * 24x7 crypto on BINANCE, whose exchange time zone is Etc/UTC). A venue whose day starts at 17:00
	 * New York (21:00 UTC in winter) would pass 21·3_600_000.
	 */
	sessionOffsetMs?: number;
}

/** The trading-day number of a bar open time (bars with the same number share one VWAP session). */
export function sessionDay(openTimeMs: number, sessionOffsetMs = 0): number {
	return Math.floor((openTimeMs - sessionOffsetMs) / DAY_MS);
}

/**
 * Streaming anchored VWAP.
 *
 * Formula: VWAP = Σ(src·volume) / Σ(volume) over the bars since the anchor. The anchor is the first bar
 * of each trading day (`timeframe.change("1D")` in the exchange time zone; UTC for spot crypto) **and
 * bar 0** (as TradingView's built-in VWAP and PineTS do; the partial first day is warm-up — see
 * pine-semantics.md §2 and §11.1). Days skipped by an outage still reset on the next bar.
 * Zero volume adds nothing to either sum, so the VWAP carries its value; while Σvolume = 0 since the
 * anchor (a day that opens with zero-volume bars) the result is na — never a division by zero.
 * na src or volume is skipped like zero volume. Plain double sums; a day holds at most 1,440 1m bars.
 * Source: Pine v6 reference `ta.vwap`; docs/pine.md.
 */
export class VwapStream {
	readonly sessionOffsetMs: number;
	private day = Number.NaN;
	private sumPv = 0;
	private sumV = 0;
	private current = Number.NaN;

	constructor(options: VwapOptions = {}) {
		this.sessionOffsetMs = options.sessionOffsetMs ?? 0;
	}

	/** Adds one bar (NaN = na); returns the VWAP, NaN while Σvolume = 0 since the anchor. */
	next(src: number, volume: number, openTimeMs: number): number {
		const day = Math.floor((openTimeMs - this.sessionOffsetMs) / DAY_MS);
		if (day !== this.day) {
			this.day = day;
			this.sumPv = 0;
			this.sumV = 0;
		}
		if (volume !== 0 && src === src && volume === volume) {
			this.sumPv += src * volume;
			this.sumV += volume;
		}
		this.current = this.sumV > 0 ? this.sumPv / this.sumV : Number.NaN;
		return this.current;
	}

	/** Adds one bar (`null`/NaN = na) and returns the VWAP, `null` while na. */
	update(src: number | null, volume: number | null, openTimeMs: number): number | null {
		const v = this.next(isNa(src) ? Number.NaN : src, isNa(volume) ? Number.NaN : volume, openTimeMs);
		return v === v ? v : null;
	}

	/** The current VWAP, `null` while na. */
	get value(): number | null {
		return this.current === this.current ? this.current : null;
	}
}

/**
 * Batch anchored VWAP over whole columns (NaN = na); same numbers as {@link VwapStream}.
 * `src` is usually hlc3 ({@link ../candles.hlc3}); `openTime` in ms UTC.
 */
export function vwap(
	src: Float64Array,
	volume: Float64Array,
	openTime: Float64Array,
	options?: VwapOptions,
): Float64Array {
	const s = new VwapStream(options);
	const n = src.length;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = s.next(src[i], volume[i], openTime[i]);
	return out;
}
