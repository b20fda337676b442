/**
 * @module cli/runCli
 * Runs a CLI's main function and turns its outcome into an exit code: 0 on success; 2 for wrong
 * usage (bad or missing arguments, a file that does not exist, input the math rejects), with the
 * message and the usage text on stderr; 1 for anything else (a database down, a bug), with the
 * error message.
 */
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../errors.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './UsageError.js';

export interface CliIo {
	stdout: { write(chunk: string): boolean; isTTY?: boolean };
	stderr: { write(chunk: string): boolean; isTTY?: boolean };
}

export type CliMain = (argv: string[], io: CliIo) => Promise<void>;

export async function runCliMain(main: CliMain, usage: string, argv: string[], io: CliIo): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h')) {
		io.stdout.write(`${usage}\n`);
		return 0;
	}
	try {
		await main(argv, io);
		return 0;
	} catch (error) {
		const err = error as Error & { code?: string };
		if (err instanceof UsageError || err instanceof InvalidInputError) {
			io.stderr.write(`error: ${err.message}\n\n${usage}\n`);
			return EXIT_USAGE;
		}
		io.stderr.write(`error: ${err?.message ?? String(error)}\n`);
		return EXIT_FAILURE;
	}
}

/** Runs `main` with process.argv and exits the process with its code (for the npm scripts). */
export function runAsScript(main: CliMain, usage: string): void {
	runCliMain(main, usage, process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			process.stderr.write(`error: ${String(error)}\n`);
			process.exitCode = EXIT_FAILURE;
		},
	);
}

/**
 * True when the module at `moduleUrl`, named `name` (its file name without extension), is the
 * script node (or tsx) was started with. The name matters in the compiled bundles: every module of
 * math-service/dist/cli/results.js shares that file's URL, and results.ts imports backtest.ts and
 * sweep.ts, whose own checks must then stay false.
 */
export function isMainModule(moduleUrl: string, name: string): boolean {
	const entry = process.argv[1];
	return entry !== undefined && moduleUrl === pathToFileURL(resolve(entry)).href && basename(entry).replace(/\.[cm]?[jt]s$/, '') === name;
}
