/**
 * Indicator values on real candles against an independent numpy/pandas implementation
 * (scripts/reference-indicators/generate.py, fixtures in __fixtures__/ with their provenance).
 * The candles are read from the committed real slices in test/fixtures/ohlcv (see its README).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { hlc3 } from '../candles.js';
import { atr, bollingerBands, ema, rma, rsi, sma, stdev, vwap } from './index.js';

interface Fixture {
	file: string;
	fromMs: number;
	toMs: number;
	bars: number;
	zeroVolumeBars: number[];
	sampleBars: number[];
	series: Record<string, (number | null)[]>;
	provenance: { numpy: string; pandas: string };
}

const FIXTURE_DIR = join(import.meta.dirname, '__fixtures__');
const fixtures = readdirSync(FIXTURE_DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => ({ name: f, fx: JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Fixture }));

const RELATIVE_TOLERANCE = 1e-9;

describe('indicators agree with the independent numpy/pandas reference on real candles', () => {
	it('has fixtures for every scenario (partial first day, zero-volume bars, micro prices)', () => {
		expect(fixtures.length).toBeGreaterThanOrEqual(5);
		expect(fixtures.some(({ fx }) => fx.zeroVolumeBars.length >= 72)).toBe(true);
	});

	for (const { name, fx } of fixtures) {
		it(`${name}: ${fx.file} bars [${fx.fromMs}, ${fx.toMs}) within ${RELATIVE_TOLERANCE} relative`, () => {
			const c = realCandleSlice(fx.file, { fromMs: fx.fromMs, toMs: fx.toMs });
			expect(c.length).toBe(fx.bars);
			for (const z of fx.zeroVolumeBars) expect(c.volume[z]).toBe(0);
			const typical = hlc3(c);
			const vw = vwap(typical, c.volume, c.openTime);
			const sd50 = stdev(typical, 50);
			const bb = bollingerBands(c.close, 20, 2);
			const lowerBand = new Float64Array(c.length);
			const upperBand = new Float64Array(c.length);
			for (let i = 0; i < c.length; i++) {
				lowerBand[i] = vw[i] - sd50[i] * 2;
				upperBand[i] = vw[i] + sd50[i] * 2;
			}
			const ours: Record<string, Float64Array> = {
				hlc3: typical,
				sma_close_20: sma(c.close, 20),
				ema_close_9: ema(c.close, 9),
				ema_close_50: ema(c.close, 50),
				rma_close_14: rma(c.close, 14),
				stdev_hlc3_50: sd50,
				stdev_close_20_sample: stdev(c.close, 20, false),
				vwap_hlc3: vw,
				vwap_hlc3_session_2100utc: vwap(typical, c.volume, c.openTime, { sessionOffsetMs: 21 * 3_600_000 }),
				rsi_close_14: rsi(c.close, 14),
				bb_close_20_2_basis: bb.basis,
				bb_close_20_2_upper: bb.upper,
				bb_close_20_2_lower: bb.lower,
				atr_14: atr(c.high, c.low, c.close, 14),
				vmr_lower_band: lowerBand,
				vmr_upper_band: upperBand,
			};
			expect(Object.keys(fx.series).sort()).toEqual(Object.keys(ours).sort());
			const failures: string[] = [];
			let compared = 0;
			for (const [key, expected] of Object.entries(fx.series)) {
				fx.sampleBars.forEach((bar, k) => {
					const want = expected[k];
					const got = ours[key][bar];
					compared++;
					if (want === null) {
						if (!Number.isNaN(got)) failures.push(`${key}[${bar}]: want na, got ${got}`);
					} else if (!(Math.abs(got - want) <= RELATIVE_TOLERANCE * Math.max(Math.abs(got), Math.abs(want)))) {
						failures.push(`${key}[${bar}]: want ${want}, got ${got}`);
					}
				});
			}
			expect(failures.slice(0, 10)).toEqual([]);
			expect(compared).toBeGreaterThan(1000);
		});
	}
});
