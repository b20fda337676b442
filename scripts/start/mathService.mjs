// Starts the math service (the compiled math-service/dist/main.js, one node process; npm start
// builds it first when stale, see scripts/buildMathService.mjs) and waits until GET /health
// answers. Its output (JSON log lines) is forwarded line by line, as level and message. `stop()` sends SIGTERM (main.ts
// finishes in-flight requests, closes the database, exits 0) and SIGKILLs after 15 s; `kill()`
// SIGKILLs at once.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfStale } from '../buildMathService.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function forwardLines(stream, write) {
	let buffer = '';
	stream.on('data', (chunk) => {
		buffer += chunk.toString();
		let nl;
		while ((nl = buffer.indexOf('\n')) !== -1) {
			write(buffer.slice(0, nl));
			buffer = buffer.slice(nl + 1);
		}
	});
	stream.on('end', () => buffer && write(buffer));
}

/** The service logs JSON lines (already redacted); a terminal shows their level and message. */
function readableLogLine(line) {
	try {
		const entry = JSON.parse(line);
		if (entry && typeof entry.msg === 'string') {
			const level = entry.level === 'info' ? '' : `${String(entry.level).toUpperCase()} `;
			return `${level}${entry.msg}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
		}
	} catch {
		// not JSON: show as is
	}
	return line;
}

/**
 * @param {{ root: string, env: Record<string, string>, url: string, log: (line: string) => void, timeoutMs?: number }} o
 */
export async function startMathService({ root, env, url, log, timeoutMs = 60_000 }) {
	await buildIfStale(log);
	const child = spawn(process.execPath, [join(root, 'math-service', 'dist', 'main.js')], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let exited = null;
	const exitListeners = [];
	child.on('exit', (code, signal) => {
		exited = { code, signal };
		for (const fn of exitListeners) fn(exited);
	});
	let lastLines = [];
	const remember = (jsonLine) => {
		const line = readableLogLine(jsonLine);
		lastLines = [...lastLines.slice(-19), line];
		log(line);
	};
	forwardLines(child.stdout, remember);
	forwardLines(child.stderr, remember);

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited) throw new Error(`the math service exited during start-up (code ${exited.code}):\n${lastLines.join('\n')}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the math service did not answer ${url}/health within ${timeoutMs / 1000} s:\n${lastLines.join('\n')}`);
		}
		const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
		if (ok) break;
		await sleep(200);
	}

	return {
		pid: child.pid,
		/** Called once if the service exits by itself (a crash). */
		onExit(fn) {
			if (exited) fn(exited);
			else exitListeners.push(fn);
		},
		/** SIGKILL: the process dies at once (a power cut, an OOM kill); resolves when it is gone. */
		async kill() {
			if (!exited) child.kill('SIGKILL');
			for (let i = 0; i < 100 && !exited; i++) await sleep(50);
			return exited;
		},
		async stop() {
			if (exited) return exited;
			child.kill('SIGTERM');
			for (let i = 0; i < 150 && !exited; i++) await sleep(100);
			if (!exited) {
				child.kill('SIGKILL');
				for (let i = 0; i < 20 && !exited; i++) await sleep(100);
			}
			return exited;
		},
	};
}
