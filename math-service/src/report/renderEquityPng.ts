/**
 * @module report/renderEquityPng
 * A backtest's equity curve and drawdown as a PNG, for a chat message (the Backtester node attaches
 * it so a workflow can send it to Telegram beside the text summary). Top panel: the equity at every
 * bar close, one pixel column per bucket of bars drawn from the bucket's lowest to highest equity
 * (so a one-bar crash stays visible) and a line through the buckets' last values; bottom panel: the
 * drawdown below the running peak (equity ÷ peak − 1, computed on every bar), filled red. Pure
 * TypeScript on chart/Raster and chart/encodePng: the same input gives the same bytes.
 */
import { decimalsFor, priceTicks } from '../chart/axisTicks.js';
import { drawText, textWidth } from '../chart/bitmapFont.js';
import { encodePng } from '../chart/encodePng.js';
import { Raster, type Rgb } from '../chart/Raster.js';
import type { BacktestJson } from './backtestJson.js';

export const EQUITY_COLORS = Object.freeze({
	background: [19, 23, 34] as Rgb,
	grid: [38, 43, 58] as Rgb,
	text: [209, 212, 220] as Rgb,
	mutedText: [134, 140, 156] as Rgb,
	equity: [41, 121, 255] as Rgb,
	start: [134, 140, 156] as Rgb,
	drawdown: [239, 83, 80] as Rgb,
	pass: [0, 230, 118] as Rgb,
	fail: [255, 23, 68] as Rgb,
});

export interface EquityPngInput {
	/** Equity at each bar close, quote currency. */
	equity: ArrayLike<number>;
	/** Open time (ms UTC) of each equity bar, same length. */
	times: ArrayLike<number>;
	initialCapital: number;
	title: string;
	/** Second line, e.g. the headline metrics. */
	subtitle?: string;
	/** Third line, e.g. the KPI gate verdict, coloured by `passed`. */
	verdict?: { text: string; passed: boolean };
	width?: number;
	height?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (t: number) => {
	const d = new Date(t);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

export function renderEquityPng(input: EquityPngInput): Buffer {
	const width = input.width ?? 900;
	const height = input.height ?? 460;
	const c = EQUITY_COLORS;
	const r = new Raster(width, height, c.background);
	drawText(r, 12, 10, input.title, c.text, 2);
	let top = 30;
	if (input.subtitle) { drawText(r, 12, top, input.subtitle, c.mutedText); top += 12; }
	if (input.verdict) { drawText(r, 12, top, input.verdict.text, input.verdict.passed ? c.pass : c.fail); top += 12; }
	const left = 12;
	const right = width - 78;
	const eqTop = top + 10;
	const eqBottom = Math.round(eqTop + (height - eqTop - 40) * 0.7);
	const ddTop = eqBottom + 14;
	const ddBottom = height - 24;
	const n = input.equity.length;
	const cols = right - left;
	if (n === 0) return encodePng(width, height, r.data);

	// Per pixel column: lowest, highest and last equity, deepest drawdown.
	const lo = new Float64Array(cols).fill(Infinity);
	const hi = new Float64Array(cols).fill(-Infinity);
	const last = new Float64Array(cols).fill(Number.NaN);
	const dd = new Float64Array(cols);
	let peak = input.initialCapital;
	let minEq = input.initialCapital;
	let maxEq = input.initialCapital;
	let worst = 0;
	for (let i = 0; i < n; i++) {
		const e = input.equity[i];
		const x = Math.min(cols - 1, Math.floor((i * cols) / n));
		if (e < lo[x]) lo[x] = e;
		if (e > hi[x]) hi[x] = e;
		last[x] = e;
		if (e > peak) peak = e;
		const d = e / peak - 1;
		if (d < dd[x]) dd[x] = d;
		if (d < worst) worst = d;
		if (e < minEq) minEq = e;
		if (e > maxEq) maxEq = e;
	}
	const span = maxEq - minEq || Math.max(1, maxEq * 0.001);
	const yMin = minEq - span * 0.05;
	const yMax = maxEq + span * 0.05;
	const yOf = (v: number) => eqBottom - ((v - yMin) / (yMax - yMin)) * (eqBottom - eqTop);
	const { step, ticks } = priceTicks(yMin, yMax, 5);
	const decimals = decimalsFor(step);
	for (const t of ticks) {
		const y = Math.round(yOf(t));
		r.hline(left, right, y, c.grid);
		drawText(r, right + 6, y - 3, t.toFixed(decimals), c.mutedText);
	}
	r.hline(left, right, Math.round(yOf(input.initialCapital)), c.start, [4, 4]);
	const xs: number[] = [];
	const ys: number[] = [];
	for (let x = 0; x < cols; x++) {
		if (Number.isNaN(last[x])) continue;
		if (hi[x] > lo[x]) r.vline(left + x, Math.round(yOf(hi[x])), Math.round(yOf(lo[x])), c.equity, 0.6);
		xs.push(left + x);
		ys.push(yOf(last[x]));
	}
	r.polyline(xs, ys, c.equity, 2);

	// Drawdown panel: 0 at the top, the deepest drawdown at the bottom.
	const ddScale = worst < 0 ? -worst * 1.1 : 0.01;
	r.hline(left, right, ddTop, c.grid);
	drawText(r, right + 6, ddTop - 3, '0%', c.mutedText);
	drawText(r, right + 6, ddBottom - 7, `-${((ddScale / 1.1) * 100).toFixed(1)}%`, c.mutedText);
	drawText(r, left, ddTop - 11, 'drawdown', c.mutedText);
	for (let x = 0; x < cols; x++) {
		if (dd[x] < 0) r.fillRect(left + x, ddTop, left + x + 1, ddTop + Math.max(1, (-dd[x] / ddScale) * (ddBottom - ddTop)), c.drawdown, 0.85);
	}
	// Dates under the plot.
	const labels = Math.max(2, Math.floor(cols / 140));
	for (let k = 0; k <= labels; k++) {
		const i = Math.min(n - 1, Math.round((k * (n - 1)) / labels));
		const text = day(input.times[i]);
		const x = Math.min(right - textWidth(text), Math.max(left, left + Math.round((i * cols) / n) - textWidth(text) / 2));
		drawText(r, x, height - 14, text, c.mutedText);
	}
	return encodePng(width, height, r.data);
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const fixed = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(2));

/** The equity PNG of a backtest: titled with market and window, the headline metrics and the seed-1 verdict. */
export function backtestEquityPng(json: BacktestJson, equity: ArrayLike<number>, openTime: Float64Array, fromIndex: number): Buffer {
	const m = json.metrics;
	const d = json.data;
	return renderEquityPng({
		equity,
		times: openTime.subarray(fromIndex, fromIndex + equity.length),
		initialCapital: m.initial_capital ?? 10_000,
		title: `${d.symbol} ${d.timeframe} ${d.from.slice(0, 10)} -> ${d.to.slice(0, 10)}`,
		subtitle: `trades ${json.trade_count}  win rate ${pct(m.win_rate)}  PF ${fixed(m.profit_factor)}  max DD ${pct(m.max_drawdown_ratio)}  Sharpe ${fixed(m.sharpe_ratio)}  return ${pct(m.total_return_ratio)}`,
		verdict: { text: `KPI gates seed 1: ${json.gates.seed1.passed ? 'PASS' : 'FAIL'}`, passed: json.gates.seed1.passed },
	});
}
