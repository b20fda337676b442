// The parts every end-to-end stack (pipeline, heartbeat, LIVE) shares, so each stack file says only
// what is its own: the teardown list (run in reverse, each step's failure logged, never thrown), the
// build when dist/ is older than the sources, the math service as a real process (the compiled
// main.js) on a free loopback port with its log kept and its base settings (API key, database,
// TradingView secret) set, the production URL of an imported workflow's webhook, and the
// diagnostics a failing case prints (service log tail, n8n's latest executions, n8n log tail).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startMathService, type MathServiceProcess } from '../../../scripts/start/mathService.mjs';
import type { PreparedWorkflows } from '../../../scripts/start/n8nWorkflows.mjs';
import { staleReason } from '../../../scripts/start/buildIfStale.mjs';
import { webhooksOf } from '../../../scripts/n8n/n8nInstance.mjs';
import { REPO_ROOT } from '../../../scripts/n8n/installPackage.mjs';
import type { N8nInstance } from '../../support/n8nHarness';

/** The repository root (from an .mjs module: `__dirname` is not defined when tsx loads this file as ESM, e.g. from the bench). */
export const ROOT = REPO_ROOT;
export const BOT_TOKEN = '7123456789:AAE2eTestTokenForTheFakeBotApi_0123';
export const CHAT_ID = '-1001234567890';

/** A free loopback TCP port (the OS picks it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export interface StackTeardown {
	/** Adds a step; steps run in reverse order of adding. */
	push(step: () => Promise<unknown>): void;
	/** Runs every step once (a failing step is logged, the others still run). */
	stop(): Promise<void>;
}

export function stackTeardown(log: (line: string) => void): StackTeardown {
	const steps: (() => Promise<unknown>)[] = [];
	return {
		push: (step) => void steps.push(step),
		async stop() {
			for (const step of steps.reverse()) await step().catch((e: unknown) => log(`cleanup failed: ${String(e)}`));
			steps.length = 0;
		},
	};
}

/** `npm run build` always (true), never (false), or when dist/ is older than the sources; its time lands in `timings.buildMs`. */
export function buildNodes(timings: Record<string, number>, build: boolean | 'if-stale' = 'if-stale'): void {
	if (build === false || (build === 'if-stale' && staleReason(ROOT) === null)) return;
	const t = Date.now();
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
	timings.buildMs = Date.now() - t;
}

export interface StackService {
	url: string;
	apiKey: string;
	/** The TradingView webhook secret the service checks. */
	secret: string;
	/** Every log line the service wrote, across restarts. */
	log: string[];
	pid(): number | undefined;
	/** SIGKILL (n8n and the fakes keep running). */
	kill(): Promise<void>;
	/** Stops the service if it runs, then starts it on the same port and database; `changes` change its settings (undefined removes one). */
	restart(changes?: Record<string, string | undefined>): Promise<void>;
	stop(): Promise<void>;
}

/**
 * The math service as a real process on a free port: API key and TradingView secret generated
 * (`apiKeyPrefix-<random>`), `databaseUrl` as its database, `env` on top of the base settings.
 */
export async function startStackService(o: { databaseUrl: string; apiKeyPrefix: string; env?: Record<string, string | undefined>; log: (line: string) => void }): Promise<StackService> {
	const apiKey = `${o.apiKeyPrefix}-${randomBytes(16).toString('hex')}`;
	const secret = `tv-${randomBytes(16).toString('hex')}`;
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const lines: string[] = [];
	let env: Record<string, string | undefined> = {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		MATH_SERVICE_HOST: '127.0.0.1',
		MATH_SERVICE_PORT: String(port),
		MATH_SERVICE_API_KEY: apiKey,
		DATABASE_URL: o.databaseUrl,
		HFQ_MODE: 'PAPER',
		TRADINGVIEW_WEBHOOK_SECRET: secret,
		...o.env,
	};
	let process_: MathServiceProcess | null = null;
	const start = async () => {
		process_ = await startMathService({
			root: ROOT,
			url,
			log: (line) => {
				lines.push(line);
				o.log(`[service] ${line}`);
			},
			env,
		});
	};
	await start();
	return {
		url,
		apiKey,
		secret,
		log: lines,
		pid: () => process_?.pid,
		async kill() {
			await process_?.kill();
			process_ = null;
		},
		async restart(changes = {}) {
			await process_?.stop();
			process_ = null;
			env = { ...env, ...changes };
			for (const [k, v] of Object.entries(changes)) if (v === undefined) delete env[k];
			await start();
		},
		async stop() {
			await process_?.stop();
			process_ = null;
		},
	};
}

/** The production URL of the Webhook node of the imported workflow `id`: on n8n main, or on its `n8n webhook` process number `onWebhookProcess`. */
export function webhookUrlOf(prepared: PreparedWorkflows, n8n: N8nInstance, id: string, onWebhookProcess: number | null = null): string {
	const found = prepared.workflows.find((w) => w.workflow.id === id);
	const [hook] = found ? webhooksOf(found.workflow) : [];
	if (!hook) throw new Error(`workflow ${id} has no Webhook node`);
	if (onWebhookProcess === null) return n8n.webhookUrl(hook.path);
	const url = n8n.webhookProcessUrls(hook.path)[onWebhookProcess];
	if (!url) throw new Error(`n8n has no webhook process #${onWebhookProcess + 1}`);
	return url;
}

/** What a failing case prints: the service log's tail, n8n's latest executions (each node's error or status) and n8n's log tail. */
export function stackDiagnostics(n8n: N8nInstance, serviceLog: string[], o: { serviceLines?: number; executions?: number; n8nLines?: number } = {}): string {
	const executions = n8n
		.executions({ limit: o.executions ?? 8 })
		.map((e) => ({ id: e.id, workflow: e.workflowId, status: e.status, last: e.lastNodeExecuted, error: e.error, nodes: Object.fromEntries(Object.entries(e.nodes).map(([k, v]) => [k, v.error ?? v.status])) }));
	return [
		'--- service log (tail) ---',
		...serviceLog.slice(-(o.serviceLines ?? 40)),
		`--- n8n executions (latest ${o.executions ?? 8}) ---`,
		JSON.stringify(executions, null, 1),
		'--- n8n log (tail) ---',
		n8n.logs().split('\n').slice(-(o.n8nLines ?? 40)).join('\n'),
	].join('\n');
}
