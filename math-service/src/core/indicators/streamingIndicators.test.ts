/**
 * The streaming indicators (what the live scanner runs, one bar at a time) on real candles, against
 * references that share no code with them:
 * - textbook array definitions written in the test helper (fresh window sums, two-pass stdev), at
 *   every bar of committed real slices and, when the full candle files are here, of whole files;
 * - the independent numpy/pandas fixtures (scripts/reference-indicators/generate.py) at their sample
 *   bars.
 * The batch forms must give the streams' numbers bit for bit (one arithmetic, two interfaces).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullCandles, realCandleSlice, skipWithoutFullOhlcv } from '../../data/realCandles.test-helper.js';
import { hlc3, type CandleColumns } from '../candles.js';
import {
	AtrStream,
	BollingerStream,
	EmaStream,
	RmaStream,
	RsiStream,
	SmaStream,
	StdevStream,
	VwapStream,
	atr,
	bollingerBands,
	ema,
	rma,
	rsi,
	sma,
	stdev,
	vwap,
} from './index.js';
import { textbookAtr, textbookEma, textbookRma, textbookRsi, textbookSma, textbookStdev, textbookVwap } from './textbookIndicators.test-helper.js';

type Series = (number | null)[];

/** Every streaming indicator fed the candles bar by bar (`null` = na). */
function streamAll(c: CandleColumns): Record<string, Series> {
	const t = hlc3(c);
	const out: Record<string, Series> = {};
	const streams = {
		sma_close_20: [new SmaStream(20), (s: SmaStream, i: number) => s.update(c.close[i])],
		ema_close_9: [new EmaStream(9), (s: EmaStream, i: number) => s.update(c.close[i])],
		ema_close_50: [new EmaStream(50), (s: EmaStream, i: number) => s.update(c.close[i])],
		rma_close_14: [new RmaStream(14), (s: RmaStream, i: number) => s.update(c.close[i])],
		stdev_hlc3_50: [new StdevStream(50), (s: StdevStream, i: number) => s.update(t[i])],
		stdev_close_20_sample: [new StdevStream(20, false), (s: StdevStream, i: number) => s.update(c.close[i])],
		vwap_hlc3: [new VwapStream(), (s: VwapStream, i: number) => s.update(t[i], c.volume[i], c.openTime[i])],
		rsi_close_14: [new RsiStream(14), (s: RsiStream, i: number) => s.update(c.close[i])],
		atr_14: [new AtrStream(14), (s: AtrStream, i: number) => s.update(c.high[i], c.low[i], c.close[i])],
	} as Record<string, [unknown, (s: never, i: number) => number | null]>;
	for (const [name, [stream, step]] of Object.entries(streams)) {
		const values: Series = new Array(c.length);
		for (let i = 0; i < c.length; i++) values[i] = step(stream as never, i);
		out[name] = values;
	}
	const bb = new BollingerStream(20, 2);
	out.bb_close_20_2_basis = [];
	out.bb_close_20_2_upper = [];
	out.bb_close_20_2_lower = [];
	for (let i = 0; i < c.length; i++) {
		out.bb_close_20_2_basis.push(bb.update(c.close[i]));
		out.bb_close_20_2_upper.push(bb.upper);
		out.bb_close_20_2_lower.push(bb.lower);
	}
	return out;
}

/** The textbook definitions over the same candles (NaN = na). */
function textbookAll(c: CandleColumns): Record<string, Float64Array> {
	const t = hlc3(c);
	const basis = textbookSma(c.close, 20);
	const dev = textbookStdev(c.close, 20);
	return {
		sma_close_20: basis,
		ema_close_9: textbookEma(c.close, 9),
		ema_close_50: textbookEma(c.close, 50),
		rma_close_14: textbookRma(c.close, 14),
		stdev_hlc3_50: textbookStdev(t, 50),
		stdev_close_20_sample: textbookStdev(c.close, 20, false),
		vwap_hlc3: textbookVwap(t, c.volume, c.openTime),
		rsi_close_14: textbookRsi(c.close, 14),
		atr_14: textbookAtr(c.high, c.low, c.close, 14),
		bb_close_20_2_basis: basis,
		bb_close_20_2_upper: basis.map((b, i) => b + 2 * dev[i]),
		bb_close_20_2_lower: basis.map((b, i) => b - 2 * dev[i]),
	};
}

/**
 * Whether a streamed value matches a reference: both na, or equal to 1e-9 relative — or, for values
 * near zero (a stdev or band in a flat zero-volume stretch), to 1e-12 of the price level.
 */
function agrees(got: number | null, want: number | null, level: number): boolean {
	if (want === null || Number.isNaN(want)) return got === null;
	if (got === null) return false;
	return Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(got), Math.abs(want)) + 1e-12 * Math.abs(level);
}

/** Per indicator: bars where the stream disagrees with the textbook value. */
function mismatchesAgainstTextbook(c: CandleColumns): Record<string, number> {
	const streamed = streamAll(c);
	const reference = textbookAll(c);
	const bad: Record<string, number> = {};
	for (const [name, want] of Object.entries(reference)) {
		bad[name] = 0;
		for (let i = 0; i < c.length; i++) if (!agrees(streamed[name][i], want[i], c.close[i])) bad[name]++;
	}
	return bad;
}

const NONE = {
	sma_close_20: 0,
	ema_close_9: 0,
	ema_close_50: 0,
	rma_close_14: 0,
	stdev_hlc3_50: 0,
	stdev_close_20_sample: 0,
	vwap_hlc3: 0,
	rsi_close_14: 0,
	atr_14: 0,
	bb_close_20_2_basis: 0,
	bb_close_20_2_upper: 0,
	bb_close_20_2_lower: 0,
};

const SOURCES: [label: string, load: () => CandleColumns, full: boolean][] = [
	['BTCUSDT-1h.csv 2022-2023 (committed slice)', () => realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2024, 0, 1) }), false],
	['BTCUSDT-1m-2023.csv around the 2023-03-24 halt, zero-volume minutes (committed slice)', () => realCandleSlice('BTCUSDT-1m-2023.csv', { fromMs: Date.UTC(2023, 2, 22), toMs: Date.UTC(2023, 2, 26) }), false],
	['MATICUSDT-1h.csv at 0.01 USDT (committed slice)', () => realCandleSlice('MATICUSDT-1h.csv', { toMs: Date.UTC(2019, 8, 1) }), false],
	['the whole BTCUSDT-1h.csv', () => fullCandles('BTCUSDT-1h.csv'), true],
	['the whole BTCUSDT-1m-2023.csv', () => fullCandles('BTCUSDT-1m-2023.csv'), true],
	['the whole MATICUSDT-1h.csv', () => fullCandles('MATICUSDT-1h.csv'), true],
];

describe('streaming indicators agree with textbook definitions at every bar of real candles', () => {
	it.for(SOURCES)('%s: no bar differs for any indicator', ([, load, full], ctx) => {
		if (full) skipWithoutFullOhlcv(ctx);
		const c = load();
		expect(c.length).toBeGreaterThan(3000);
		expect(mismatchesAgainstTextbook(c)).toEqual(NONE);
	});

	it('would notice a stream that is off: a 1e-7 error in one EMA value counts', () => {
		const c = SOURCES[0][1]();
		const streamed = streamAll(c);
		const want = textbookAll(c).ema_close_50;
		const i = 1000;
		expect(agrees(streamed.ema_close_50[i], want[i], c.close[i])).toBe(true);
		expect(agrees(streamed.ema_close_50[i]! * (1 + 1e-7), want[i], c.close[i])).toBe(false);
	});
});

interface ReferenceFixture {
	file: string;
	fromMs: number;
	toMs: number;
	sampleBars: number[];
	series: Record<string, (number | null)[]>;
}
const FIXTURE_DIR = join(import.meta.dirname, '__fixtures__');
const fixtures = readdirSync(FIXTURE_DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => [f, JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as ReferenceFixture] as const);

describe('streaming indicators agree with the numpy/pandas reference fixtures', () => {
	it.for(fixtures)('%s: every streamed series at every sample bar within 1e-9', ([, fx]) => {
		const c = realCandleSlice(fx.file, { fromMs: fx.fromMs, toMs: fx.toMs });
		const streamed = streamAll(c);
		const failures: string[] = [];
		let compared = 0;
		for (const [name, series] of Object.entries(streamed)) {
			const want = fx.series[name];
			expect(want, `fixture has ${name}`).toBeDefined();
			fx.sampleBars.forEach((bar, k) => {
				compared++;
				if (!agrees(series[bar], want[k], c.close[bar])) failures.push(`${name}[${bar}]: want ${want[k]}, got ${series[bar]}`);
			});
		}
		expect(failures.slice(0, 10)).toEqual([]);
		expect(fx.sampleBars.length).toBeGreaterThan(100);
		expect(compared).toBe(Object.keys(NONE).length * fx.sampleBars.length);
	});
});

describe('batch forms give the streams’ numbers bit for bit', () => {
	it.for(SOURCES.filter(([, , full]) => !full))('%s', ([, load]) => {
		const c = load();
		const t = hlc3(c);
		const s = streamAll(c);
		const bb = bollingerBands(c.close, 20, 2);
		const batch: Record<string, Float64Array> = {
			sma_close_20: sma(c.close, 20),
			ema_close_9: ema(c.close, 9),
			ema_close_50: ema(c.close, 50),
			rma_close_14: rma(c.close, 14),
			stdev_hlc3_50: stdev(t, 50),
			stdev_close_20_sample: stdev(c.close, 20, false),
			vwap_hlc3: vwap(t, c.volume, c.openTime),
			rsi_close_14: rsi(c.close, 14),
			atr_14: atr(c.high, c.low, c.close, 14),
			bb_close_20_2_basis: bb.basis,
			bb_close_20_2_upper: bb.upper,
			bb_close_20_2_lower: bb.lower,
		};
		const bad: Record<string, number> = {};
		for (const [name, values] of Object.entries(batch)) {
			bad[name] = 0;
			values.forEach((b, i) => {
				if (Number.isNaN(b) ? s[name][i] !== null : s[name][i] !== b) bad[name]++;
			});
		}
		expect(bad).toEqual(NONE);
	});
});
