/**
 * The VWAP mean-reversion signal on real candles: same signal bars, stops and targets as the
 * independent numpy/pandas reference (scripts/reference-indicators/generate.py), and the live scanner
 * reproduces the batch series bit-for-bit over a committed real slice and, when the full candle files
 * are here, over a whole file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../candles.js';
import { fullCandles, realCandleSlice, skipWithoutFullOhlcv } from '../../data/realCandles.test-helper.js';
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
			const c = realCandleSlice(fx.file, { fromMs: fx.fromMs, toMs: fx.toMs });
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

describe('VwapMeanReversionScanner equals the batch series on real candles', () => {
	it.for([
		['BTCUSDT-1m-2023.csv around the 2023-03-24 halt (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023.csv', { fromMs: Date.UTC(2023, 2, 22), toMs: Date.UTC(2023, 2, 26) }), false],
		['the whole BTCUSDT-1m-2023.csv', () => fullCandles('BTCUSDT-1m-2023.csv'), true],
	] as [string, () => CandleColumns, boolean][])('%s: same signals and bit-identical bands, stops, targets and R/R', ([, load, full], ctx) => {
		if (full) skipWithoutFullOhlcv(ctx);
		const c = load();
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

describe('micro-priced series (pine-semantics.md §1/§10: PineTS rounds to 10 decimals and flipped 1 of 43 signals)', () => {
	it('BTCUSDT 1m scaled to a 1e-5 price keeps every signal and the stdev to 1e-12 relative', () => {
		const c = realCandleSlice('BTCUSDT-1m-2023.csv', {
			fromMs: Date.UTC(2023, 2, 22),
			toMs: Date.UTC(2023, 2, 26),
		});
		const scale = 1e-9; // 27,000 USDT → 2.7e-5
		const scaled = { ...c, open: c.open.map((x) => x * scale), high: c.high.map((x) => x * scale), low: c.low.map((x) => x * scale), close: c.close.map((x) => x * scale) };
		const base = vwapMeanReversionSeries(c);
		const micro = vwapMeanReversionSeries(scaled);
		let flipped = 0;
		let signals = 0;
		let worstStdev = 0;
		for (let i = 0; i < c.length; i++) {
			if (base.longSignal[i] !== micro.longSignal[i]) flipped++;
			signals += base.longSignal[i];
			if (base.stdev[i] > 0) worstStdev = Math.max(worstStdev, Math.abs(micro.stdev[i] / (base.stdev[i] * scale) - 1));
		}
		expect(signals).toBeGreaterThan(100);
		expect(flipped).toBe(0);
		expect(worstStdev).toBeLessThan(1e-12);

		// The hazard this guards against: rounding the micro prices to 10 decimals, as PineTS does,
		// flips signals on this very window (3 of 343 when measured).
		const round10 = (x: number) => Math.round(x * scale * 1e10) / 1e10;
		const rounded = { ...c, open: c.open.map(round10), high: c.high.map(round10), low: c.low.map(round10), close: c.close.map(round10) };
		const r = vwapMeanReversionSeries(rounded);
		let flippedByRounding = 0;
		for (let i = 0; i < c.length; i++) if (base.longSignal[i] !== r.longSignal[i]) flippedByRounding++;
		expect(flippedByRounding).toBeGreaterThan(0);
	});
});
