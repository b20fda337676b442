import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paperExitFromCandles, type ExitCandle, type PaperExit, type WatchedPosition } from './paperExitFromCandles.js';

const M = 60_000;
const T0 = Date.UTC(2025, 0, 6, 12);
const SLIP = 0.0002;
const candle = (i: number, o: number, h: number, l: number, c: number): ExitCandle => ({ openTime: T0 + i * M, open: o, high: h, low: l, close: c });
const opts = (extra: Partial<Parameters<typeof paperExitFromCandles>[2]> = {}) => ({ timeframeMs: M, slippageRatio: SLIP, nowMs: T0 + 10 * M, markPrice: null, ...extra });
const pos = (patch: Partial<WatchedPosition> = {}): WatchedPosition => ({ openedAtMs: T0 + 1_000, stopPrice: 90_000, targetPrice: 91_800, timeStopMs: 48 * 3_600_000, ...patch });

/**
 * Independent reference, written from the rules in the module header (object per candle, no shared
 * code): the whole history at once, time stop measured from the opening time.
 */
function referenceExit(p: WatchedPosition, cs: ExitCandle[], nowMs: number, mark: number | null): PaperExit | null {
	const tp = p.targetPrice ?? Infinity;
	const sl = p.stopPrice ?? -Infinity;
	const deadline = p.timeStopMs === null ? Infinity : p.openedAtMs + p.timeStopMs;
	let due = false;
	for (const c of cs) {
		if (due || deadline <= c.openTime) return { reason: 'time_stop', price: c.open * (1 - SLIP), atMs: c.openTime };
		if (c.open >= tp) return { reason: 'target', price: c.open, atMs: c.openTime };
		if (c.open <= sl) return { reason: 'stop', price: c.open * (1 - SLIP), atMs: c.openTime };
		const highFirst = c.high - c.open < c.open - c.low;
		const hitsTp = c.high >= tp;
		const hitsSl = c.low <= sl;
		if (highFirst ? hitsTp : hitsTp && !hitsSl) return { reason: 'target', price: tp, atMs: c.openTime };
		if (hitsSl) return { reason: 'stop', price: sl * (1 - SLIP), atMs: c.openTime };
		if (hitsTp) return { reason: 'target', price: tp, atMs: c.openTime };
		if (c.openTime + M >= deadline) due = true;
	}
	if ((due || nowMs >= deadline) && mark !== null) return { reason: 'time_stop', price: mark * (1 - SLIP), atMs: nowMs };
	return null;
}

describe('paperExitFromCandles', () => {
	it('fills a crossed target at the target price, not at the last price seen', () => {
		const cs = [candle(0, 91_000, 91_200, 90_900, 91_100), candle(1, 91_100, 92_700, 91_000, 92_625)];
		expect(paperExitFromCandles(pos(), cs, opts())).toEqual({ reason: 'target', price: 91_800, atMs: T0 + M });
	});

	it('fills at the open when a candle gaps through the target or the stop', () => {
		expect(paperExitFromCandles(pos(), [candle(0, 92_000, 92_100, 91_950, 92_050)], opts())).toMatchObject({ reason: 'target', price: 92_000 });
		expect(paperExitFromCandles(pos(), [candle(0, 89_000, 89_100, 88_900, 89_050)], opts())).toMatchObject({ reason: 'stop', price: 89_000 * (1 - SLIP) });
	});

	it('does not miss a wick through the stop between two checks, and fills it with slippage', () => {
		const cs = [candle(0, 91_000, 91_100, 89_500, 91_050), candle(1, 91_050, 91_200, 91_000, 91_150)];
		expect(paperExitFromCandles(pos(), cs, opts())).toEqual({ reason: 'stop', price: 90_000 * (1 - SLIP), atMs: T0 });
	});

	it('lets the level met first on the assumed intrabar path win when both are inside one candle', () => {
		// open nearer the high → O→H→L→C: target first
		expect(paperExitFromCandles(pos(), [candle(0, 91_700, 91_900, 89_000, 90_500)], opts())?.reason).toBe('target');
		// open nearer the low → O→L→H→C: stop first
		expect(paperExitFromCandles(pos(), [candle(0, 90_100, 91_900, 89_900, 90_500)], opts())?.reason).toBe('stop');
	});

	it('closes by time stop at the next open once a candle closed past the stored time stop', () => {
		const p = pos({ timeStopMs: 2 * M });
		const cs = [candle(0, 91_000, 91_100, 90_900, 91_000), candle(1, 91_000, 91_100, 90_900, 91_000), candle(2, 91_010, 91_100, 90_900, 91_000)];
		// deadline T0 + 2 min + 1 s: candle 2 closes at T0 + 3 min ≥ deadline → fills at candle 3's open, absent → mark
		expect(paperExitFromCandles(p, cs, opts({ markPrice: 91_020, nowMs: T0 + 3 * M + 500 }))).toEqual({
			reason: 'time_stop',
			price: 91_020 * (1 - SLIP),
			atMs: T0 + 3 * M + 500,
		});
		expect(paperExitFromCandles(p, [...cs, candle(3, 91_030, 91_100, 90_900, 91_000)], opts())).toEqual({
			reason: 'time_stop',
			price: 91_030 * (1 - SLIP),
			atMs: T0 + 3 * M,
		});
	});

	it('fills a time stop that fell due before the new candles at their first open, before any level', () => {
		const p = pos({ timeStopMs: M });
		// due since T0 + 1 min + 1 s; the next candle gaps above the target but the queued market close fills first
		expect(paperExitFromCandles(p, [candle(2, 92_000, 92_100, 91_900, 92_000)], opts())).toEqual({
			reason: 'time_stop',
			price: 92_000 * (1 - SLIP),
			atMs: T0 + 2 * M,
		});
	});

	it('keeps the position open while nothing is hit', () => {
		expect(paperExitFromCandles(pos(), [candle(0, 91_000, 91_100, 90_900, 91_000)], opts({ markPrice: 91_000 }))).toBeNull();
		expect(paperExitFromCandles(pos(), [], opts({ markPrice: 91_000 }))).toBeNull();
	});

	it('gives the same exit however the candles are split between checks, equal to the reference rules', () => {
		const path = fc.array(
			fc.record({ o: fc.integer({ min: 880, max: 930 }), up: fc.integer({ min: 0, max: 15 }), down: fc.integer({ min: 0, max: 15 }), drift: fc.integer({ min: -10, max: 10 }) }),
			{ minLength: 1, maxLength: 40 },
		);
		fc.assert(
			fc.property(path, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 40, maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (steps, cuts, stopMinutes) => {
				const cs = steps.map((s, i) => {
					const o = s.o * 100;
					const c = o + s.drift * 100;
					return candle(i, o, Math.max(o, c) + s.up * 100, Math.min(o, c) - s.down * 100, c);
				});
				const p = pos({ timeStopMs: stopMinutes * M });
				const nowMs = T0 + cs.length * M + 1;
				const mark = cs[cs.length - 1]!.close;
				const expected = referenceExit(p, cs, nowMs, mark);
				// one check over everything
				expect(paperExitFromCandles(p, cs, { timeframeMs: M, slippageRatio: SLIP, nowMs, markPrice: mark })).toEqual(expected);
				// checks every few candles: each sees only the new candles; the first exit found must match
				let found: PaperExit | null = null;
				let from = 0;
				for (const cut of cuts) {
					if (from >= cs.length) break;
					const to = Math.min(cs.length, from + cut);
					const now = to === cs.length ? nowMs : cs[to - 1]!.openTime + M;
					found = paperExitFromCandles(p, cs.slice(from, to), { timeframeMs: M, slippageRatio: SLIP, nowMs: now, markPrice: to === cs.length ? mark : null });
					if (found) break;
					from = to;
				}
				expect(found).toEqual(expected);
			}),
			{ numRuns: 2000 },
		);
	});
});
