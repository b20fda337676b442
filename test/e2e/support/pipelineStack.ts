// The whole pipeline as real processes, for the end-to-end test and the latency benchmark:
//   nodes built (npm run build, when dist/ is older than the sources) → a throw-away MariaDB database hfq_e2e_<random> → the math service
//   as a real process (the compiled math-service/dist/main.js, PAPER, API key on) → loopback fakes of the
//   Telegram Bot API and Ollama → a real n8n (a tested release, default the current one) with this
//   package installed like a user install,
//   workflows/tradingview-signal.json and workflows/telegram-buttons.json imported (credentials by
//   name, pointing at the service and at the Telegram fake) and published.
// One start per test file (n8n alone takes 20-80 s); `stop()` tears everything down and drops the
// database. `timings` says where the start-up time went.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { prepareWorkflows, type PreparedWorkflows } from '../../../scripts/start/n8nWorkflows.mjs';
import { openStorage, type Storage } from '../../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../../../math-service/src/storage/testDatabases';
import { startFakeOllama, startFakeTelegram, type FakeOllama, type FakeTelegram } from '../../fakes';
import { startN8n, type N8nInstance } from '../../support/n8nHarness';
import { BOT_TOKEN, buildNodes, CHAT_ID, ROOT, stackDiagnostics, stackTeardown, startStackService, webhookUrlOf } from './stackParts';

export { BOT_TOKEN, CHAT_ID, freePort, ROOT } from './stackParts';
export const SIGNAL_WORKFLOW = join(ROOT, 'workflows', 'tradingview-signal.json');
export const BUTTONS_WORKFLOW = join(ROOT, 'workflows', 'telegram-buttons.json');

export interface PipelineStack {
	secret: string;
	/** The Telegram webhook secret token in the bot credential; button presses must carry it. */
	buttonsSecretToken: string;
	apiKey: string;
	serviceUrl: string;
	/** Process id of the math service (the benchmarks read its CPU time). */
	servicePid: number | undefined;
	/** Production webhook URL of the TradingView signal workflow (on the first `n8n webhook` process when there are any). */
	signalWebhookUrl: string;
	/** Production webhook URL of the Telegram button workflow. */
	buttonsWebhookUrl: string;
	n8n: N8nInstance;
	telegram: FakeTelegram;
	ollama: FakeOllama;
	/** Read access to the service's database (the service owns the writes). */
	storage: Storage;
	databaseUrl: string;
	prepared: PreparedWorkflows;
	serviceLog: string[];
	timings: Record<string, number>;
	/** Everything useful when a case fails: service log tail, n8n's latest executions, n8n log tail. */
	diagnostics(): string;
	stop(): Promise<void>;
}

export interface StackOptions {
	/** Run `npm run build` first: always (true), never (false), or only when dist/ is older than the sources (default). */
	build?: boolean | 'if-stale';
	/** Extra environment of the math service. */
	serviceEnv?: Record<string, string>;
	/** n8n release (default: the current one). */
	n8nVersion?: string;
	/** Extra environment of n8n (e.g. queue mode settings). */
	n8nEnv?: Record<string, string>;
	/** Queue mode: `n8n worker` processes beside main (with n8nEnv EXECUTIONS_MODE=queue, Redis, Postgres). */
	n8nWorkers?: number;
	/** Executions one queue-mode worker runs at a time (`n8n worker --concurrency`; n8n's default 10). */
	n8nWorkerConcurrency?: number;
	/** Queue mode: `n8n webhook` processes answering the production webhooks (with N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true in n8nEnv); the stack's webhook URLs then point at the first. */
	n8nWebhookProcesses?: number;
	log?: (line: string) => void;
}

export async function startPipelineStack(opts: StackOptions = {}): Promise<PipelineStack> {
	const log = opts.log ?? (() => {});
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	const teardown = stackTeardown(log);
	try {
		buildNodes(timings, opts.build);
		let t = Date.now();
		const db: TestDatabase = await createMysqlTestDatabase('hfq_e2e');
		teardown.push(() => db.drop());
		const telegram = await startFakeTelegram({ tokens: [BOT_TOKEN] });
		teardown.push(() => telegram.close());
		const ollama = await startFakeOllama();
		ollama.setDefault({ json: { fractional_kelly: 1 / 24, rationale: 'p = 0.5, b = 1.5: f* = 1/6, a quarter of it is 4.17 % of equity.' } });
		teardown.push(() => ollama.close());

		const buttonsSecretToken = `tg_${randomBytes(16).toString('hex')}`;
		const service = await startStackService({
			databaseUrl: db.url,
			apiKeyPrefix: 'e2e',
			log,
			env: { OLLAMA_HOST: ollama.url, OLLAMA_MODEL: 'glm-5:cloud', OLLAMA_TIMEOUT_MS: '3000', ...opts.serviceEnv },
		});
		teardown.push(() => service.stop());
		timings.serviceMs = Date.now() - t;
		const storage = await openStorage(db.url, { migrate: false });
		teardown.push(() => storage.close());

		t = Date.now();
		const prepared = prepareWorkflows({
			files: [SIGNAL_WORKFLOW, BUTTONS_WORKFLOW],
			mathUrl: service.url,
			mathApiKey: service.apiKey,
			telegram: { token: BOT_TOKEN, chatId: CHAT_ID, baseUrl: telegram.url, webhookSecretToken: buttonsSecretToken },
		});
		const n8n = await startN8n({
			version: opts.n8nVersion,
			workflows: prepared.workflows.map((w) => w.workflow),
			credentials: prepared.credentials,
			env: opts.n8nEnv,
			workers: opts.n8nWorkers,
			workerConcurrency: opts.n8nWorkerConcurrency,
			webhookProcesses: opts.n8nWebhookProcesses,
			readyTimeoutMs: 300_000,
		});
		teardown.push(() => n8n.stop());
		timings.n8nMs = Date.now() - t;
		Object.assign(timings, Object.fromEntries(Object.entries(n8n.timings).map(([k, v]) => [`n8n.${k}`, v])));
		timings.totalMs = Date.now() - t0;

		return {
			secret: service.secret,
			buttonsSecretToken,
			apiKey: service.apiKey,
			serviceUrl: service.url,
			servicePid: service.pid(),
			signalWebhookUrl: webhookUrlOf(prepared, n8n, prepared.workflows[0]!.workflow.id, opts.n8nWebhookProcesses ? 0 : null),
			buttonsWebhookUrl: webhookUrlOf(prepared, n8n, prepared.workflows[1]!.workflow.id, opts.n8nWebhookProcesses ? 0 : null),
			n8n,
			telegram,
			ollama,
			storage,
			databaseUrl: db.url,
			prepared,
			serviceLog: service.log,
			timings,
			diagnostics: () => stackDiagnostics(n8n, service.log, { serviceLines: 30, executions: 5, n8nLines: 60 }),
			stop: teardown.stop,
		};
	} catch (error) {
		await teardown.stop();
		throw error;
	}
}

/** Calls the math service's HTTP API with the stack's API key. */
export async function serviceApi(stack: Pick<PipelineStack, 'serviceUrl' | 'apiKey'>, method: string, path: string, body?: unknown) {
	const res = await fetch(`${stack.serviceUrl}${path}`, {
		method,
		headers: { 'x-api-key': stack.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json: any = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = text;
	}
	return { status: res.status, body: json };
}

/** Row counts of the pipeline tables. */
export async function tableCounts(storage: Storage) {
	const n = async (table: 'signals' | 'decisions' | 'paperPositions' | 'tradeLog' | 'callbackEvents') =>
		Number((await storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
	return { signals: await n('signals'), decisions: await n('decisions'), positions: await n('paperPositions'), trades: await n('tradeLog'), callbacks: await n('callbackEvents') };
}
