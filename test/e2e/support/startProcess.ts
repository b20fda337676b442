// Runs `node scripts/start.mjs` (what `npm start` runs) as a child process for the start test:
// collects its output, waits for the printed summary, parses the URLs and the sample-alert command
// out of it, and stops it with a signal like Ctrl-C does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../../fakes';

export interface StartSummary {
	editorUrl: string;
	webhookUrl: string;
	serviceUrl: string;
	sampleCommand: string;
}

export interface StartProcess {
	child: ChildProcess;
	output(): string;
	/** Resolves with the parsed summary once "Send a sample alert" is printed; rejects if the process exits first. */
	ready(timeoutMs: number): Promise<StartSummary>;
	/** Resolves with the exit code/signal once the process exits by itself. */
	exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Sends `signal` and resolves with the exit code/signal. */
	stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const field = (text: string, label: string) => {
	const match = new RegExp(`^\\s*${label}:\\s+(\\S+)`, 'm').exec(text);
	if (!match) throw new Error(`start output has no "${label}:" line:\n${text}`);
	return match[1];
};

export function runStart(root: string, env: Record<string, string | undefined>): StartProcess {
	const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
	child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
	child.on('exit', (code, signal) => (exit = { code, signal }));
	return {
		child,
		output: () => out,
		async ready(timeoutMs) {
			try {
				await waitFor(
					() => {
						if (exit) throw new Error(`scripts/start.mjs exited (${JSON.stringify(exit)}) before it was ready`);
						return /Send a sample alert[^\n]*\n\s+T=[^\n]*?; curl [^\n]+\n/.test(out) || undefined;
					},
					{ timeoutMs, intervalMs: 100, what: 'scripts/start.mjs to print its summary' },
				);
			} catch (error) {
				throw new Error(`${(error as Error).message}\n--- output ---\n${out}`);
			}
			const sampleCommand = /Send a sample alert[^\n]*\n\s+(T=[^\n]*?; curl [^\n]+)\n/.exec(out)![1];
			return { editorUrl: field(out, 'n8n editor'), webhookUrl: field(out, 'webhook URL'), serviceUrl: field(out, 'math service'), sampleCommand };
		},
		exited(timeoutMs) {
			return waitFor(() => exit ?? undefined, { timeoutMs, what: 'scripts/start.mjs to exit' });
		},
		async stop(signal = 'SIGINT', timeoutMs = 30_000) {
			if (!exit) child.kill(signal);
			return waitFor(() => exit ?? undefined, { timeoutMs, what: `scripts/start.mjs to exit after ${signal}` });
		},
	};
}
