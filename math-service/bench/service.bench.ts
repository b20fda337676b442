/**
 * @module bench/service.bench
 * HTTP throughput and latency of the math service on loopback (targets: /v1/kelly
 * ≥ 20,000 req/s with p99 < 5 ms at 32 connections). Starts the real service (`src/main.ts`, a
 * throw-away SQLite file, an API key so the auth path is measured) as a child process, so the
 * server and autocannon each get a core of this 2-core machine, then drives POST /v1/kelly and
 * POST /v1/var (1,000 returns) with autocannon: 3 s warm-up, then 10 s measured (5 s with
 * BENCH_QUICK=1). Runs alone: `npx tsx math-service/bench/service.bench.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { printFigure, syntheticReturns } from './report';

const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const API_KEY = 'bench-key-0123456789abcdef0123';
const CONNECTIONS = 32;

interface Service {
	url: string;
	/** CPU time (user + system) the service process has used so far, ms; null off Linux. */
	cpuMs(): number | null;
	stop(): Promise<void>;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (Linux; null elsewhere). */
function processCpuMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[11]) + Number(fields[12]);
		return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
	} catch {
		return null;
	}
}

async function startService(): Promise<Service> {
	const dataDir = mkdtempSync(join(tmpdir(), 'hfq-bench-'));
	const tsx = createRequire(import.meta.url).resolve('tsx');
	const child: ChildProcess = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, 'src/main.ts'], {
		cwd: serviceDir,
		env: { ...process.env, NODE_ENV: 'production', MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', MATH_SERVICE_API_KEY: API_KEY, HFQ_DATA_DIR: dataDir, DATABASE_URL: '' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	const url = await new Promise<string>((res, rej) => {
		const timer = setTimeout(() => rej(new Error(`service did not start: ${out}`)), 30_000);
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /listening on (http:\/\/[^\s]+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				res(m[1]!);
			}
		});
		child.on('exit', (code) => rej(new Error(`service exited with ${code}: ${out}`)));
	});
	return {
		url,
		cpuMs: () => processCpuMs(child.pid!),
		async stop() {
			const exited = new Promise((r) => child.on('exit', r));
			child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

async function load(url: string, path: string, body: string, durationS: number) {
	return autocannon({
		url: `${url}${path}`,
		method: 'POST',
		connections: CONNECTIONS,
		duration: durationS,
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body,
	});
}

async function measure(service: Service, label: string, path: string, body: string, targets: boolean): Promise<void> {
	const url = service.url;
	const check = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body });
	if (check.status !== 200) throw new Error(`${path} answered ${check.status}: ${await check.text()}`);
	const quick = process.env.BENCH_QUICK === '1';
	await load(url, path, body, 3);
	const cpu0 = service.cpuMs();
	const r = await load(url, path, body, quick ? 5 : 10);
	const cpu1 = service.cpuMs();
	console.log(`${label} (${CONNECTIONS} connections, ${r.duration.toFixed(0)} s, ${r.requests.total.toLocaleString('en-US')} requests, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}):`);
	printFigure({ label: 'requests/s (mean)', value: r.requests.average, unit: 'req/s', digits: 0, target: targets ? { kind: 'atLeast', value: 20_000 } : undefined });
	printFigure({ label: 'latency p50', value: r.latency.p50, unit: 'ms' });
	printFigure({ label: 'latency p99', value: r.latency.p99, unit: 'ms', target: targets ? { kind: 'below', value: 5 } : undefined });
	if (cpu0 !== null && cpu1 !== null && r.requests.total > 0) {
		// On a shared machine wall-clock throughput depends on the neighbours; CPU per request does not.
		const usPerRequest = ((cpu1 - cpu0) * 1000) / r.requests.total;
		printFigure({ label: 'service CPU per request', value: usPerRequest, unit: 'µs', digits: 1 });
		printFigure({ label: 'capacity of one uncontended core (1e6/CPU µs)', value: 1e6 / usPerRequest, unit: 'req/s', digits: 0, target: targets ? { kind: 'atLeast', value: 20_000 } : undefined });
	}
}

export async function runServiceBench(): Promise<void> {
	const service = await startService();
	try {
		console.log(`Math service on loopback (${service.url}, API key on, node ${process.version}):`);
		await measure(service, 'POST /v1/kelly', '/v1/kelly', JSON.stringify({ win_rate: 0.55, avg_win: 1.5, avg_loss: 1 }), true);
		const returns = Array.from(syntheticReturns(1000), (x) => Number(x.toFixed(6)));
		await measure(service, 'POST /v1/var (1,000 returns, historical)', '/v1/var', JSON.stringify({ returns, confidence: 0.95 }), false);
	} finally {
		await service.stop();
	}
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void runServiceBench();
