#!/usr/bin/env node
// `npm start`: the whole pipeline on this machine, PAPER mode, nothing to configure first.
//
//   1. builds the n8n nodes when dist/ is stale (scripts/start/buildIfStale.mjs) and the math
//      service's bundles when math-service/dist/ is (scripts/buildMathService.mjs);
//   2. keeps state in HFQ_DATA_DIR (default ./data): the math service's SQLite database, the
//      generated TradingView webhook secret, and n8n's user folder (./data/n8n);
//   3. starts the math service (math-service/dist/main.js) on 127.0.0.1:MATH_SERVICE_PORT (8000);
//   4. installs n8n 2.41.1, the current release (with the Node.js 24 it needs, from the npm
//      registry, when the machine's node is older), once into ~/.cache/highfreqquant, installs this package into
//      ./data/n8n/.n8n/nodes like a user install, imports the credentials and the workflows
//      (workflows/tradingview-signal.json, workflows/telegram-buttons.json and the heartbeat:
//      workflows/heartbeat-*.json) unless already there, publishes them and starts n8n on
//      127.0.0.1:N8N_PORT (5678); a data provider without its key is imported disabled;
//   5. prints the editor URL, the production webhook URL, the service URL and docs, per provider
//      (Binance, Glassnode, CryptoPanic, Telegram) configured or not and reachable or not (offline
//      is reported, never a failed start), Ollama, and a one-line curl that sends a sample alert.
// Ctrl-C (SIGINT) or SIGTERM stops n8n (its process group) and the service, then exits 0.
//
// Environment (all optional): HFQ_DATA_DIR, MATH_SERVICE_PORT, MATH_SERVICE_API_KEY, DATABASE_URL,
// HFQ_MODE, N8N_PORT, WEBHOOK_URL (public URL of n8n, e.g. a tunnel TradingView can reach),
// TRADINGVIEW_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN + TELEGRAM_CHAT_ID (+ TELEGRAM_API_BASE_URL,
// TELEGRAM_WEBHOOK_SECRET_TOKEN), GLASSNODE_API_KEY (+ GLASSNODE_BASE_URL), CRYPTOPANIC_API_TOKEN
// (+ CRYPTOPANIC_BASE_URL), BINANCE_BASE_URL / BYBIT_BASE_URL (the service's crawler), OLLAMA_HOST,
// OLLAMA_MODEL, HFQ_CACHE_DIR (where n8n is installed), and the math service's own settings (README). A bad value stops the start with its
// name: start/startSettings.mjs for these, the service's config.ts for its own.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { ensureN8nRuntime, n8nInstallDir, N8N_CURRENT } from './n8n/ensureN8n.mjs';

// The release `npm start` runs: the current one (the end-to-end suite runs on 2.8.4 as well).
const N8N_VERSION = N8N_CURRENT;
import { REPO_ROOT } from './n8n/installPackage.mjs';
import { startN8n, webhooksOf } from './n8n/n8nInstance.mjs';
import { buildIfStale as buildMathServiceIfStale } from './buildMathService.mjs';
import { buildIfStale } from './start/buildIfStale.mjs';
import { startMathService } from './start/mathService.mjs';
import { plan, prepareWorkflows, START_WORKFLOW_FILES, writeState } from './start/n8nWorkflows.mjs';
import { probeOllama, probeProviders } from './start/probes.mjs';
import { sampleAlertCommand } from './start/sampleAlert.mjs';
import { startSettingsProblems } from './start/startSettings.mjs';
import { telegramWebhookSecretToken, webhookSecret } from './start/webhookSecret.mjs';

const WORKFLOW_FILES = START_WORKFLOW_FILES;
const HOST = '127.0.0.1';
const env = process.env;
const blank = (v) => v === undefined || v.trim() === '';
const log = (line) => console.log(`[start] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let service = null;
let n8n = null;
let stopping = false;

async function shutdown(signal, code = 0) {
	if (stopping) return;
	stopping = true;
	log(`${signal}: stopping n8n and the math service …`);
	await Promise.allSettled([n8n?.stop(), service?.stop()]);
	log('stopped.');
	process.exit(code);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

function portFree(port) {
	return new Promise((done) => {
		const server = createServer();
		server.once('error', () => done(false));
		server.listen(port, HOST, () => server.close(() => done(true)));
	});
}

function portOf(name, fallback) {
	if (blank(env[name])) return fallback;
	const n = Number(env[name]);
	if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${env[name]} is not a port number`);
	return n;
}

/** Waits until each production webhook of workflows that were not re-imported is registered again. */
async function waitForWebhooks(baseUrl, workflows, timeoutMs = 60_000) {
	const hooks = workflows.flatMap((wf) => webhooksOf(wf));
	const deadline = Date.now() + timeoutMs;
	for (const { method, path } of hooks) {
		const probe = method === 'DELETE' ? 'PATCH' : 'DELETE';
		for (;;) {
			const text = await fetch(`${baseUrl}/webhook/${path}`, { method: probe, signal: AbortSignal.timeout(2000) }).then(
				async (r) => (r.status === 404 ? await r.text() : 'registered'),
				() => '',
			);
			if (text === 'registered' || /not registered for/i.test(text)) break;
			if (Date.now() > deadline) throw new Error(`n8n did not register the webhook ${method} /webhook/${path}; see ${join(n8n.userFolder, 'n8n.log')}`);
			await sleep(250);
		}
	}
}

async function main() {
	const problems = startSettingsProblems(env);
	if (problems.length > 0) throw new Error(`invalid settings:\n  ${problems.join('\n  ')}`);
	const dataDir = resolve(env.HFQ_DATA_DIR || join(REPO_ROOT, 'data'));
	mkdirSync(dataDir, { recursive: true });
	const servicePort = portOf('MATH_SERVICE_PORT', 8000);
	const n8nPort = portOf('N8N_PORT', 5678);
	for (const [name, port] of [['MATH_SERVICE_PORT', servicePort], ['N8N_PORT', n8nPort]]) {
		if (!(await portFree(port))) throw new Error(`port ${port} on ${HOST} is in use (is \`npm start\` already running?); set ${name} to another port`);
	}
	// HFQ_START_WORKFLOWS (comma-separated paths) replaces the shipped pair; for development and tests.
	const workflowFiles = (blank(env.HFQ_START_WORKFLOWS) ? WORKFLOW_FILES : env.HFQ_START_WORKFLOWS.split(',')).map((f) => resolve(REPO_ROOT, f.trim()));
	const missingWorkflows = workflowFiles.filter((f) => !existsSync(f));
	if (missingWorkflows.length) throw new Error(`missing workflow file(s): ${missingWorkflows.join(', ')}`);

	log(`HighFreqQuant: data in ${dataDir}`);
	log(`n8n nodes: ${buildIfStale(REPO_ROOT, log)}`);
	log(`math service: ${await buildMathServiceIfStale(log)}`);

	const secret = webhookSecret(dataDir, env);
	if (secret.source === 'generated') log(`generated a TradingView webhook secret in ${secret.file}`);
	const buttonsToken = telegramWebhookSecretToken(dataDir, env);
	if (buttonsToken.source === 'generated') log(`generated a Telegram webhook secret token in ${buttonsToken.file}`);

	const serviceUrl = `http://${HOST}:${servicePort}`;
	const ollamaHost = blank(env.OLLAMA_HOST) ? '' : env.OLLAMA_HOST.trim();
	const ollamaModel = blank(env.OLLAMA_MODEL) ? 'glm-5:cloud' : env.OLLAMA_MODEL.trim();
	const serviceEnv = {
		...env,
		MATH_SERVICE_HOST: HOST,
		MATH_SERVICE_PORT: String(servicePort),
		HFQ_DATA_DIR: dataDir,
		HFQ_MODE: blank(env.HFQ_MODE) ? 'PAPER' : env.HFQ_MODE,
		TRADINGVIEW_WEBHOOK_SECRET: secret.secret,
		OLLAMA_HOST: ollamaHost,
		OLLAMA_MODEL: ollamaModel,
	};
	log(`starting the math service on ${serviceUrl} …`);
	service = await startMathService({ root: REPO_ROOT, env: serviceEnv, url: serviceUrl, log: (line) => console.log(`[service] ${line}`) });
	service.onExit(({ code, signal }) => {
		if (!stopping) {
			console.error(`[start] the math service exited unexpectedly (code ${code}, signal ${signal})`);
			void shutdown('service exit', 1);
		}
	});

	if (!existsSync(join(n8nInstallDir(env, N8N_VERSION), '.hfq-installed'))) {
		log(`first run: installing n8n ${N8N_VERSION} into ${n8nInstallDir(env, N8N_VERSION)} (one time: several minutes, up to ~15 when sqlite3 has to be compiled) …`);
	}
	const runtime = await ensureN8nRuntime({ version: N8N_VERSION, log });
	if (stopping) return;

	const telegramToken = env.TELEGRAM_BOT_TOKEN?.trim() ?? '';
	const telegramChat = env.TELEGRAM_CHAT_ID?.trim() ?? '';
	const telegram =
		telegramToken && telegramChat
			? {
					token: telegramToken,
					chatId: telegramChat,
					baseUrl: blank(env.TELEGRAM_API_BASE_URL) ? 'https://api.telegram.org' : env.TELEGRAM_API_BASE_URL.trim(),
					webhookSecretToken: buttonsToken.secret,
				}
			: null;
	const glassnode = blank(env.GLASSNODE_API_KEY)
		? null
		: { apiKey: env.GLASSNODE_API_KEY.trim(), baseUrl: blank(env.GLASSNODE_BASE_URL) ? 'https://api.glassnode.com' : env.GLASSNODE_BASE_URL.trim().replace(/\/+$/, '') };
	const cryptoPanic = blank(env.CRYPTOPANIC_API_TOKEN)
		? null
		: { authToken: env.CRYPTOPANIC_API_TOKEN.trim(), baseUrl: blank(env.CRYPTOPANIC_BASE_URL) ? 'https://cryptopanic.com/api/developer/v2' : env.CRYPTOPANIC_BASE_URL.trim().replace(/\/+$/, '') };
	const userFolder = join(dataDir, 'n8n');
	mkdirSync(userFolder, { recursive: true });
	const prepared = prepareWorkflows({ files: workflowFiles, mathUrl: serviceUrl, mathApiKey: env.MATH_SERVICE_API_KEY ?? '', telegram, glassnode, cryptoPanic });
	const todo = plan(userFolder, prepared);
	for (const w of todo.toImport) log(`n8n: importing and publishing ${w.workflow.name} (${relative(REPO_ROOT, w.file)})`);
	for (const w of todo.kept) log(`n8n: ${w.workflow.name} already imported (kept as it is in n8n)`);
	log(`starting n8n ${N8N_VERSION} on http://${HOST}:${n8nPort} (20-60 s) …`);
	n8n = await startN8n({
		version: N8N_VERSION,
		n8nBin: runtime.bin,
		nodeBinary: runtime.node,
		userFolder,
		port: n8nPort,
		workflows: todo.toImport.map((w) => w.workflow),
		credentials: todo.credentialsChanged ? prepared.credentials : [],
		env: blank(env.WEBHOOK_URL) ? {} : { WEBHOOK_URL: env.WEBHOOK_URL.trim() },
		readyTimeoutMs: 300_000, // a slow or busy machine needs well over a minute
	});
	writeState(userFolder, todo.next);
	await waitForWebhooks(n8n.baseUrl, todo.kept.map((w) => w.workflow));
	if (stopping) return;

	const [ollama, providers] = await Promise.all([
		probeOllama(ollamaHost, ollamaModel),
		probeProviders({ binanceBaseUrl: binanceRestRoot(env.BINANCE_BASE_URL), glassnode, cryptoPanic, telegram }),
	]);
	const publicBase = blank(env.WEBHOOK_URL) ? `${n8n.baseUrl}/` : env.WEBHOOK_URL.trim().replace(/\/*$/, '/');
	const signalWorkflow = prepared.workflows[0].workflow;
	const [hook] = webhooksOf(signalWorkflow);
	const webhookUrl = `${publicBase}webhook/${hook.path}`;
	const localWebhookUrl = n8n.webhookUrl(hook.path);
	const buttonsHook = prepared.workflows[1] ? webhooksOf(prepared.workflows[1].workflow)[0] : undefined;
	const buttonsUrl = buttonsHook ? `${publicBase}webhook/${buttonsHook.path}` : null;
	const publicHttps = publicBase.startsWith('https://');
	const lines = [
		'',
		`HighFreqQuant is running (mode ${serviceEnv.HFQ_MODE}, n8n ready in ${Math.round(n8n.timings.totalMs / 1000)} s). Ctrl-C stops everything.`,
		`  n8n editor:         ${n8n.baseUrl}/  (first visit: create the owner account)`,
		`  webhook URL:        ${webhookUrl}  (TradingView alert → Webhook URL)`,
		`  webhook secret:     ${secret.source === 'environment' ? 'from TRADINGVIEW_WEBHOOK_SECRET' : secret.file}`,
		`  math service:       ${serviceUrl}  (API docs ${serviceUrl}/docs)`,
		`  decisions:          ${serviceUrl}/v1/decisions`,
		`  logs:               n8n ${n8n.logFile}`,
		'',
		telegram
			? `  Telegram:           configured (chat ${telegram.chatId}); cards go to ${telegram.baseUrl}` +
				(buttonsUrl
					? `\n  Telegram buttons:   ${buttonsUrl}${publicHttps ? '' : ' (Telegram can only call a public HTTPS URL: set WEBHOOK_URL, e.g. a tunnel)'}; point the bot there once with the Set Webhook operation of the HighFreqQuant Telegram node (it registers the secret token ${buttonsToken.source === 'environment' ? 'from TELEGRAM_WEBHOOK_SECRET_TOKEN' : `in ${buttonsToken.file}`}; presses without it are refused)`
					: '')
			: `  Telegram not configured: decisions are stored and visible at ${serviceUrl}/v1/decisions (set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID for signal cards)`,
		'Heartbeat data providers (the workflows of a provider that is not configured are imported disabled):',
		...providers.map((p) =>
			p.configured
				? `  ${`${p.name}:`.padEnd(20)}configured, ${p.reachable ? `reachable (${p.detail})` : `NOT reachable (${p.detail}); its runs fail until it answers, the rest keeps running`}`
				: `  ${`${p.name}:`.padEnd(20)}not configured (set ${PROVIDER_SETTINGS[p.name]})`,
		),
		'',
		ollama.configured
			? `  Ollama:             ${ollama.reachable ? `reachable at ${ollama.host}, ${ollama.detail}` : `NOT reachable at ${ollama.host} (${ollama.detail}); the receipt says so, sizes are unaffected`}`
			: '  Ollama not configured (OLLAMA_HOST unset): no LLM cross-check note; sizes are unaffected (the math decides)',
		'',
		'Send a sample alert (BTC long, R/R 1.67, fresh timestamp):',
		`  ${sampleAlertCommand(localWebhookUrl, secret.secret)}`,
		'',
	];
	console.log(lines.join('\n'));
	watchN8n(n8n.baseUrl);
}

const PROVIDER_SETTINGS = {
	Binance: 'BINANCE_BASE_URL',
	Glassnode: 'GLASSNODE_API_KEY',
	CryptoPanic: 'CRYPTOPANIC_API_TOKEN',
	Telegram: 'TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID',
};

/** Binance's spot REST root as the service's crawler uses it: BINANCE_BASE_URL (a bare origin gets /api/v3), else ccxt's default. */
function binanceRestRoot(value) {
	if (blank(value)) return 'https://api.binance.com/api/v3';
	const url = value.trim().replace(/\/+$/, '');
	return new URL(url).pathname.replace(/\/+$/, '') === '' ? `${url}/api/v3` : url;
}

/** n8n runs detached in its own process group: if it dies (or hangs), stop the rest and say so. */
function watchN8n(baseUrl) {
	let failures = 0;
	const timer = setInterval(async () => {
		if (stopping) return clearInterval(timer);
		const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => r.ok, () => false);
		failures = ok ? 0 : failures + 1;
		if (failures >= 3 && !stopping) {
			clearInterval(timer);
			console.error(`[start] n8n stopped answering ${baseUrl}/healthz; see ${n8n.logFile}`);
			void shutdown('n8n down', 1);
		}
	}, 5000);
	timer.unref();
}

main().catch(async (error) => {
	console.error(`[start] ${error?.message ?? error}`);
	await shutdown('error', 1);
});
