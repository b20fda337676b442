/**
 * @module bench/intake.bench
 * Intake at a steady 200 TradingView alerts/s for 60 s through the n8n webhook path (production
 * URL of workflows/tradingview-signal.json: Webhook → Signal Intake → Risk Sizer › Decide →
 * Respond → Telegram card), on each tested n8n release, in n8n's default mode (one process,
 * SQLite) and in queue mode (main + one `n8n worker` on Redis 127.0.0.1:6379, n8n's own database
 * on Postgres 127.0.0.1:5432, user postgres, trust auth: what a production n8n runs to scale past
 * one process), and queue mode with the production webhooks on an `n8n webhook` process (mode
 * `webhooks`, opt-in). Target: zero errors; p50/p99 printed.
 *
 * Open loop: one alert every 5 ms whatever the answers take (TradingView does not wait for us),
 * each a fresh, authenticated alert with its own id, rotating over the whitelisted assets (the
 * first few are approved and send a card; once the book is at its heat limit the rest are
 * rejected portfolio_heat: a decision is stored for each). Error = no answer within 30 s, an HTTP
 * status other than 200, or a body that is not a decision ({status: approved|rejected}); and the
 * number of decisions stored must equal the number of decisions answered (none lost or doubled).
 * Latency = from the POST to the end of the webhook's answer. n8n runs with the production
 * throughput settings of docker-compose.yml (scripts/n8n/throughputEnv.mjs).
 *
 * Before the open loop, CPU per alert of each process (n8n main, worker, webhook; the math
 * service) is measured with a few alerts in flight at a time (INTAKE_CPU_ALERTS, 400), so nothing
 * queues and every alert counted is finished: ms of CPU per alert does not depend on the rate or
 * on a backlog. From it (bench/intakeCapacity): the rate each process tops out at (one JavaScript
 * thread each) and the cores the target rate needs. Printed with the load average and the CPU a
 * fixed piece of JavaScript takes at that moment (`reference`): on a shared virtual machine CPU
 * time itself stretches when the host is busy, so compare runs by CPU per alert ÷ reference.
 *
 * Opt-in (long: ~2 min per run plus n8n starts): `npm run bench -- intake`, or alone
 * `npx tsx math-service/bench/intake.bench.ts`. INTAKE_RATE (alerts/s, 200), INTAKE_SECONDS (60),
 * INTAKE_N8N_VERSIONS (comma list, default every tested release), INTAKE_MODES (default,queue; also webhooks),
 * INTAKE_CPU_ALERTS (400; 0 skips the CPU measurement).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { N8N_VERSIONS } from '../../scripts/n8n/ensureN8n.mjs';
import { N8N_THROUGHPUT_ENV, N8N_WORKER_CONCURRENCY } from '../../scripts/n8n/throughputEnv.mjs';
import { tvAlert } from '../../test/e2e/support/alerts';
import { n8nQueueMode } from '../../test/e2e/support/n8nQueueMode';
import { startPipelineStack, tableCounts, type PipelineStack } from '../../test/e2e/support/pipelineStack';
import { intakeCapacity } from './intakeCapacity';
import { countCpu, n8nProcesses, type N8nProcess } from './processCpu';
import { printFigure } from './report';

const ASSETS = ['BTC', 'ETH', 'SOL', 'AVAX', 'NEAR', 'BNB', 'ARB', 'OP'];
const TIMEOUT_MS = 30_000;

/** default: one n8n process on SQLite; queue: main + worker; webhooks: queue with production webhooks on an `n8n webhook` process (the compose file's `webhooks` profile). */
type Mode = 'default' | 'queue' | 'webhooks';

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Outcome {
	ms: number;
	error: string | null;
	status: string | null;
}

async function postOne(url: string, body: string): Promise<Outcome> {
	const t0 = performance.now();
	try {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
		const text = await res.text();
		const ms = performance.now() - t0;
		if (res.status !== 200) return { ms, error: `HTTP ${res.status}`, status: null };
		let json: { status?: unknown; duplicate?: unknown } | null = null;
		try {
			json = text ? JSON.parse(text) : null;
		} catch {}
		if (!json || (json.status !== 'approved' && json.status !== 'rejected')) return { ms, error: `not a decision: ${text.slice(0, 80) || '(empty body)'}`, status: null };
		if (json.duplicate === true) return { ms, error: 'answered as a duplicate', status: String(json.status) };
		return { ms, error: null, status: String(json.status) };
	} catch (error) {
		return { ms: performance.now() - t0, error: (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : String((error as Error).message), status: null };
	}
}

/** Fires `rate` alerts/s for `seconds` s on a fixed schedule; resolves when every answer is in. */
async function openLoop(stack: PipelineStack, rate: number, seconds: number): Promise<{ outcomes: Outcome[]; sendSeconds: number }> {
	const total = rate * seconds;
	const interval = 1000 / rate;
	const pending: Promise<Outcome>[] = [];
	const start = performance.now();
	for (let i = 0; i < total; i++) {
		const due = start + i * interval;
		const wait = due - performance.now();
		if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
		pending.push(postOne(stack.signalWebhookUrl, JSON.stringify(tvAlert(stack.secret, { asset: ASSETS[i % ASSETS.length] }))));
	}
	const sendSeconds = (performance.now() - start) / 1000;
	// every answer is due within TIMEOUT_MS of its alert: say so if the wait outlasts that
	let outstanding = pending.length;
	for (const p of pending) void p.then(() => outstanding--);
	const progress = setInterval(() => console.log(`  … ${outstanding.toLocaleString('en-US')} answers outstanding ${((performance.now() - start) / 1000 - sendSeconds).toFixed(0)} s after the last alert`), TIMEOUT_MS);
	try {
		return { outcomes: await Promise.all(pending), sendSeconds };
	} finally {
		clearInterval(progress);
	}
}

/** CPU ms a fixed piece of JavaScript (allocation, JSON, strings: like n8n's work) takes now; the least of three after a warm-up. */
function referenceCpuMs(): number {
	const once = () => {
		const start = process.cpuUsage();
		let keep = 0;
		for (let i = 0; i < 20_000; i++) {
			const item = { json: { alert_id: `BINANCE:BTCUSDT-60-${i}`, close: i * 1.5, gates: [{ name: 'heat', passed: i % 2 === 0 }] } };
			keep += JSON.parse(JSON.stringify(item)).json.alert_id.length;
		}
		const used = process.cpuUsage(start);
		return keep > 0 ? (used.user + used.system) / 1000 : Number.NaN;
	};
	once();
	return Math.min(once(), once(), once());
}

/**
 * CPU ms per alert of each process: `count` alerts, `inFlight` at a time (closed loop: the next
 * one leaves when an answer comes back), so no backlog builds and every alert is finished.
 */
async function cpuPerAlert(stack: PipelineStack, processes: N8nProcess[], count: number, inFlight = 4): Promise<{ perRole: Map<N8nProcess['role'], number>; errors: number; referenceMs: number }> {
	const referenceBefore = referenceCpuMs();
	const before = (await tableCounts(stack.storage)).decisions;
	const cpu = countCpu(processes);
	let next = 0;
	let errors = 0;
	const lane = async () => {
		while (next < count) {
			const i = next++;
			if ((await postOne(stack.signalWebhookUrl, JSON.stringify(tvAlert(stack.secret, { asset: ASSETS[i % ASSETS.length] })))).error) errors++;
		}
	};
	await Promise.all(Array.from({ length: inFlight }, lane));
	// the Telegram card goes out after the answer: let the last executions finish
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const used = cpu.stop();
	const decided = Math.max((await tableCounts(stack.storage)).decisions - before, 1);
	const perRole = new Map<N8nProcess['role'], number>();
	for (const role of ['main', 'webhook', 'worker', 'service'] as const) if (processes.some((p) => p.role === role)) perRole.set(role, (1000 * used[role]) / decided);
	return { perRole, errors, referenceMs: (referenceBefore + referenceCpuMs()) / 2 };
}

async function runOne(version: string, mode: Mode, rate: number, seconds: number, cpuAlerts: number): Promise<void> {
	const queue = mode === 'default' ? null : n8nQueueMode('bench');
	const webhookProcesses = mode === 'webhooks' ? 1 : 0;
	let stack: PipelineStack | null = null;
	try {
		stack = await startPipelineStack({
			build: 'if-stale',
			n8nVersion: version,
			n8nEnv: { ...N8N_THROUGHPUT_ENV, ...queue?.env, ...(webhookProcesses ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : {}) },
			n8nWorkers: queue ? 1 : 0,
			n8nWorkerConcurrency: N8N_WORKER_CONCURRENCY,
			n8nWebhookProcesses: webhookProcesses,
		});
		const n8nDb = queue ? `Postgres, main + 1 worker (concurrency ${N8N_WORKER_CONCURRENCY})${webhookProcesses ? ' + 1 webhook process' : ''} on Redis` : 'SQLite, one process';
		console.log(`n8n ${version}, ${mode} mode (${n8nDb}); up in ${(stack.timings.n8nMs! / 1000).toFixed(1)} s`);
		// warm-up (not measured): JIT, pools, n8n's first executions
		for (let i = 0; i < 20; i++) await postOne(stack.signalWebhookUrl, JSON.stringify(tvAlert(stack.secret, { asset: 'DOGE' })));
		const processes = [...n8nProcesses(stack.n8n.userFolder), ...(stack.servicePid ? [{ pid: stack.servicePid, role: 'service' as const }] : [])];
		if (cpuAlerts > 0 && processes.some((p) => p.role === 'main')) {
			const { perRole, errors, referenceMs } = await cpuPerAlert(stack, processes, cpuAlerts);
			const roles = [...perRole].map(([role, msPerAlert]) => ({ role, msPerAlert, processes: processes.filter((p) => p.role === role).length }));
			const capacity = intakeCapacity(roles, rate);
			console.log(
				`  CPU per alert (${cpuAlerts} alerts, 4 in flight${errors ? `, ${errors} errors` : ''}): ` +
					roles.map((r) => `${r.role}${r.processes > 1 ? ` ×${r.processes}` : ''} ${r.msPerAlert.toFixed(1)} ms`).join(', ') +
					`; reference ${referenceMs.toFixed(0)} ms; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
			);
			console.log(
				`  → tops out at ${capacity.ceilingPerSecond.toFixed(0)} alerts/s (${capacity.bottleneck}: one JavaScript thread); ` +
					`${rate}/s needs ${capacity.coresAtRate.toFixed(1)} cores for n8n and the service (processes at one core each: ${capacity.processesAtRate.map((p) => `${p.role} ${p.processes}`).join(', ')}), databases not counted`,
			);
			printFigure({ label: 'CPU per alert, n8n (all processes)', value: roles.filter((r) => r.role !== 'service').reduce((sum, r) => sum + r.msPerAlert, 0), unit: 'ms' });
		}
		const before = (await tableCounts(stack.storage)).decisions;
		const cpu = countCpu(processes);
		const loopStart = performance.now();
		const { outcomes, sendSeconds } = await openLoop(stack, rate, seconds);
		const cpuUsed = cpu.stop();
		const loopSeconds = (performance.now() - loopStart) / 1000;
		const stored = (await tableCounts(stack.storage)).decisions - before;
		const answered = outcomes.filter((o) => o.error === null);
		const errors = new Map<string, number>();
		for (const o of outcomes) if (o.error) errors.set(o.error, (errors.get(o.error) ?? 0) + 1);
		const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
		const approved = answered.filter((o) => o.status === 'approved').length;
		console.log(
			`  ${outcomes.length.toLocaleString('en-US')} alerts sent in ${sendSeconds.toFixed(1)} s (${(outcomes.length / sendSeconds).toFixed(0)}/s); ` +
				`${answered.length.toLocaleString('en-US')} decisions answered (${approved} approved), ${stored.toLocaleString('en-US')} stored`,
		);
		for (const [error, n] of errors) console.log(`  error ×${n}: ${error}`);
		if (processes.some((p) => p.role === 'main')) {
			// per decision the service stored meanwhile: n8n goes on with alerts whose caller gave up
			const decided = Math.max(stored, answered.length, 1);
			const perAlert = (s: number) => `${((1000 * s) / decided).toFixed(1)} ms`;
			const share = (s: number) => `${((100 * s) / loopSeconds).toFixed(0)} % of a core`;
			const shown = (['main', 'webhook', 'worker'] as const).filter((role) => processes.some((p) => p.role === role));
			console.log(
				`  during the open loop, CPU per decided alert (unfinished executions make it look higher under a backlog): ` +
					shown.map((role) => `n8n ${role} ${perAlert(cpuUsed[role])} (${share(cpuUsed[role])})`).join(', ') +
					`; math service ${perAlert(cpuUsed.service)}` +
					`; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
			);
		}
		printFigure({ label: 'errors (incl. stored ≠ answered)', value: outcomes.length - answered.length + Math.abs(stored - answered.length), unit: '', digits: 0, target: { kind: 'below', value: 1 } });
		// answers per second from the first alert to the last answer: below the rate, the backlog grows
		printFigure({ label: 'sustained (answered / s until the last answer)', value: answered.length / loopSeconds, unit: '/s', digits: 0, target: { kind: 'atLeast', value: rate * 0.95 } });
		printFigure({ label: 'latency p50', value: percentile(sorted, 50), unit: 'ms' });
		printFigure({ label: 'latency p99', value: percentile(sorted, 99), unit: 'ms' });
		printFigure({ label: 'latency max', value: sorted.at(-1)!, unit: 'ms' });
	} finally {
		await stack?.stop();
		queue?.drop();
	}
}

export async function runIntakeBench(): Promise<void> {
	const rate = Number(process.env.INTAKE_RATE ?? 200);
	const seconds = Number(process.env.INTAKE_SECONDS ?? 60);
	const cpuAlerts = Number(process.env.INTAKE_CPU_ALERTS ?? 400);
	const versions = process.env.INTAKE_N8N_VERSIONS?.split(',').map((v) => v.trim()) ?? N8N_VERSIONS;
	const modes = (process.env.INTAKE_MODES?.split(',').map((m) => m.trim()) ?? ['default', 'queue']) as Mode[];
	console.log(`intake through the n8n webhook: ${rate} alerts/s for ${seconds} s (open loop), MariaDB service, PAPER`);
	let failed = 0;
	for (const version of versions) {
		for (const mode of modes) {
			try {
				await runOne(version, mode, rate, seconds, cpuAlerts);
			} catch (error) {
				failed++;
				console.error(`n8n ${version}, ${mode} mode failed:`, error);
			}
		}
	}
	if (failed) throw new Error(`${failed} intake run(s) failed`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runIntakeBench().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
