import { describe, expect, it } from 'vitest';
import type { Candle } from '../candles';
import { resampleCandles } from './resampleCandles';

const MIN = 60_000;
const T = Date.UTC(2025, 5, 2, 10, 0); // 10:00 UTC, a 5m, 15m, 1h boundary
const bar = (minute: number, open: number, high: number, low: number, close: number, volume: number): Candle => ({ openTime: T + minute * MIN, open, high, low, close, volume });

describe('resampleCandles', () => {
	// Ten 1m bars 10:00-10:09 (two 5m buckets), computed by hand below.
	const tenMinutes = [
		bar(0, 100, 101, 99, 100.5, 1),
		bar(1, 100.5, 103, 100, 102, 2),
		bar(2, 102, 102.5, 98, 99, 3),
		bar(3, 99, 100, 97.5, 99.5, 4),
		bar(4, 99.5, 100.2, 99.1, 100, 5),
		bar(5, 100, 100.1, 95, 96, 6),
		bar(6, 96, 97, 95.5, 96.5, 7),
		bar(7, 96.5, 104, 96, 103, 8),
		bar(8, 103, 103.5, 102, 102.2, 9),
		bar(9, 102.2, 102.4, 101, 101.5, 10),
	];

	it('builds 5m bars: first open, max high, min low, last close, summed volume', () => {
		expect(resampleCandles(tenMinutes, MIN, 5 * MIN, T + 9 * MIN)).toEqual([
			{ openTime: T, open: 100, high: 103, low: 97.5, close: 100, volume: 15, missingBars: 0 },
			{ openTime: T + 5 * MIN, open: 100, high: 104, low: 95, close: 101.5, volume: 40, missingBars: 0 },
		]);
	});

	it('leaves out the bucket still forming at the end', () => {
		expect(resampleCandles(tenMinutes.slice(0, 8), MIN, 5 * MIN, T + 7 * MIN)).toEqual([{ openTime: T, open: 100, high: 103, low: 97.5, close: 100, volume: 15, missingBars: 0 }]);
		expect(resampleCandles(tenMinutes, MIN, 15 * MIN, T + 9 * MIN), 'a 15m bucket needs 10:14').toEqual([]);
	});

	it('builds a bucket with a gap from the bars that exist and counts the missing ones', () => {
		const withGap = tenMinutes.filter((_, i) => i !== 1 && i !== 2);
		expect(resampleCandles(withGap, MIN, 5 * MIN, T + 9 * MIN)[0]).toEqual({ openTime: T, open: 100, high: 101, low: 97.5, close: 100, volume: 10, missingBars: 2 });
		const lastMinuteMissing = tenMinutes.slice(0, 9);
		expect(resampleCandles(lastMinuteMissing, MIN, 5 * MIN, T + 12 * MIN)[1], 'closed because later bars exist').toMatchObject({ close: 102.2, missingBars: 1 });
	});

	it('aligns 4h and 1d buckets to UTC boundaries', () => {
		const day = Date.UTC(2025, 5, 2);
		const hours = Array.from({ length: 30 }, (_, h): Candle => ({ openTime: day - 2 * 3_600_000 + h * 3_600_000, open: h, high: h + 1, low: h - 1, close: h + 0.5, volume: 1 }));
		const fourHour = resampleCandles(hours, 3_600_000, 4 * 3_600_000, hours.at(-1)!.openTime);
		expect(fourHour.map((b) => new Date(b.openTime).toISOString().slice(11, 16))).toEqual(['20:00', '00:00', '04:00', '08:00', '12:00', '16:00', '20:00', '00:00']);
		expect(fourHour[0]).toMatchObject({ open: 0, close: 1.5, missingBars: 2 });
		const daily = resampleCandles(hours, 3_600_000, 86_400_000, hours.at(-1)!.openTime);
		expect(daily, 'the day before holds 2 of 24 hours; the next day has not closed').toEqual([
			{ openTime: day - 86_400_000, open: 0, high: 2, low: -1, close: 1.5, volume: 2, missingBars: 22 },
			{ openTime: day, open: 2, high: 26, low: 1, close: 25.5, volume: 24, missingBars: 0 },
		]);
	});

	it('refuses a target that is not a multiple of the base, and unsorted bars', () => {
		expect(() => resampleCandles(tenMinutes, 5 * MIN, 7 * MIN, T)).toThrow(RangeError);
		expect(() => resampleCandles([tenMinutes[1]!, tenMinutes[0]!], MIN, 5 * MIN, T)).toThrow(RangeError);
	});
});
