/**
 * @module bench/heartbeat.bench
 * The heartbeat's two hot schedules, measured in the service (the Hono app in process, SQLite in
 * memory, the in-process lease; no HTTP, no n8n):
 * (1) the signal scan after a candle close, `POST /v1/scan` over the whitelist universe (the nine
 *     tradable assets of the ten whitelisted; BASE has no token), both strategies on, each symbol
 *     holding a full day of 1-minute candles plus the warm-up (the worst case: the scan at 23:59
 *     reads 1,440 + bars) and alpha scores: target < 50 ms per scan (seed 2's KPI is 500 ms end to
 *     end);
 * (2) a risk-monitor tick, `POST /v1/positions/check` over 100 open paper positions on 10 symbols,
 *     each tick seeing one new closed 1-minute candle per symbol: target < 20 ms per tick.
 * Between measured runs (not timed) one new bar per symbol is stored and the clock moves on by a
 * minute. The scan keeps its streaming scanners between runs (pipeline/scanSignals) and rebuilds
 * them from storage every 60 bars: the first (cold) scan is printed apart, and a run of 60 or more
 * scans includes one rebuild in its p99. Median and p99 of HEARTBEAT_RUNS runs (default 60; BENCH_QUICK=1: 20) are printed.
 *
 * Runs alone: `npx tsx math-service/bench/heartbeat.bench.ts`, or `npm run bench -- heartbeat`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { whitelistUniverse } from '../src/alpha/whitelistUniverse.js';
import { createApp, type AppDeps } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { InProcessHotCache } from '../src/heartbeat/HotCache.js';
import type { HeartbeatDepsExtension } from '../src/heartbeat/heartbeatFor.js';
import { InProcessJobLock } from '../src/heartbeat/InProcessJobLock.js';
import { openStorage, type Storage } from '../src/storage/openStorage.js';
import { median, printFigure, seededRandom } from './report.js';

const MIN = 60_000;
const SCAN_TARGET_MS = 50;
const TICK_TARGET_MS = 20;
const POSITIONS = 100;
/** 23:00 UTC: the session holds 1,380 bars already. */
const START = Date.UTC(2026, 2, 1, 23, 0);
const WARMUP_BARS = 300;

const runs = () => Number(process.env.HEARTBEAT_RUNS ?? (process.env.BENCH_QUICK ? 20 : 60));
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.99 * xs.length) - 1)]!;

interface Market {
	storage: Storage;
	clock: { ms: number; now(): number };
	app: ReturnType<typeof createApp>;
	symbols: string[];
	prices: Map<string, number>;
	rnd: () => number;
}

async function market(symbols: string[]): Promise<Market> {
	const storage = await openStorage('sqlite::memory:');
	const clock = { ms: START + 2_000, now() { return this.ms; } };
	const deps = {
		config: loadConfig({}),
		storage,
		clock,
		logError: () => {},
		pipeline: { webhookSecret: 'bench-secret-0123456789abcdef', ollamaHost: null, paperInitialCash: 1_000_000 },
		heartbeat: { lock: new InProcessJobLock(), cache: new InProcessHotCache() },
	} as AppDeps & HeartbeatDepsExtension;
	const rnd = seededRandom(11);
	const prices = new Map(symbols.map((s, i) => [s, 100 * (i + 1)]));
	const from = START - (23 * 60 + WARMUP_BARS) * MIN;
	const rows = [];
	for (const symbol of symbols) {
		let p = prices.get(symbol)!;
		for (let t = from; t < START; t += MIN) {
			const next = p * (1 + 0.001 * (rnd() - 0.5));
			rows.push({ exchange: 'binance', symbol, timeframe: '1m', openTime: t, open: p, high: Math.max(p, next) * 1.0005, low: Math.min(p, next) * 0.9995, close: next, volume: 1 + rnd() * 10 });
			p = next;
		}
		prices.set(symbol, p);
		for (let k = 0; k < 24; k++) await storage.alphaScores.record({ symbol, computedAt: START - k * 3_600_000, score: 40 + 20 * rnd(), partial: false, components: {} });
	}
	for (let i = 0; i < rows.length; i += 5_000) await storage.candles.upsertMany(rows.slice(i, i + 5_000));
	return { storage, clock, app: createApp(deps), symbols, prices, rnd };
}

/** One more closed bar per symbol, and the clock a minute on (2 s after the close). */
async function nextBar(m: Market): Promise<void> {
	const openTime = m.clock.ms - 2_000;
	const rows = m.symbols.map((symbol) => {
		const p = m.prices.get(symbol)!;
		const next = p * (1 + 0.001 * (m.rnd() - 0.5));
		m.prices.set(symbol, next);
		return { exchange: 'binance', symbol, timeframe: '1m', openTime, open: p, high: Math.max(p, next) * 1.0005, low: Math.min(p, next) * 0.9995, close: next, volume: 1 };
	});
	await m.storage.candles.upsertMany(rows);
	m.clock.ms += MIN;
}

async function timed(m: Market, path: string, body: unknown): Promise<{ ms: number; answer: Record<string, unknown> }> {
	const t0 = performance.now();
	const res = await m.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const answer = (await res.json()) as Record<string, unknown>;
	const ms = performance.now() - t0;
	if (res.status !== 200 || answer.ran !== true) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
	return { ms, answer };
}

export async function runHeartbeatBench(): Promise<void> {
	const n = runs();

	const scanMarket = await market(whitelistUniverse());
	const scans: number[] = [];
	let signals = 0;
	const cold = (await timed(scanMarket, '/v1/scan', {})).ms; // builds the scanners from storage
	for (let i = 0; i < n; i++) {
		await nextBar(scanMarket);
		const { ms, answer } = await timed(scanMarket, '/v1/scan', {});
		scans.push(ms);
		signals += (answer.signals as unknown[]).length;
	}
	await scanMarket.storage.close();
	console.log(`  signal scan: ${whitelistUniverse().length} symbols × ~${23 * 60 + WARMUP_BARS} stored 1m bars each, ${n} scans, ${signals} signal(s) decided`);
	printFigure({ label: 'signal scan, first (cold: reads every bar)', value: cold, unit: 'ms' });
	printFigure({ label: 'signal scan, median', value: median(scans), unit: 'ms', target: { kind: 'below', value: SCAN_TARGET_MS } });
	printFigure({ label: 'signal scan, p99', value: p99(scans), unit: 'ms', target: { kind: 'below', value: SCAN_TARGET_MS } });

	const symbols = [...whitelistUniverse(), 'DOGE/USDT'];
	const tickMarket = await market(symbols);
	await tickMarket.storage.paperLedger.ensureInitialDeposit(1_000_000, START - 2 * MIN);
	for (let i = 0; i < POSITIONS; i++) {
		const symbol = symbols[i % symbols.length]!;
		const price = tickMarket.prices.get(symbol)!;
		await tickMarket.storage.paperLedger.openPosition({ strategy: 'vwap-mean-reversion', symbol, quantity: 1, price, fee: 0, stopPrice: price * 0.5, targetPrice: price * 2, openedAt: START - MIN, decisionId: null, timeStopMs: 7 * 86_400_000 });
	}
	const ticks: number[] = [];
	await timed(tickMarket, '/v1/positions/check', {});
	for (let i = 0; i < n; i++) {
		await nextBar(tickMarket);
		const { ms, answer } = await timed(tickMarket, '/v1/positions/check', {});
		if (answer.checked !== POSITIONS) throw new Error(`expected ${POSITIONS} open positions, checked ${String(answer.checked)}`);
		ticks.push(ms);
	}
	await tickMarket.storage.close();
	console.log(`  risk monitor: ${POSITIONS} open positions on ${symbols.length} symbols, one new 1m bar each per tick, ${n} ticks`);
	printFigure({ label: 'risk-monitor tick, median', value: median(ticks), unit: 'ms', target: { kind: 'below', value: TICK_TARGET_MS } });
	printFigure({ label: 'risk-monitor tick, p99', value: p99(ticks), unit: 'ms', target: { kind: 'below', value: TICK_TARGET_MS } });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runHeartbeatBench().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
