import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from '../../scripts/buildMathService.mjs';

const repoRoot = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'hfq-main-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], env: Record<string, string>): Run {
	const child = spawn(command, args, {
		cwd: repoRoot,
		// Own process group, so the test can signal npm and everything it started, as a terminal's
		// Ctrl-C or `docker stop` on the group does (npm does not relay signals through nested npm runs).
		detached: true,
		env: { ...process.env, MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', HFQ_DATA_DIR: dataDir, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
		// 'close', not 'exit': it fires once every process sharing the stdio pipes (npm and the
		// service itself) has exited and its last log line has been read.
		child.on('close', (code, signal) => res({ code, signal })),
	);
	return { child, stdout: () => out, stderr: () => err, exited };
}

// Production runs the compiled bundle (`node math-service/dist/main.js`), so that is what is tested.
const mainBundle = join(repoRoot, 'math-service/dist/main.js');
beforeAll(() => buildIfStale(), 120_000);

function killGroup(run: Run): void {
	try {
		process.kill(-run.child.pid!, 'SIGKILL');
	} catch {
		// already gone
	}
}

async function waitForUrl(run: Run, timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout());
		if (m) return m[1]!;
		if (run.child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`service did not start:\n${run.stdout()}\n${run.stderr()}`);
}

describe('npm run service', () => {
	it('starts on the configured port, answers /health and stops cleanly on SIGTERM', async () => {
		const run = start('npm', ['run', 'service', '--silent'], { DATABASE_URL: `sqlite:${join(dataDir, 'spawn.db')}` });
		try {
			const url = await waitForUrl(run);
			const res = await fetch(`${url}/health`);
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ status: 'ok', mode: 'PAPER', database: { kind: 'sqlite', reachable: true } });
			process.kill(-run.child.pid!, 'SIGTERM');
			await run.exited;
			// npm itself re-raises the signal; the service's own clean exit is what it logs last.
			expect(run.stdout()).toMatch(/SIGTERM received, finishing in-flight requests"(.|\n)*math-service: stopped/);
			await expect(fetch(`${url}/health`)).rejects.toThrow();
		} finally {
			killGroup(run);
		}
	});

	it('node dist/main.js exits 0 on SIGTERM after finishing an in-flight request', async () => {
		const run = start(process.execPath, [mainBundle], { DATABASE_URL: `sqlite:${join(dataDir, 'direct.db')}` });
		try {
			const url = await waitForUrl(run);
			// The request's headers and first half arrive before SIGTERM, the rest after it.
			const bytes = new TextEncoder().encode(JSON.stringify({ returns: Array.from({ length: 2000 }, (_, i) => Math.sin(i) / 100) }));
			let sendRest!: () => void;
			const stream = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(bytes.subarray(0, bytes.length >> 1));
					sendRest = () => {
						controller.enqueue(bytes.subarray(bytes.length >> 1));
						controller.close();
					};
				},
			});
			const inFlight = fetch(`${url}/v1/var`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: stream,
				duplex: 'half',
			} as RequestInit);
			await new Promise((r) => setTimeout(r, 300));
			run.child.kill('SIGTERM');
			await new Promise((r) => setTimeout(r, 300));
			sendRest();
			const res = await inFlight;
			expect(res.status).toBe(200);
			expect((await res.json()).var).toBeGreaterThan(0);
			const { code } = await run.exited;
			expect(code).toBe(0);
			expect(run.stdout()).toMatch(/math-service: stopped/);
		} finally {
			killGroup(run);
		}
	});

	it('refuses to start with a bad configuration: clear message, non-zero exit', async () => {
		const run = start(process.execPath, [mainBundle], { MATH_SERVICE_PORT: 'eighty' });
		const { code } = await run.exited;
		expect(code).not.toBe(0);
		// One JSON log line: the message's line break is escaped.
		expect(run.stderr()).toMatch(/Invalid math-service configuration:(\\n|\s)+MATH_SERVICE_PORT: must be an integer/);
		expect(run.stderr()).not.toMatch(/\n\s+at /);
	});

	it('refuses a non-loopback host without an API key', async () => {
		const run = start(process.execPath, [mainBundle], { MATH_SERVICE_HOST: '0.0.0.0' });
		const { code } = await run.exited;
		expect(code).toBe(78);
		expect(run.stderr()).toMatch(/MATH_SERVICE_API_KEY: required when MATH_SERVICE_HOST \(0\.0\.0\.0\)/);
	});
});
