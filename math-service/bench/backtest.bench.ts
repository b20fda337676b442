/**
 * Backtest and sweep benchmark (issue 4, "Performance"). Runs alone:
 *   npx tsx math-service/bench/backtest.bench.ts            (BENCH_QUICK=1 skips the 1-minute sweep)
 * Prints: one backtest over ~1,000,000 one-minute bars including indicators; the 10×10×10 sweep
 * (stdevLength 10:100:10 × threshold 0.5:2.75:0.25 × EMA 50:500:50, stop 3%) over 17,520 hourly bars
 * and over 1,051,200 one-minute bars, with bars×combinations per second, peak RSS / heap, and the
 * speed-up over the plain-loop test oracle measured in the same run, beside the vectorbt/numba
 * figures quoted in the issue (measured elsewhere on this 2-core machine, not re-run here).
 *
 * Data: hourly = the last 17,520 bars of the real BTCUSDT-1h.csv; one-minute = a seeded synthetic
 * random walk (the shared 1m files hold < 1,051,200 bars each), 1,051,200 bars = 730 days.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { CandleColumns } from '../src/core/candles.js';
import { DEFAULT_BROKER_OPTIONS, HOUR_MS } from '../src/core/backtest/brokerOptions.js';
import { DEFAULT_STRATEGY_PARAMS } from '../src/core/backtest/collectEntrySignals.js';
import { oracleBacktest, type OracleBar } from '../src/core/backtest/oracle.test-helper.js';
import { runBacktest } from '../src/core/backtest/runBacktest.js';
import { parseRange, SweepEngine, type SweepGrid } from '../src/core/research/sweep.js';
import { ohlcvDir, readOhlcvCsv } from '../src/data/readOhlcvCsv.js';

const MINUTE_MS = 60_000;

/** Seeded geometric random walk with intrabar ranges and random volume (mulberry32 + Box-Muller). */
export function syntheticMinuteBars(n: number, seed = 42): CandleColumns {
	let a = seed >>> 0;
	const rnd = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
	const c: CandleColumns = {
		openTime: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n),
		close: new Float64Array(n), volume: new Float64Array(n), length: n,
	};
	let price = 30_000;
	const t0 = Date.UTC(2023, 0, 1);
	for (let i = 0; i < n; i++) {
		const open = price;
		const close = open * Math.exp(0.0008 * gauss());
		const wiggle = open * 0.0004;
		c.openTime[i] = t0 + i * MINUTE_MS;
		c.open[i] = open;
		c.close[i] = close;
		c.high[i] = Math.max(open, close) + wiggle * rnd();
		c.low[i] = Math.min(open, close) - wiggle * rnd();
		c.volume[i] = rnd() < 0.001 ? 0 : 5 * rnd();
		price = close;
	}
	return c;
}

function lastBars(c: CandleColumns, n: number): CandleColumns {
	const a = Math.max(0, c.length - n);
	const s = (x: Float64Array) => x.slice(a, c.length);
	return { openTime: s(c.openTime), open: s(c.open), high: s(c.high), low: s(c.low), close: s(c.close), volume: s(c.volume), length: c.length - a };
}

const toBars = (c: CandleColumns): OracleBar[] =>
	Array.from({ length: c.length }, (_, i) => ({ t: c.openTime[i], o: c.open[i], h: c.high[i], l: c.low[i], c: c.close[i], v: c.volume[i] }));

let peakHeap = 0;
const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
function sampleMemory(): void {
	peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function timeIt<T>(fn: () => T, repeat = 1): { ms: number; value: T } {
	let best = Infinity;
	let value!: T;
	for (let r = 0; r < repeat; r++) {
		const t = performance.now();
		value = fn();
		best = Math.min(best, performance.now() - t);
		sampleMemory();
	}
	return { ms: best, value };
}

const GRID: SweepGrid = {
	stdevLength: parseRange('10:100:10'),
	deviationThreshold: parseRange('0.5:2.75:0.25'),
	trendEmaLength: parseRange('50:500:50'),
	stopRatio: [0.03],
};

function sweepBench(label: string, candles: CandleColumns, timeframeMs: number, targetS: number, reference: string, oracleCombos: number): void {
	const combos = GRID.stdevLength.length * GRID.deviationThreshold.length * GRID.trendEmaLength.length;
	let trades = 0;
	const sweep = timeIt(() => {
		const r = new SweepEngine(candles, { timeframeMs }).run(GRID);
		trades = r.rows.reduce((a, x) => a + x.tradeCount, 0);
		return r;
	});
	const s = sweep.ms / 1000;
	const throughput = (candles.length * combos) / s;
	// Oracle: the plain object-per-bar loop, on a few grid points, per combination.
	const bars = toBars(candles);
	const broker = { ...DEFAULT_BROKER_OPTIONS, timeframeMs };
	const t0 = performance.now();
	for (let k = 0; k < oracleCombos; k++) {
		oracleBacktest(bars, { ...DEFAULT_STRATEGY_PARAMS, stdevLength: GRID.stdevLength[(k * 3) % 10], deviationThreshold: GRID.deviationThreshold[k % 10], trendEmaLength: GRID.trendEmaLength[(k * 7) % 10] }, broker);
		sampleMemory();
	}
	const oraclePerCombo = (performance.now() - t0) / oracleCombos / 1000;
	console.log(`\n${label}: ${candles.length.toLocaleString('en')} bars × ${combos} combinations (${trades.toLocaleString('en')} trades in all)`);
	console.log(`  ours:      ${s.toFixed(3)} s  (target ≤ ${targetS} s)  ${(throughput / 1e6).toFixed(1)} M bar·combos/s`);
	console.log(`  oracle:    ${oraclePerCombo.toFixed(3)} s per combination (mean of ${oracleCombos}) → ≈ ${(oraclePerCombo * combos).toFixed(1)} s for the grid; ours is ${((oraclePerCombo * combos) / s).toFixed(0)}× faster`);
	console.log(`  reference: ${reference}`);
	console.log(`  memory:    peak RSS ${mb(peakRss())}, peak heap used ${mb(peakHeap)}`);
}

/** Runs the whole benchmark and prints the report (exported for bench/index.ts). */
export function runBacktestBench(): void {
	const quick = process.env.BENCH_QUICK === '1';
	console.log('Backtest benchmark (node ' + process.version + ')');

	const minute = syntheticMinuteBars(1_051_200);
	sampleMemory();
	const million = lastBars(minute, 1_000_000);
	const broker = { timeframeMs: MINUTE_MS };
	runBacktest({ candles: million, broker, computeMetrics: false }); // warm-up
	const core = timeIt(() => runBacktest({ candles: million, broker, computeMetrics: false }), 7);
	const full = timeIt(() => runBacktest({ candles: million, broker }), 3);
	const bars = toBars(million);
	const oracle = timeIt(() => oracleBacktest(bars, DEFAULT_STRATEGY_PARAMS, { ...DEFAULT_BROKER_OPTIONS, ...broker }));
	console.log(`\nOne backtest, 1,000,000 one-minute bars, seed defaults (${core.value.trades.length} trades):`);
	console.log(`  indicators + signals + fills + equity curve: ${core.ms.toFixed(1)} ms (target < 20 ms)`);
	console.log(`  … plus all core metrics (Sharpe, Sortino, drawdown, tail, omega …): ${full.ms.toFixed(1)} ms`);
	console.log(`  plain-loop oracle: ${oracle.ms.toFixed(0)} ms → ours ${(oracle.ms / core.ms).toFixed(0)}× faster`);

	const hourly = lastBars(readOhlcvCsv(join(ohlcvDir(), 'BTCUSDT-1h.csv')), 17_520);
	sweepBench('Sweep, hourly (BTCUSDT 1h, last 17,520 bars)', hourly, HOUR_MS, 0.15, 'vectorbt 0.26: 1.7 s; numba-jitted loop: 0.11 s (issue 4, same compute shape)', 10);
	if (!quick) sweepBench('Sweep, one-minute (synthetic, 1,051,200 bars)', minute, MINUTE_MS, 15, 'vectorbt 0.26: 197 s, 15 GB peak; numba-jitted loop: 9.3 s (issue 4)', 1);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runBacktestBench();
