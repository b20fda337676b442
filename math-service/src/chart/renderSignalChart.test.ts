import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceCandles, type CandleColumns } from '../core/candles';
import { vwapMeanReversionSeries } from '../core/signals/vwapMeanReversion';
import { realCandleSlice } from '../data/realCandles.test-helper';
import { decodePng, pixelAt } from './decodePng';
import { CHART_COLORS, renderSignalChart, signalChartLayout, type SignalChartInput } from './renderSignalChart';

const OUT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'chart');

/** 400 real BTCUSDT 1m bars (2025-06-02 from 06:00 UTC), the last 150 drawn with their VWAP bands. */
function realInput(): SignalChartInput {
	const all = realCandleSlice('BTCUSDT-1m-2025.csv', { fromMs: Date.UTC(2025, 5, 2, 0), toMs: Date.UTC(2025, 5, 2, 10) });
	const s = vwapMeanReversionSeries(all);
	const from = all.length - 150;
	const candles = sliceCandles(all, from);
	const entry = candles.close[candles.length - 1]!;
	return {
		candles,
		series: { vwap: s.vwap.subarray(from), upperBand: s.upperBand.subarray(from), lowerBand: s.lowerBand.subarray(from) },
		entry,
		stop: entry * 0.97,
		target: entry * 1.02,
		title: 'BTC/USDT 1m  BUY  decision #42',
		subtitle: 'Binance spot, 150 bars to 2025-06-02 09:59 UTC',
		bandLabel: 'VWAP ±2σ bands',
		markerTime: candles.openTime[candles.length - 1]!,
	};
}

const same = (p: number[], rgb: readonly number[]) => p[0] === rgb[0] && p[1] === rgb[1] && p[2] === rgb[2];

describe('renderSignalChart', () => {
	it('returns an 800×450 RGBA PNG whose chunks decode with valid CRCs', () => {
		const png = renderSignalChart(realInput());
		expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		expect(png.toString('latin1', 12, 16)).toBe('IHDR');
		expect(png.readUInt32BE(16)).toBe(800);
		expect(png.readUInt32BE(20)).toBe(450);
		const img = decodePng(png);
		expect(img).toMatchObject({ width: 800, height: 450, bitDepth: 8, colorType: 6, chunks: ['IHDR', 'IDAT', 'IEND'] });
		mkdirSync(OUT_DIR, { recursive: true });
		writeFileSync(join(OUT_DIR, 'signal-chart.png'), png);
	});

	it('draws the entry, stop and target lines in their colours on their price rows', () => {
		const input = realInput();
		const img = decodePng(renderSignalChart(input));
		const L = signalChartLayout(input);
		const columns = [0.3, 0.5, 0.7, 0.95].map((f) => Math.round(L.plot.left + f * (L.plot.right - L.plot.left)));
		for (const [price, color] of [
			[input.entry!, CHART_COLORS.entry],
			[input.stop!, CHART_COLORS.stop],
			[input.target!, CHART_COLORS.target],
		] as const) {
			const row = L.levelRow(price);
			expect(row).toBeGreaterThan(L.plot.top);
			expect(row).toBeLessThan(L.plot.bottom);
			for (const x of columns) expect(pixelAt(img, x, row).slice(0, 3), `${price} at x=${x}`).toEqual([...color]);
		}
		// The stop is below the entry and the target above it.
		expect(L.levelRow(input.stop!)).toBeGreaterThan(L.levelRow(input.entry!));
		expect(L.levelRow(input.target!)).toBeLessThan(L.levelRow(input.entry!));
	});

	it('draws green rising and red falling candles, and the VWAP in orange', () => {
		const input = realInput();
		const img = decodePng(renderSignalChart({ ...input, entry: null, stop: null, target: null }));
		const L = signalChartLayout({ ...input, entry: null, stop: null, target: null });
		const c = input.candles;
		let up = 0;
		let down = 0;
		for (let i = 0; i < c.length; i++) {
			const yo = L.priceToY(c.open[i]!);
			const yc = L.priceToY(c.close[i]!);
			if (Math.abs(yc - yo) < 4) continue; // bodies too thin to sample away from the lines
			const px = pixelAt(img, Math.floor(L.barX(i)), Math.round((yo + yc) / 2));
			if (c.close[i]! > c.open[i]!) up += same(px, CHART_COLORS.candleUp) ? 1 : 0;
			else down += same(px, CHART_COLORS.candleDown) ? 1 : 0;
		}
		expect(up).toBeGreaterThan(5);
		expect(down).toBeGreaterThan(5);
		const vwap = input.series!.vwap!;
		let orange = 0;
		for (let i = 10; i < c.length; i += 10) orange += same(pixelAt(img, Math.round(L.barX(i)), Math.round(L.priceToY(vwap[i]!))), CHART_COLORS.vwap) ? 1 : 0;
		expect(orange, 'VWAP pixels sampled on its curve').toBeGreaterThanOrEqual(8);
	});

	it('marks the signal bar with a triangle under its low only when markerTime is given', () => {
		const input = realInput();
		const L = signalChartLayout(input);
		const i = input.candles.length - 1;
		const x = Math.floor(L.barX(i));
		const y = Math.round(L.priceToY(input.candles.low[i]!)) + 8;
		expect(pixelAt(decodePng(renderSignalChart(input)), x, y).slice(0, 3)).toEqual([...CHART_COLORS.entry]);
		expect(pixelAt(decodePng(renderSignalChart({ ...input, markerTime: null })), x, y).slice(0, 3)).toEqual([...CHART_COLORS.background]);
	});

	it('does not join indicator lines across seriesBreakMs (a daily VWAP reset leaves a gap)', () => {
		const all = realCandleSlice('BTCUSDT-1m-2025.csv', { fromMs: Date.UTC(2025, 5, 2, 22), toMs: Date.UTC(2025, 5, 3, 2) });
		const s = vwapMeanReversionSeries(all);
		const from = all.length - 150; // 23:30 … 01:59: the VWAP restarts at 00:00
		const input: SignalChartInput = { candles: sliceCandles(all, from), series: { vwap: s.vwap.subarray(from) }, title: 'reset' };
		const L = signalChartLayout(input);
		const k = input.candles.openTime.indexOf(Date.UTC(2025, 5, 3, 0));
		const xMid = Math.round((L.barX(k - 1) + L.barX(k)) / 2);
		const orangeInColumn = (png: Buffer) => {
			const img = decodePng(png);
			let n = 0;
			for (let y = L.plot.top; y < L.plot.bottom; y++) n += same(pixelAt(img, xMid, y), CHART_COLORS.vwap) ? 1 : 0;
			return n;
		};
		expect(orangeInColumn(renderSignalChart(input)), 'joined without a break').toBeGreaterThan(0);
		expect(orangeInColumn(renderSignalChart({ ...input, seriesBreakMs: 86_400_000 })), 'gap at the reset').toBe(0);
	});

	it('is deterministic: the same input gives the same bytes', () => {
		expect(renderSignalChart(realInput()).equals(renderSignalChart(realInput()))).toBe(true);
	});

	it('renders the levels alone, saying so, when there are no candles', () => {
		const empty: CandleColumns = { openTime: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0), length: 0 };
		const input = { candles: empty, entry: 100, stop: 97, target: 104.5, title: 'SOL/USDT 1h - no market data' };
		const png = renderSignalChart(input);
		const img = decodePng(png);
		const L = signalChartLayout(input);
		expect(pixelAt(img, 400, L.levelRow(104.5)).slice(0, 3)).toEqual([...CHART_COLORS.target]);
		expect(pixelAt(img, 400, L.levelRow(97)).slice(0, 3)).toEqual([...CHART_COLORS.stop]);
		mkdirSync(OUT_DIR, { recursive: true });
		writeFileSync(join(OUT_DIR, 'signal-chart-empty.png'), png);
	});
});
