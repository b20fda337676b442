/**
 * @module bench/live.bench
 * LIVE execution against the loopback Binance spot account fake, through the real ccxt client and
 * the service's own app (in process, SQLite in memory):
 * (1) decision → order acknowledged by the exchange: from just before POST /v1/signals/tradingview
 *     to the moment the fake has answered the entry order, over LIVE_BENCH_ALERTS approved ETH/USDT
 *     buys (default 200; BENCH_QUICK=1: 60), p50/p99 against p99 < 50 ms. Between measured alerts
 *     (not timed) each position is sold again by a sell alert, alternately at a gain and a loss, so
 *     the book never fills up and the Kelly statistics stay positive; a pause lets ccxt's request
 *     throttle (50 ms per weight unit on Binance) refill, as between real bar closes.
 * (2) start-up reconciliation of LIVE_BENCH_ROWS outbox rows (default 1,000) left `sent` by a crash,
 *     every order filled at the exchange: time to look them up (one allOrders and one myTrades per
 *     symbol) and book every position, against < 1 s. The rows carry no stop/target, so no OCO is
 *     placed: protecting each position is one order per position, paced by the exchange's rate
 *     limit (ccxt spaces Binance requests 50 ms per weight unit), and is not part of this figure.
 * Runs as `npm run bench -- live`, or alone: `npx tsx math-service/bench/live.bench.ts`.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startFakeBinanceAccount } from '../../test/fakes/fakeBinanceAccount';
import { createApp, type AppDeps } from '../src/app';
import { loadConfig } from '../src/config';
import { clientOrderIdFor } from '../src/execution/clientOrderId';
import { pipelineFor } from '../src/pipeline/createPipeline';
import { reconcileLiveOutbox } from '../src/pipeline/liveExecution';
import { insertLiveOrder, liveOrders } from '../src/storage/liveOrderOutbox';
import { openStorage } from '../src/storage/openStorage';
import { printFigure } from './report';

const SECRET = 'bench-live-secret-0123456789';
const ORDER_ACK_P99_MS = 50;
const RECONCILE_MS = 1_000;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function liveStack(balanceUsdt: number, paperInitialCash = 10_000) {
	const fake = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000 }, symbols: ['ETHUSDT', 'BTCUSDT'], balances: { USDT: balanceUsdt } });
	const storage = await openStorage('sqlite::memory:');
	const seed1 = { profile: 'seed1', passed: true, gates: [] };
	await storage.backtestRuns.insert({
		strategy: 'vwap_mean_reversion', exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', fromTime: 0, toTime: 1,
		params: {}, metrics: {}, gates: { seed1, seed2: seed1 } as never, gatesProfile: 'seed1', gatesPassed: true, createdAt: Date.now() - 60_000,
	});
	const env = { HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: fake.apiKey, EXCHANGE_API_SECRET: fake.apiSecret, HFQ_LIVE_BASE_URL: fake.origin };
	const deps = { config: loadConfig(env), storage, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash, ipAllowlist: null } } as AppDeps;
	return { fake, storage, deps, app: createApp(deps), async close() { await storage.close(); await fake.close(); } };
}

async function orderAckBench(): Promise<void> {
	const n = Number(process.env.LIVE_BENCH_ALERTS ?? (process.env.BENCH_QUICK ? 60 : 200));
	const s = await liveStack(1_000_000);
	// The fake answers the order at this instant (same process clock as the client's start).
	const acked = new Map<string, number>();
	s.fake.onOrderAnswered = (clientOrderId) => acked.set(clientOrderId, performance.now());
	const post = async (body: Record<string, unknown>) =>
		(await (await s.app.request('/v1/signals/tradingview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, any>;
	const alert = (i: number, action: 'buy' | 'sell', close: number) => ({ secret: SECRET, alert_id: `bench-live-${i}-${action}`, action, ticker: 'BINANCE:ETHUSDT', interval: '60', time: Date.now() - 500, close, vwap: 2080, stop: 1960, target: 2080 });
	const samples: number[] = [];
	let refused = 0;
	for (let i = 0; i < n + 5; i++) {
		s.fake.setPrice('ETHUSDT', 2000);
		const t0 = performance.now();
		const d = await post(alert(i, 'buy', 2000));
		const cid = d.receipt?.execution?.client_order_id as string | undefined;
		if (d.status !== 'approved' || cid === undefined || !acked.has(cid)) refused++;
		else if (i >= 5) samples.push(acked.get(cid)! - t0); // the first five warm up ccxt and the statements
		const exit = i % 3 === 2 ? 1990 : 2030;
		s.fake.setPrice('ETHUSDT', exit);
		await post(alert(i, 'sell', exit));
		await new Promise((r) => setTimeout(r, 250)); // ccxt's throttle refills (4 requests × 50 ms)
	}
	samples.sort((a, b) => a - b);
	console.log(`  ${samples.length} LIVE buys measured (${refused} not approved or not sent), each followed by an untimed sell`);
	printFigure({ label: 'decision → order acked by exchange, p50', value: percentile(samples, 50), unit: 'ms' });
	printFigure({ label: 'decision → order acked by exchange, p99', value: percentile(samples, 99), unit: 'ms', target: { kind: 'below', value: ORDER_ACK_P99_MS } });
	await s.close();
}

async function reconcileBench(): Promise<void> {
	const rows = Number(process.env.LIVE_BENCH_ROWS ?? 1_000);
	const s = await liveStack(100_000_000, 1_000_000);
	const p = pipelineFor(s.deps);
	const now = Date.now();
	// A crash left `rows` orders sent and filled at the exchange, their answers never stored.
	for (let i = 0; i < rows; i++) {
		const d = await s.storage.decisions.insert({ signalId: null, alertId: `bench-reconcile-${i}`, status: 'approved', reasonCode: 'approved', symbol: 'ETH/USDT', receipt: { mode: 'LIVE' }, createdAt: now });
		const clientOrderId = clientOrderIdFor(d.decision.id, `bench-reconcile-${i}`);
		await s.storage.prepared.withConnection((c) =>
			insertLiveOrder(c, { decisionId: d.decision.id, clientOrderId, exchange: 'binance', strategy: 'vwap_mean_reversion', symbol: 'ETH/USDT', side: 'buy', quantity: 0.01, referencePrice: 2000, stopPrice: null, targetPrice: null, timeStopMs: null, reason: 'bench', createdAt: now }),
		);
		s.fake.placeDirect({ symbol: 'ETHUSDT', side: 'BUY', quantity: 0.01, clientOrderId });
	}
	await s.storage.db.updateTable('liveOrderOutbox' as never).set({ state: 'sent' } as never).execute();
	const requestsBefore = s.fake.requests.length;
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const summary = await reconcileLiveOutbox(p);
	const t1 = performance.now();
	const cpu = process.cpuUsage(cpu0);
	const lookups = s.fake.requests.length - requestsBefore;
	const filled = (await liveOrders(s.storage.db).openPositions()).length;
	console.log(`  ${rows} rows: ${summary.filled} filled, ${summary.never_sent} never sent, ${summary.errors.length} errors${summary.errors.length > 0 ? ` (first: ${summary.errors[0]})` : ''}; ${lookups} lookup request(s); ${filled} positions booked`);
	printFigure({ label: `reconcile ${rows} outbox rows (look up + book)`, value: t1 - t0, unit: 'ms', target: { kind: 'below', value: RECONCILE_MS } });
	// The bench process is the service and the exchange fake at once: on a busy machine wall time
	// stretches; the CPU both spent (and the load average) say how much.
	printFigure({ label: `  CPU of service + fake during it (load ${os.loadavg()[0]!.toFixed(1)})`, value: (cpu.user + cpu.system) / 1000, unit: 'ms' });
	await s.close();
}

export async function runLiveBench(): Promise<void> {
	await orderAckBench();
	await reconcileBench();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runLiveBench().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
