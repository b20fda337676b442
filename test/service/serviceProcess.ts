// The math service as a real operating-system process, started the way `npm run service` runs it
// (one node process executing the compiled bundle math-service/dist/main.js, which `npm test`
// builds first), on a free port. Its
// stdout and stderr are kept whole, so tests can read every line the service printed.
// `serviceCommand()` is the only place that says how the service is started.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');

/** The command that runs the service. */
export function serviceCommand(): { command: string; args: string[] } {
	const bundle = join(REPO_ROOT, 'math-service', 'dist', 'main.js');
	if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build:service (npm test builds it)`);
	return { command: process.execPath, args: [bundle] };
}

export interface ServiceProcess {
	/** http://127.0.0.1:<port> */
	url: string;
	child: ChildProcess;
	/** Everything printed so far, stdout and stderr interleaved as received. */
	output(): string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
	stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** SIGKILL: the process dies at once, as in a power cut or an OOM kill. */
	kill(): Promise<void>;
}

/** Starts the service with `env` (plus a free port on 127.0.0.1) and waits for its "listening on" line. */
export async function spawnService(env: Record<string, string>, startTimeoutMs = 120_000): Promise<ServiceProcess> {
	const { command, args } = serviceCommand();
	const child = spawn(command, args, {
		cwd: REPO_ROOT,
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', HFQ_INTAKE_BURST: '0', ...env }, // one loopback client streams every alert: no per-address rate limit
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('close', (code, signal) => res({ code, signal })));
	let gone = false;
	void exited.then(() => (gone = true));

	const deadline = Date.now() + startTimeoutMs;
	let url: string | null = null;
	while (url === null) {
		const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
		if (m) url = m[1]!;
		else if (gone) throw new Error(`the service exited during start-up:\n${out}`);
		else if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the service did not start within ${startTimeoutMs / 1000} s:\n${out}`);
		} else await new Promise((r) => setTimeout(r, 50));
	}
	return {
		url,
		child,
		output: () => out,
		exited,
		async stop(graceMs = 20_000) {
			if (!gone) child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			const result = await exited;
			clearTimeout(timer);
			return result;
		},
		async kill() {
			if (!gone) child.kill('SIGKILL');
			await exited;
		},
	};
}
