/**
 * @module bench/service.bench
 * HTTP throughput and latency of the math service on loopback, side by side with the FastAPI peer
 * (the Python design this service replaces) in the same run. Targets: POST /v1/kelly ≥ 3.5× the
 * peer's requests/s with p99 < 5 ms; POST /v1/var (1,000 returns) ≥ 10× with p99 ≤ the peer's / 5.
 *
 * Set-up: the compiled service (`node math-service/dist/main.js`, built when stale; a throw-away
 * SQLite file; an API key, so the key check is measured) — one process — against the peer under
 * uvicorn + uvloop, one worker. Both are loaded by wrk (1 thread, 32 connections) with the peer's
 * own `post_json.lua`, so both get the same bytes; per endpoint a 3 s warm-up each, then ROUNDS
 * measured runs alternating peer and service (10 s each, 5 s with BENCH_QUICK=1), and the median
 * of each. The machine may be shared: the load average is printed around every run, and the
 * service's CPU per request (from /proc) is printed as the figure that does not depend on it.
 *
 * The peer lives outside the repository: HFQ_FASTAPI_PEER_DIR, default <repo>/../shared/peers/fastapi
 * (README there: Debian's python3-fastapi, python3-uvicorn, python3-uvloop, python3-httptools,
 * python3-numpy, python3-scipy and wrk). Without the peer or wrk the section measures the service
 * alone (autocannon) and says so. Runs alone: `npx tsx math-service/bench/service.bench.ts`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { buildIfStale } from '../../scripts/buildMathService.mjs';
import { median, printFigure } from './report';

const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(serviceDir, '..');
const API_KEY = 'bench-key-0123456789abcdef0123';
const CONNECTIONS = 32;
const PEER_DIR = process.env.HFQ_FASTAPI_PEER_DIR || resolve(repoRoot, '..', 'shared', 'peers', 'fastapi');
const PYTHON = process.env.HFQ_PEER_PYTHON || '/usr/bin/python3';

interface Server {
	name: string;
	url: string;
	/** CPU time (user + system) the server process has used so far, ms; null off Linux. */
	cpuMs(): number | null;
	stop(): Promise<void>;
}

interface Run {
	rps: number;
	p50Ms: number;
	p99Ms: number;
	requests: number;
	non2xx: number;
	errors: number;
	/** Server CPU µs per request during the run, when known. */
	cpuUsPerRequest: number | null;
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

const loadAverage = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const s = createServer();
		s.once('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => res(port));
		});
	});
}

function stopper(child: ChildProcess, cleanup = () => {}) {
	return async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
		cleanup();
	};
}

async function startService(): Promise<Server> {
	await buildIfStale((line) => console.log(line));
	const dataDir = mkdtempSync(join(tmpdir(), 'hfq-bench-'));
	const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
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
	return { name: 'Hono service (node dist/main.js, 1 process)', url, cpuMs: () => processCpuMs(child.pid!), stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })) };
}

async function startPeer(): Promise<Server> {
	const port = await freePort();
	const child = spawn(PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--workers', '1', '--no-access-log', '--loop', 'uvloop', '--http', 'httptools', '--log-level', 'warning'], {
		cwd: PEER_DIR,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the FastAPI peer exited with ${child.exitCode}`);
		if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
		if (Date.now() > deadline) throw new Error('the FastAPI peer did not answer /health within 30 s');
		await new Promise((r) => setTimeout(r, 100));
	}
	return { name: 'FastAPI peer (uvicorn + uvloop, 1 worker)', url, cpuMs: () => processCpuMs(child.pid!), stop: stopper(child) };
}

/** One wrk run with the peer's post_json.lua; parses its RESULT line. */
function wrk(server: Server, path: string, durationS: number): Run {
	const cpu0 = server.cpuMs();
	const args = ['-t1', `-c${CONNECTIONS}`, `-d${durationS}s`, '--latency', '-H', `X-API-Key: ${API_KEY}`, '-s', join(PEER_DIR, 'post_json.lua'), `${server.url}${path}`];
	if (path.endsWith('/var')) args.push('--', 'var', '1000', '0.95');
	const r = spawnSync('wrk', args, { encoding: 'utf8' });
	const cpu1 = server.cpuMs();
	const line = /^RESULT (.*)$/m.exec(r.stdout ?? '')?.[1];
	if (!line) throw new Error(`wrk gave no RESULT line: ${r.stdout}${r.stderr}`);
	const f = Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string]));
	const requests = Number(f.requests);
	return {
		rps: Number(f.rps),
		p50Ms: Number(f.p50_ms),
		p99Ms: Number(f.p99_ms),
		requests,
		non2xx: Number(f.non2xx),
		errors: Number(f.connect_err) + Number(f.read_err) + Number(f.write_err) + Number(f.timeouts),
		cpuUsPerRequest: cpu0 !== null && cpu1 !== null && requests > 0 ? ((cpu1 - cpu0) * 1000) / requests : null,
	};
}

function describeRun(server: Server, r: Run, load: string): string {
	const cpu = r.cpuUsPerRequest === null ? '' : `, ${r.cpuUsPerRequest.toFixed(1)} µs CPU/request`;
	return `    ${server.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  (non-2xx ${r.non2xx}, errors ${r.errors}${cpu}; load ${load})`;
}

interface Endpoint {
	label: string;
	path: string;
	minRatio: number;
	/** p99 target for the service: an absolute bound (ms) or a fraction of the peer's p99. */
	p99: { belowMs: number } | { peerFraction: number };
}

const ENDPOINTS: Endpoint[] = [
	{ label: 'POST /v1/kelly', path: '/v1/kelly', minRatio: 3.5, p99: { belowMs: 5 } },
	{ label: 'POST /v1/var (1,000 returns, historical)', path: '/v1/var', minRatio: 10, p99: { peerFraction: 1 / 5 } },
];

async function sideBySide(service: Server, peer: Server): Promise<void> {
	const quick = process.env.BENCH_QUICK === '1';
	const durationS = quick ? 5 : 10;
	const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
	console.log(`Side by side on loopback: wrk -t1 -c${CONNECTIONS}, ${durationS} s per run, ${rounds} round(s) alternating peer and service, same request bytes (${join('peers', 'fastapi', 'post_json.lua')}); node ${process.version}`);
	for (const ep of ENDPOINTS) {
		const check = await fetch(`${service.url}${ep.path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: ep.path.endsWith('kelly') ? '{"win_rate":0.55,"avg_win":1.8,"avg_loss":1.0,"fraction":0.25}' : '{"returns":[0.01,-0.02],"confidence":0.95}' });
		if (check.status !== 200) throw new Error(`${ep.path} answered ${check.status}: ${await check.text()}`);
		console.log(`${ep.label}:`);
		wrk(peer, ep.path, 3);
		wrk(service, ep.path, 3);
		const peerRuns: Run[] = [];
		const serviceRuns: Run[] = [];
		for (let i = 0; i < rounds; i++) {
			let load = loadAverage();
			const p = wrk(peer, ep.path, durationS);
			console.log(describeRun(peer, p, load));
			load = loadAverage();
			const s = wrk(service, ep.path, durationS);
			console.log(describeRun(service, s, load));
			peerRuns.push(p);
			serviceRuns.push(s);
		}
		const peerRps = median(peerRuns.map((r) => r.rps));
		const serviceRps = median(serviceRuns.map((r) => r.rps));
		const peerP99 = median(peerRuns.map((r) => r.p99Ms));
		const serviceP99 = median(serviceRuns.map((r) => r.p99Ms));
		printFigure({ label: 'peer requests/s (median)', value: peerRps, unit: 'req/s', digits: 0 });
		printFigure({ label: 'service requests/s (median)', value: serviceRps, unit: 'req/s', digits: 0 });
		printFigure({ label: 'service / peer requests/s', value: serviceRps / peerRps, unit: '×', target: { kind: 'atLeast', value: ep.minRatio } });
		printFigure({ label: 'peer latency p99 (median)', value: peerP99, unit: 'ms' });
		const p99Target = 'belowMs' in ep.p99 ? ep.p99.belowMs : peerP99 * ep.p99.peerFraction;
		// "≤ peer / 5" is printed as "< target" with the bound itself; equal counts as a miss only at the exact value.
		printFigure({ label: `service latency p99 (median)${'belowMs' in ep.p99 ? '' : ', target = peer p99 / 5'}`, value: serviceP99, unit: 'ms', target: { kind: 'below', value: p99Target } });
		const cpu = serviceRuns.map((r) => r.cpuUsPerRequest).filter((x): x is number => x !== null);
		const peerCpu = peerRuns.map((r) => r.cpuUsPerRequest).filter((x): x is number => x !== null);
		if (cpu.length > 0) printFigure({ label: 'service CPU per request (median)', value: median(cpu), unit: 'µs', digits: 1 });
		// What a request costs each side, whatever share of the cores it got: the ratio a quiet machine would show.
		if (cpu.length > 0 && peerCpu.length > 0) {
			printFigure({ label: 'peer CPU per request (median)', value: median(peerCpu), unit: 'µs', digits: 1 });
			printFigure({ label: 'peer / service CPU per request', value: median(peerCpu) / median(cpu), unit: '×' });
		}
	}
}

/** Without wrk or the peer: the service alone under autocannon (no ratio can be printed). */
async function serviceAlone(service: Server): Promise<void> {
	const quick = process.env.BENCH_QUICK === '1';
	const bodies: Record<string, string> = {
		'/v1/kelly': JSON.stringify({ win_rate: 0.55, avg_win: 1.8, avg_loss: 1, fraction: 0.25 }),
		'/v1/var': JSON.stringify({ returns: Array.from({ length: 1000 }, (_, i) => Number((Math.sin(i * 1.7) / 50).toFixed(6))), confidence: 0.95 }),
	};
	for (const ep of ENDPOINTS) {
		const opts = { url: `${service.url}${ep.path}`, method: 'POST' as const, connections: CONNECTIONS, headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: bodies[ep.path]! };
		await autocannon({ ...opts, duration: 3 });
		const load = loadAverage();
		const r = await autocannon({ ...opts, duration: quick ? 5 : 10 });
		console.log(`${ep.label} (autocannon, load ${load}): ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
	}
}

export async function runServiceBench(): Promise<void> {
	const haveWrk = spawnSync('wrk', ['--version']).error === undefined;
	const havePeer = existsSync(join(PEER_DIR, 'app.py')) && existsSync(PYTHON);
	const service = await startService();
	try {
		if (!haveWrk || !havePeer) {
			console.log(`No side-by-side comparison: ${!haveWrk ? 'wrk is not installed' : `no FastAPI peer at ${PEER_DIR} (set HFQ_FASTAPI_PEER_DIR)`}; the service alone:`);
			await serviceAlone(service);
			return;
		}
		const peer = await startPeer();
		try {
			await sideBySide(service, peer);
		} finally {
			await peer.stop();
		}
	} finally {
		await service.stop();
	}
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void runServiceBench();
