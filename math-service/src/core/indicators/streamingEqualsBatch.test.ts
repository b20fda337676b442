/**
 * Streaming forms give exactly the batch numbers (bit-for-bit, `null` where the batch has NaN) over
 * whole real candle files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ohlcvDir, readOhlcvCsv } from '../../data/readOhlcvCsv.js';
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

/** Counts bars where the stream differs from the batch array (NaN must map to null). */
function mismatches(batch: Float64Array, streamed: (number | null)[]): number {
	let bad = 0;
	for (let i = 0; i < batch.length; i++) {
		const b = batch[i];
		const s = streamed[i];
		if (Number.isNaN(b) ? s !== null : s !== b) bad++;
	}
	return bad;
}

function checkAll(c: CandleColumns): Record<string, number> {
	const t = hlc3(c);
	const n = c.length;
	const run = <S>(make: () => S, step: (s: S, i: number) => number | null) => {
		const s = make();
		const out: (number | null)[] = new Array(n);
		for (let i = 0; i < n; i++) out[i] = step(s, i);
		return out;
	};
	const bb = bollingerBands(c.close, 20, 2);
	const bbStream = new BollingerStream(20, 2);
	const bbUpper: (number | null)[] = [];
	const bbLower: (number | null)[] = [];
	const bbBasis = c.close.reduce((acc: (number | null)[], x) => {
		acc.push(bbStream.update(x));
		bbUpper.push(bbStream.upper);
		bbLower.push(bbStream.lower);
		return acc;
	}, []);
	return {
		sma: mismatches(sma(c.close, 20), run(() => new SmaStream(20), (s, i) => s.update(c.close[i]))),
		ema: mismatches(ema(c.close, 50), run(() => new EmaStream(50), (s, i) => s.update(c.close[i]))),
		rma: mismatches(rma(c.close, 14), run(() => new RmaStream(14), (s, i) => s.update(c.close[i]))),
		stdev: mismatches(stdev(t, 50), run(() => new StdevStream(50), (s, i) => s.update(t[i]))),
		stdevSample: mismatches(stdev(t, 20, false), run(() => new StdevStream(20, false), (s, i) => s.update(t[i]))),
		vwap: mismatches(
			vwap(t, c.volume, c.openTime),
			run(() => new VwapStream(), (s, i) => s.update(t[i], c.volume[i], c.openTime[i])),
		),
		rsi: mismatches(rsi(c.close, 14), run(() => new RsiStream(14), (s, i) => s.update(c.close[i]))),
		atr: mismatches(
			atr(c.high, c.low, c.close, 14),
			run(() => new AtrStream(14), (s, i) => s.update(c.high[i], c.low[i], c.close[i])),
		),
		bbBasis: mismatches(bb.basis, bbBasis),
		bbUpper: mismatches(bb.upper, bbUpper),
		bbLower: mismatches(bb.lower, bbLower),
	};
}

const zeroes = {
	sma: 0,
	ema: 0,
	rma: 0,
	stdev: 0,
	stdevSample: 0,
	vwap: 0,
	rsi: 0,
	atr: 0,
	bbBasis: 0,
	bbUpper: 0,
	bbLower: 0,
};

describe('streaming indicators equal the batch forms exactly on whole real files', () => {
	for (const file of ['BTCUSDT-1h.csv', 'BTCUSDT-1m-2023.csv', 'MATICUSDT-1h.csv']) {
		it(`${file}: zero mismatching bars for every indicator`, () => {
			const c = readOhlcvCsv(join(ohlcvDir(), file));
			expect(c.length).toBeGreaterThan(30_000);
			expect(checkAll(c)).toEqual(zeroes);
		});
	}
});
