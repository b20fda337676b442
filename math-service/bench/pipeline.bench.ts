/**
 * @module bench/pipeline.bench
 * Performance of the pipeline: (1) alert → Telegram latency through the REAL n8n 2.8.4 (webhook →
 * Signal Intake → Risk Sizer › Decide → HighFreqQuant Telegram), over ≥ 200 alerts with unique
 * alert ids, approved and rejected measured separately, p50/p99 against p99 < 250 ms on loopback;
 * (2) the decision endpoint alone (POST /v1/signals/tradingview: intake + risk decision, one
 * call) at 32 connections with autocannon: fresh alerts (a full decision each, unique alert ids)
 * and TradingView's retries (the same alert: the stored decision), on the stack's MariaDB service
 * and on a second service process on SQLite (the `npm start` default).
 * (3) `runDecisionBench` (section `decisions`, no n8n): a burst at bar close, 32 connections of
 * fresh alerts over the whole universe against one service process on SQLite and one on a
 * throw-away MariaDB database, every limit enforced (the default thresholds: the book fills to the
 * 30 % heat within the first decisions, then every alert runs every gate and is refused): p99
 * < 20 ms on both, ≥ 2,000 decisions/s on SQLite, and the service's CPU per decision (from
 * /proc, the process's user + system time over the run) against ≤ 0.5 ms. The load average is
 * printed before and after: the machine may be shared, and every figure is only as good as it.
 *
 * Set-up is the end-to-end test's (test/e2e/support/pipelineStack.ts): the math service as a
 * real process on a throw-away MariaDB database, loopback fakes of Telegram and Ollama, n8n with
 * this package and the two workflows published. Between measured alerts (not timed) each
 * approved position is closed through POST /v1/positions/check, alternately at its target and at
 * its stop, so the book never fills up (heat) and the Kelly statistics stay positive.
 * Latency = from just before the webhook POST to the moment the Telegram fake has received the
 * whole request (photo upload included). Rejected alerts whose workflow sends nothing to
 * Telegram are timed to the webhook's HTTP answer instead (said in the output).
 *
 * Runs alone: `npx tsx math-service/bench/pipeline.bench.ts` (PIPELINE_ALERTS=N, default 240;
 * BENCH_QUICK=1: 200 alerts and 5 s autocannon runs), or as the `pipeline` section of `npm run bench`;
 * `npm run bench -- decisions` runs (3) alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startMathService } from '../../scripts/start/mathService.mjs';
import { postAlert, tvAlert } from '../../test/e2e/support/alerts';
import { executionTimings } from '../../test/e2e/support/nodeTimings';
import { freePort, ROOT, serviceApi, startPipelineStack, type PipelineStack } from '../../test/e2e/support/pipelineStack';
import { openStorage } from '../src/storage/openStorage';
import { createMysqlTestDatabase } from '../src/storage/testDatabases';
import { printFigure } from './report';

const CONNECTIONS = 32;
/** Decisions at 32 connections, every limit enforced. */
const DECISION_P99_MS = 20;
const SQLITE_DECISIONS_PER_S = 2_000;
const CPU_PER_DECISION_MS = 0.5;
const ASSETS = ['BTC', 'ETH', 'SOL', 'AVAX', 'NEAR', 'BNB', 'ARB', 'OP'];

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Sample {
	ms: number;
	status: string;
	to: 'telegram' | 'http';
}

/** Timestamps (performance.now) of every call the Telegram fake records. */
function recordArrivals(stack: PipelineStack): number[] {
	const arrivals: number[] = [];
	const calls = stack.telegram.calls;
	const push = calls.push.bind(calls);
	calls.push = (...items) => {
		for (let i = 0; i < items.length; i++) arrivals.push(performance.now());
		return push(...items);
	};
	return arrivals;
}

async function alertLatency(stack: PipelineStack, n: number): Promise<Sample[]> {
	const arrivals = recordArrivals(stack);
	const samples: Sample[] = [];
	let closeAtTarget = true;
	for (let i = 0; i < n; i++) {
		const asset = ASSETS[i % ASSETS.length]!;
		// every 4th alert is rejected at the R/R gate (target +3 %, stop −3 %)
		const alert = tvAlert(stack.secret, { asset, targetRatio: i % 4 === 3 ? 0.03 : 0.05 });
		const before = arrivals.length;
		const t0 = performance.now();
		const res = await postAlert(stack.signalWebhookUrl, alert);
		const tHttp = performance.now();
		const status = String(res.body?.status ?? `http ${res.status}`);
		// the card may reach Telegram after the webhook answered: wait up to 2 s for it
		const deadline = tHttp + 2_000;
		while (arrivals.length === before && performance.now() < deadline) await new Promise((r) => setImmediate(r));
		samples.push(arrivals.length > before ? { ms: arrivals[before]! - t0, status, to: 'telegram' } : { ms: tHttp - t0, status, to: 'http' });
		if (status === 'approved') {
			const open = await stack.storage.paperLedger.openPositions();
			const prices = Object.fromEntries(open.map((p) => [p.symbol, closeAtTarget ? p.targetPrice ?? p.entryPrice * 1.05 : p.stopPrice ?? p.entryPrice * 0.97]));
			await serviceApi(stack, 'POST', '/v1/positions/check', { prices });
			closeAtTarget = !closeAtTarget;
		}
	}
	return samples;
}

function report(label: string, samples: Sample[]): void {
	if (samples.length === 0) {
		console.log(`  ${label}: no samples`);
		return;
	}
	const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
	const to = [...new Set(samples.map((s) => s.to))].join('+');
	console.log(`${label}: ${samples.length} alerts, timed to ${to === 'telegram' ? 'the Telegram fake' : to === 'http' ? 'the webhook answer (no Telegram call)' : 'Telegram or, without a call, the webhook answer'}`);
	printFigure({ label: 'latency p50', value: percentile(sorted, 50), unit: 'ms' });
	printFigure({ label: 'latency p99', value: percentile(sorted, 99), unit: 'ms', target: { kind: 'below', value: 250 } });
	printFigure({ label: 'latency max', value: sorted.at(-1)!, unit: 'ms' });
}

type ServiceTarget = Pick<PipelineStack, 'serviceUrl' | 'apiKey' | 'secret'>;

/** A second service process on a throw-away SQLite file (what `npm start` runs), same secret and key. */
export async function startSqliteService(stack: ServiceTarget, databaseUrl?: string): Promise<ServiceTarget & { pid: number | undefined; stop(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'hfq-bench-sqlite-'));
	const port = await freePort();
	const serviceUrl = `http://127.0.0.1:${port}`;
	const service = await startMathService({
		root: ROOT,
		url: serviceUrl,
		log: () => {},
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			MATH_SERVICE_PORT: String(port),
			MATH_SERVICE_API_KEY: stack.apiKey,
			HFQ_DATA_DIR: dir,
			TRADINGVIEW_WEBHOOK_SECRET: stack.secret,
			...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
			HFQ_INTAKE_BURST: '0', // one loopback client at full speed: the per-address rate limit is off
		},
	});
	return {
		pid: service.pid,
		serviceUrl,
		apiKey: stack.apiKey,
		secret: stack.secret,
		async stop() {
			await service.stop();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export /** GET /v1/decisions/:id/chart.png (what Send Signal Card fetches for the photo), 50 sequential calls. */
async function chartTiming(stack: PipelineStack): Promise<void> {
	const [decision] = (await serviceApi(stack, 'GET', '/v1/decisions?limit=1&status=approved')).body.decisions as { decision_id: number }[];
	if (!decision) return;
	const ms: number[] = [];
	for (let i = 0; i < 50; i++) {
		const t = performance.now();
		const res = await fetch(`${stack.serviceUrl}/v1/decisions/${decision.decision_id}/chart.png`, { headers: { 'x-api-key': stack.apiKey } });
		await res.arrayBuffer();
		ms.push(performance.now() - t);
		if (!res.ok) return void console.log(`chart.png answered ${res.status}`);
	}
	ms.sort((a, b) => a - b);
	console.log('GET /v1/decisions/:id/chart.png (the card photo), 50 sequential calls:');
	printFigure({ label: 'latency p50', value: percentile(ms, 50), unit: 'ms' });
	printFigure({ label: 'latency p99', value: percentile(ms, 99), unit: 'ms' });
}

/** Median time per workflow node over the measured executions (n8n's own per-node executionTime). */
function printNodeTimings(stack: PipelineStack, n: number): void {
	const timings = executionTimings(stack.n8n.userFolder, stack.prepared.workflows[0].workflow.id, n);
	const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : Number.NaN);
	const names = [...new Set(timings.flatMap((t) => Object.keys(t.nodes)))];
	console.log(`where the time goes (n8n's per-node executionTime, median over ${timings.length} executions):`);
	printFigure({ label: 'execution, start → stop (n8n)', value: median(timings.map((t) => t.totalMs)), unit: 'ms' });
	for (const name of names) {
		const xs = timings.flatMap((t) => (name in t.nodes ? [t.nodes[name]!] : []));
		printFigure({ label: `node ${name} (${xs.length} runs)`, value: median(xs), unit: 'ms' });
	}
}

export async function decisionEndpoint(stack: ServiceTarget, fresh: boolean, durationS: number, connections = CONNECTIONS, afterWarmUp?: () => void) {
	const url = `${stack.serviceUrl}/v1/signals/tradingview`;
	const headers = { 'content-type': 'application/json', 'x-api-key': stack.apiKey };
	const replay = JSON.stringify(tvAlert(stack.secret, { asset: 'BTC' }));
	let i = 0;
	const run = (duration: number) =>
		autocannon({
			url,
			method: 'POST',
			connections,
			duration,
			headers,
			body: replay,
			// fresh: a new alert (new id, current time) per request, rotating over the whitelist
			...(fresh ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify(tvAlert(stack.secret, { asset: ASSETS[i++ % ASSETS.length] })) }) }] } : {}),
		} as Parameters<typeof autocannon>[0]);
	// Warm-up: 2 s, longer (up to 10 s) until WARM_UP_DECISIONS were answered, so the JIT has
	// compiled the decision path before the measured run also on a starved machine.
	let warmed = 0;
	for (const started = Date.now(); warmed === 0 || (warmed < WARM_UP_DECISIONS && Date.now() - started < 10_000); ) warmed += (await run(2)).requests.total;
	afterWarmUp?.();
	return run(durationS);
}

/** Requests answered before a measured decision run (see decisionEndpoint). */
const WARM_UP_DECISIONS = 3_000;

export async function runPipelineBench(): Promise<void> {
	const quick = process.env.BENCH_QUICK === '1';
	const n = Math.max(200, Number(process.env.PIPELINE_ALERTS ?? (quick ? 200 : 240)));
	const stack = await startPipelineStack({ build: 'if-stale', serviceEnv: { HFQ_INTAKE_BURST: '0' } });
	try {
		console.log(`stack up in ${(stack.timings.totalMs! / 1000).toFixed(1)} s (n8n ${(stack.timings.n8nMs! / 1000).toFixed(1)} s); MariaDB, PAPER, Ollama fake on`);
		// warm-up: JIT, connection pools, n8n's first execution
		for (let i = 0; i < 10; i++) await postAlert(stack.signalWebhookUrl, tvAlert(stack.secret, { asset: 'DOGE' }));
		const samples = await alertLatency(stack, n);
		report('alert → Telegram, approved', samples.filter((s) => s.status === 'approved'));
		report('alert → Telegram, rejected', samples.filter((s) => s.status !== 'approved'));
		report('alert → Telegram, all', samples);
		printNodeTimings(stack, n);
		await chartTiming(stack);

		const sqlite = await startSqliteService(stack);
		try {
			for (const [db, target] of [['MariaDB', stack], ['SQLite', sqlite]] as const) {
				// decisions are serialised (one account, limits must hold): at 32 connections a fresh
				// alert waits for the ones ahead of it; 1 connection shows the time of one decision
				for (const [fresh, connections] of [[true, CONNECTIONS], [true, 1], [false, CONNECTIONS]] as const) {
					const r = await decisionEndpoint(target, fresh, quick ? 5 : 10, connections);
					console.log(
						`POST /v1/signals/tradingview on ${db}, ${fresh ? 'fresh alerts (full decision each)' : 'one alert retried (stored decision)'} ` +
							`(${connections} connection${connections > 1 ? 's' : ''}, ${r.duration.toFixed(0)} s, ${r.requests.total.toLocaleString('en-US')} requests, non-2xx ${r.non2xx}, errors ${r.errors}):`,
					);
					printFigure({ label: 'requests/s (mean)', value: r.requests.average, unit: 'req/s', digits: 0 });
					printFigure({ label: 'latency p50', value: r.latency.p50, unit: 'ms' });
					printFigure({ label: 'latency p99', value: r.latency.p99, unit: 'ms', target: connections === CONNECTIONS && fresh ? { kind: 'below', value: DECISION_P99_MS } : undefined });
				}
			}
		} finally {
			await sqlite.stop();
		}
	} finally {
		await stack.stop();
	}
}

/** User + system CPU time of a process so far, in ms (Linux /proc; NaN elsewhere). */
function processCpuMs(pid: number | undefined): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		const ticksPerSecond = 100; // USER_HZ on Linux
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
	} catch {
		return Number.NaN;
	}
}

const loadAverage = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

/** How the decisions of a run ended, by reason code (read from the service's database afterwards). */
async function reasonCodes(databaseUrl: string): Promise<string> {
	const storage = await openStorage(databaseUrl, { migrate: false });
	try {
		const rows = await storage.db.selectFrom('decisions').select(['reasonCode', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('reasonCode').execute();
		return rows.map((r) => `${r.reasonCode} ${Number(r.n).toLocaleString('en-US')}`).join(', ');
	} finally {
		await storage.close();
	}
}

/** A burst at bar close: fresh alerts over the universe at 32 connections, on SQLite and on MariaDB, one service process each. */
export async function runDecisionBench(): Promise<void> {
	const durationS = process.env.BENCH_QUICK === '1' ? 5 : 10;
	const target: ServiceTarget = { serviceUrl: '', apiKey: 'bench-api-key-0123456789', secret: 'bench-webhook-secret-0123456789' };
	const mysql = await createMysqlTestDatabase('hfq_bench');
	try {
		for (const db of ['SQLite', 'MariaDB'] as const) {
			const sqliteDir = mkdtempSync(join(tmpdir(), 'hfq-bench-decisions-'));
			const databaseUrl = db === 'SQLite' ? `sqlite:${join(sqliteDir, 'bench.db')}` : mysql.url;
			const service = await startSqliteService(target, databaseUrl);
			try {
				console.log(`POST /v1/signals/tradingview on ${db}, fresh alerts over ${ASSETS.length} assets, ${CONNECTIONS} connections, ${durationS} s (load average before: ${loadAverage()}):`);
				let cpuBefore = Number.NaN;
				// Warm-up first (≥ 2 s, up to 3,000 decisions: JIT, pool; it fills the book to the heat limit), then the measured run.
				const r = await decisionEndpoint(service, true, durationS, CONNECTIONS, () => (cpuBefore = processCpuMs(service.pid)));
				const cpuMs = processCpuMs(service.pid) - cpuBefore;
				const decisions = r.requests.total;
				// The share of one core the service got: far below 100 % at 32 connections means it waited for a CPU (a loaded machine), not for work.
				const cpuShare = cpuMs / (r.duration * 1000);
				console.log(`  ${decisions.toLocaleString('en-US')} decisions (after ≥ 2 s and up to ${WARM_UP_DECISIONS.toLocaleString('en-US')} decisions of warm-up), non-2xx ${r.non2xx}, errors ${r.errors}; service CPU ${(cpuShare * 100).toFixed(0)} % of one core; load average after: ${loadAverage()}`);
				console.log(`  outcomes, warm-up included: ${await reasonCodes(databaseUrl)}`);
				printFigure({ label: 'decisions/s (mean)', value: r.requests.average, unit: 'req/s', digits: 0, target: db === 'SQLite' ? { kind: 'atLeast', value: SQLITE_DECISIONS_PER_S } : undefined });
				printFigure({ label: 'latency p50', value: r.latency.p50, unit: 'ms' });
				printFigure({ label: 'latency p99', value: r.latency.p99, unit: 'ms', target: { kind: 'below', value: DECISION_P99_MS } });
				printFigure({ label: 'service CPU per decision', value: cpuMs / Math.max(1, decisions), unit: 'ms', digits: 3, target: { kind: 'below', value: CPU_PER_DECISION_MS } });
			} finally {
				await service.stop();
				rmSync(sqliteDir, { recursive: true, force: true });
			}
		}
	} finally {
		await mysql.drop();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runPipelineBench().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
