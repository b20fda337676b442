/**
 * @module chart/renderSignalChart
 * The picture on a Telegram signal card: recent candles with the session VWAP and its ±k·σ bands
 * (the mean-reversion strategy buys a close stretched below the lower band and targets the VWAP),
 * and the trade's three prices as horizontal lines — entry (blue), stop (red), target (green) —
 * each labelled with its price and its distance from the entry in percent, so the reader sees the
 * risk (entry → stop) against the reward (entry → target) at a glance.
 *
 * Pure TypeScript: draws into an RGBA buffer (chart/Raster) and encodes a PNG (chart/encodePng).
 * No clock, no randomness: the same input gives the same bytes. Times are shown in UTC.
 */
import type { CandleColumns } from '../core/candles.js';
import { decimalsFor, formatTimeTick, levelDecimals, priceTicks, timeStep } from './axisTicks.js';
import { drawText, textWidth } from './bitmapFont.js';
import { encodePng } from './encodePng.js';
import { Raster, type Rect, type Rgb } from './Raster.js';

export const CHART_COLORS = Object.freeze({
	background: [19, 23, 34] as Rgb,
	grid: [38, 43, 58] as Rgb,
	axis: [90, 96, 112] as Rgb,
	text: [209, 212, 220] as Rgb,
	mutedText: [134, 140, 156] as Rgb,
	candleUp: [38, 166, 91] as Rgb,
	candleDown: [239, 83, 80] as Rgb,
	vwap: [255, 152, 0] as Rgb,
	band: [0, 172, 193] as Rgb,
	entry: [41, 121, 255] as Rgb,
	stop: [255, 23, 68] as Rgb,
	target: [0, 230, 118] as Rgb,
});

export interface SignalChartInput {
	/** Bars to draw, oldest first (about 150; more are drawn thinner). */
	candles: CandleColumns;
	/** Indicator series aligned with `candles` (NaN = not available, e.g. warm-up). */
	series?: { vwap?: ArrayLike<number>; upperBand?: ArrayLike<number>; lowerBand?: ArrayLike<number> };
	entry?: number | null;
	stop?: number | null;
	target?: number | null;
	title: string;
	/** Second line, e.g. the data source and time range. */
	subtitle?: string;
	/** Legend text for the bands, e.g. `±2σ bands`. */
	bandLabel?: string;
	/**
	 * Indicator lines are not joined across multiples of this period (ms), e.g. DAY_MS for a VWAP
	 * that restarts every UTC day, so a reset shows as a gap rather than a vertical jump.
	 */
	seriesBreakMs?: number;
	/** Open time of the signal bar: a marker is drawn under it. */
	markerTime?: number | null;
	width?: number;
	height?: number;
}

export interface SignalChartLayout {
	width: number;
	height: number;
	plot: Rect;
	minPrice: number;
	maxPrice: number;
	/** Bar slots across the plot (at least 60 bars wide, plus 3 empty slots on the right). */
	slots: number;
	slotWidth: number;
	/** Continuous y of a price (integer = pixel row). */
	priceToY(price: number): number;
	/** Pixel row of a horizontal price line. */
	levelRow(price: number): number;
	/** x of bar i's centre. */
	barX(i: number): number;
}

const RIGHT_PADDING_SLOTS = 3;
const MIN_SLOTS = 60;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Geometry shared by the renderer and its tests. */
export function signalChartLayout(input: SignalChartInput): SignalChartLayout {
	const width = input.width ?? 800;
	const height = input.height ?? 450;
	const plot: Rect = { left: 8, top: 44, right: width - 84, bottom: height - 22 };
	const c = input.candles;
	let lo = Number.POSITIVE_INFINITY;
	let hi = Number.NEGATIVE_INFINITY;
	const take = (v: number) => {
		if (Number.isFinite(v)) {
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
		}
	};
	for (let i = 0; i < c.length; i++) {
		take(c.low[i]!);
		take(c.high[i]!);
	}
	for (const s of [input.series?.vwap, input.series?.upperBand, input.series?.lowerBand]) if (s) for (let i = 0; i < Math.min(s.length, c.length); i++) take(s[i]!);
	for (const level of [input.entry, input.stop, input.target]) if (finite(level)) take(level);
	if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
	if (hi - lo <= Math.abs(hi) * 1e-9) {
		const half = Math.abs(hi) * 0.01 || 1;
		[lo, hi] = [lo - half, hi + half];
	}
	const pad = (hi - lo) * 0.06;
	const minPrice = lo - pad;
	const maxPrice = hi + pad;
	const slots = Math.max(c.length, MIN_SLOTS) + RIGHT_PADDING_SLOTS;
	const slotWidth = (plot.right - plot.left) / slots;
	const firstSlot = slots - RIGHT_PADDING_SLOTS - c.length;
	const priceToY = (p: number) => plot.top + ((maxPrice - p) / (maxPrice - minPrice)) * (plot.bottom - 1 - plot.top);
	return {
		width,
		height,
		plot,
		minPrice,
		maxPrice,
		slots,
		slotWidth,
		priceToY,
		levelRow: (p) => Math.round(priceToY(p)),
		barX: (i) => plot.left + (firstSlot + i + 0.5) * slotWidth,
	};
}

/** Renders the chart as a PNG (default 800×450). */
export function renderSignalChart(input: SignalChartInput): Buffer {
	const L = signalChartLayout(input);
	const C = CHART_COLORS;
	const r = new Raster(L.width, L.height, C.background);
	const { plot } = L;
	const c = input.candles;
	const n = c.length;
	const xs = Float64Array.from({ length: n }, (_, i) => L.barX(i));

	// Grid: price ticks and whole-time ticks.
	const { step, ticks } = priceTicks(L.minPrice, L.maxPrice, 7);
	for (const t of ticks) r.hline(plot.left, plot.right - 1, L.levelRow(t), C.grid);
	const barMs = n >= 2 ? medianStep(c.openTime) : 60_000;
	const tStep = timeStep((90 / Math.max(L.slotWidth, 1e-9)) * barMs);
	const timeLabels: [number, string][] = [];
	for (let i = 0; i < n; i++) {
		if (c.openTime[i]! % tStep === 0) {
			r.vline(xs[i]!, plot.top, plot.bottom - 1, C.grid);
			timeLabels.push([xs[i]!, formatTimeTick(c.openTime[i]!, tStep)]);
		}
	}

	r.clip = plot;
	// Band area, then candles, then the indicator lines on top.
	const upper = input.series?.upperBand;
	const lower = input.series?.lowerBand;
	const period = input.seriesBreakMs;
	const connected = (i: number) => !(period && period > 0) || Math.floor(c.openTime[i]! / period) === Math.floor(c.openTime[i - 1]! / period);
	if (upper && lower) fillBetween(r, xs, upper, lower, L, C.band, 0.08, connected);
	const bodyWidth = Math.max(1, Math.min(15, Math.floor(L.slotWidth * 0.7)) - (Math.floor(L.slotWidth * 0.7) % 2 === 0 ? 1 : 0));
	for (let i = 0; i < n; i++) {
		const color = c.close[i]! >= c.open[i]! ? C.candleUp : C.candleDown;
		const x = Math.floor(xs[i]!);
		r.vline(x, L.priceToY(c.high[i]!), L.priceToY(c.low[i]!), color);
		const yo = Math.round(L.priceToY(c.open[i]!));
		const yc = Math.round(L.priceToY(c.close[i]!));
		const half = (bodyWidth - 1) / 2;
		r.fillRect(x - half, Math.min(yo, yc), x + half + 1, Math.max(yo, yc) + 1, color);
	}
	const toY = (s: ArrayLike<number>) => Float64Array.from({ length: n }, (_, i) => (i < s.length && Number.isFinite(s[i]!) ? L.priceToY(s[i]!) : Number.NaN));
	if (upper) r.polyline(xs, toY(upper), C.band, 1, connected);
	if (lower) r.polyline(xs, toY(lower), C.band, 1, connected);
	if (input.series?.vwap) r.polyline(xs, toY(input.series.vwap), C.vwap, 2, connected);

	// Trade levels across the plot, two pixels thick.
	const levels: [string, number, Rgb][] = [];
	for (const [name, price, color] of [
		['TARGET', input.target, C.target],
		['STOP', input.stop, C.stop],
		['ENTRY', input.entry, C.entry],
	] as const) {
		if (finite(price)) levels.push([name, price, color]);
	}
	for (const [, price, color] of levels) {
		const row = L.levelRow(price);
		r.hline(plot.left, plot.right - 1, row, color);
		r.hline(plot.left, plot.right - 1, row + 1, color);
	}
	if (finite(input.markerTime)) {
		const i = indexOf(c.openTime, input.markerTime);
		if (i >= 0) drawMarker(r, xs[i]!, Math.round(L.priceToY(c.low[i]!)) + 6, C.entry);
	}
	if (n === 0) {
		const msg = 'NO MARKET DATA';
		drawText(r, (plot.left + plot.right - textWidth(msg, 2)) / 2, (plot.top + plot.bottom) / 2 - 30, msg, C.mutedText, 2);
	}
	// Level names inside the plot, left, just above their line.
	const entry = finite(input.entry) ? input.entry : null;
	const levelDigits = levelDecimals(Math.max(0, ...levels.map(([, price]) => Math.abs(price))));
	for (const [name, price, color] of levels) {
		const pct = entry !== null && name !== 'ENTRY' && entry !== 0 ? ` ${price >= entry ? '+' : ''}${((100 * (price - entry)) / entry).toFixed(2)}%` : '';
		const text = `${name} ${price.toFixed(levelDigits)}${pct}`;
		const y = L.levelRow(price) - 11;
		r.fillRect(plot.left + 2, y - 1, plot.left + 6 + textWidth(text), y + 9, C.background, 0.85);
		drawText(r, plot.left + 4, y, text, color);
	}
	r.clip = null;

	// Axes: frame lines, price labels, time labels.
	r.vline(plot.right, plot.top, plot.bottom, C.axis);
	r.hline(plot.left, plot.right, plot.bottom, C.axis);
	const decimals = decimalsFor(step);
	for (const t of ticks) drawText(r, plot.right + 6, L.levelRow(t) - 3, t.toFixed(decimals), C.mutedText);
	let lastRight = Number.NEGATIVE_INFINITY;
	for (const [x, label] of timeLabels) {
		const left = Math.round(x - textWidth(label) / 2);
		if (left <= lastRight + 8 || left < plot.left || left + textWidth(label) > plot.right) continue;
		r.vline(x, plot.bottom, plot.bottom + 3, C.axis);
		drawText(r, left, plot.bottom + 7, label, C.mutedText);
		lastRight = left + textWidth(label);
	}
	// Price tags of the levels on the axis, nudged apart when they would overlap.
	const tags = levels.map(([, price, color]) => ({ y: L.levelRow(price) - 5, price, color })).sort((a, b) => a.y - b.y);
	for (let i = 1; i < tags.length; i++) tags[i]!.y = Math.max(tags[i]!.y, tags[i - 1]!.y + 12);
	for (const tag of tags) {
		const text = tag.price.toFixed(levelDigits);
		r.fillRect(plot.right + 1, tag.y, L.width - 2, tag.y + 11, tag.color);
		drawText(r, plot.right + 5, tag.y + 2, text, C.background);
	}

	// Title, subtitle and legend.
	const titleScale = textWidth(input.title, 2) <= L.width - 16 ? 2 : 1;
	drawText(r, 8, 8, fit(input.title, (L.width - 16) / titleScale), C.text, titleScale);
	let lx = L.width - 8 - legendWidth(input);
	for (const [label, color] of legendItems(input)) {
		r.fillRect(lx, 31, lx + 10, 33, color);
		lx = drawText(r, lx + 14, 28, label, C.mutedText) + 10;
	}
	if (input.subtitle) drawText(r, 8, 28, fit(input.subtitle, (L.width - 40 - legendWidth(input)) / 1), C.mutedText);

	return encodePng(L.width, L.height, r.data);
}

function legendItems(input: SignalChartInput): [string, Rgb][] {
	const C = CHART_COLORS;
	const items: [string, Rgb][] = [];
	if (input.series?.vwap) items.push(['VWAP', C.vwap]);
	if (input.series?.upperBand || input.series?.lowerBand) items.push([input.bandLabel ?? 'bands', C.band]);
	return items;
}

function legendWidth(input: SignalChartInput): number {
	return legendItems(input).reduce((w, [label]) => w + 14 + textWidth(label) + 10, 0);
}

/** Cuts `text` to at most `maxPx` wide at scale 1, ending in `..` when cut. */
function fit(text: string, maxPx: number): string {
	if (textWidth(text) <= maxPx) return text;
	const chars = [...text];
	while (chars.length > 0 && textWidth(chars.join('') + '..') > maxPx) chars.pop();
	return chars.join('') + '..';
}

function medianStep(t: Float64Array): number {
	const d: number[] = [];
	for (let i = 1; i < t.length; i++) d.push(t[i]! - t[i - 1]!);
	d.sort((a, b) => a - b);
	return d[Math.floor(d.length / 2)]! || 60_000;
}

function indexOf(t: Float64Array, v: number): number {
	for (let i = 0; i < t.length; i++) if (t[i] === v) return i;
	return -1;
}

/** Translucent fill between two series, column by column, interpolating between bar centres. */
function fillBetween(
	r: Raster,
	xs: Float64Array,
	upper: ArrayLike<number>,
	lower: ArrayLike<number>,
	L: SignalChartLayout,
	color: Rgb,
	alpha: number,
	connected: (i: number) => boolean,
): void {
	for (let i = 1; i < xs.length; i++) {
		if (!connected(i)) continue;
		const [ua, ub, la, lb] = [upper[i - 1]!, upper[i]!, lower[i - 1]!, lower[i]!];
		if (![ua, ub, la, lb].every(Number.isFinite)) continue;
		const x0 = xs[i - 1]!;
		const x1 = xs[i]!;
		for (let x = Math.ceil(x0); x < Math.ceil(x1); x++) {
			const t = (x - x0) / (x1 - x0);
			r.vline(x, L.priceToY(ua + (ub - ua) * t), L.priceToY(la + (lb - la) * t), color, alpha);
		}
	}
}

/** A small upward triangle with its tip at (x, y): the signal bar. */
function drawMarker(r: Raster, x: number, y: number, color: Rgb): void {
	for (let k = 0; k < 6; k++) r.hline(Math.floor(x) - k, Math.floor(x) + k, y + k, color);
}
