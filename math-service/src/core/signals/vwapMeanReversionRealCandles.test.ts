/**
 * The VWAP mean-reversion signal on real candles: same signal bars, stops and targets as the
 * independent numpy/pandas reference (scripts/reference-indicators/generate.py), and the live scanner
 * reproduces the batch series bit-for-bit over a whole file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ohlcvDir, readOhlcvCsv } from '../../data/readOhlcvCsv.js';
import { VwapMeanReversionScanner, vwapMeanReversionSeries } from './vwapMeanReversion.js';

interface SignalFixture {
	file: string;
	fromMs: number;
	toMs: number;
	bars: number;
	vwapMeanReversion: { longSignalBars: number[]; stop: number[]; target: number[] };
}

const FIXTURE_DIR = join(import.meta.dirname, '..', 'indicators', '__fixtures__');
const fixtures = readdirSync(FIXTURE_DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => ({ name: f, fx: JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as SignalFixture }));

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

describe('vwapMeanReversionSeries agrees with the reference on real candles', () => {
	it('the fixtures contain signals to compare (the 1m window has hundreds)', () => {
		const total = fixtures.reduce((n, { fx }) => n + fx.vwapMeanReversion.longSignalBars.length, 0);
		expect(total).toBeGreaterThan(100);
	});

	for (const { name, fx } of fixtures) {
		it(`${name}: identical signal bars, stops and targets within 1e-9`, () => {
			const c = readOhlcvCsv(join(ohlcvDir(), fx.file), { fromMs: fx.fromMs, toMs: fx.toMs });
			expect(c.length).toBe(fx.bars);
			const s = vwapMeanReversionSeries(c);
			const bars: number[] = [];
			for (let i = 0; i < c.length; i++) if (s.longSignal[i] === 1) bars.push(i);
			const ref = fx.vwapMeanReversion;
			expect(bars).toEqual(ref.longSignalBars);
			ref.longSignalBars.forEach((bar, k) => {
				expect(close(s.stop[bar], ref.stop[k]), `stop at ${bar}`).toBe(true);
				expect(close(s.target[bar], ref.target[k]), `target at ${bar}`).toBe(true);
			});
		});
	}
});

describe('VwapMeanReversionScanner equals the batch series on a whole real file', () => {
	it('BTCUSDT-1m-2023.csv: same signals and bit-identical bands, stops, targets and R/R', () => {
		const c = readOhlcvCsv(join(ohlcvDir(), 'BTCUSDT-1m-2023.csv'));
		const s = vwapMeanReversionSeries(c);
		const scanner = new VwapMeanReversionScanner();
		const same = (batch: number, live: number | null) => (Number.isNaN(batch) ? live === null : live === batch);
		let mismatches = 0;
		let signals = 0;
		for (let i = 0; i < c.length; i++) {
			const r = scanner.update({
				openTime: c.openTime[i],
				open: c.open[i],
				high: c.high[i],
				low: c.low[i],
				close: c.close[i],
				volume: c.volume[i],
			});
			if (r.longSignal) signals++;
			if (
				r.longSignal !== (s.longSignal[i] === 1) ||
				!same(s.vwap[i], r.vwap) ||
				!same(s.lowerBand[i], r.lowerBand) ||
				!same(s.upperBand[i], r.upperBand) ||
				!same(s.trendEma[i], r.trendEma) ||
				!same(s.stop[i], r.stop) ||
				!same(s.target[i], r.target) ||
				!same(s.rewardRisk[i], r.rewardRisk)
			)
				mismatches++;
		}
		expect(mismatches).toBe(0);
		expect(signals).toBeGreaterThan(100);
	});
});
