#!/usr/bin/env node
// One-shot set-up of an n8n instance for HighFreqQuant: the `n8n-init` service of docker-compose.yml
// runs it before n8n starts, and the deploy tests run it against a local n8n. It
//   1. imports the HighFreqQuant credentials built from the environment (math service URL + API
//      key; the Telegram bot when TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are set),
//   2. imports every workflow of the workflows folder (nodes name their credentials; n8n links them
//      by name and type on import) and publishes each imported one,
// through n8n's own CLI (import:credentials, import:workflow, publish:workflow), so it works on any
// database n8n runs on (SQLite locally, Postgres in compose).
//
// Idempotent: what n8n already has is read first (export:workflow, export:credentials --decrypted).
//   - A credential is written only when it is missing or its data differs from the environment
//     (e.g. a rotated MATH_SERVICE_API_KEY); its id stays, so workflows keep their link.
//   - A workflow is imported (and published) only when n8n lacks it or the shipped file, or the
//     Telegram set-up that decides whether its Telegram nodes are enabled, changed since the last
//     import (hashes in <state dir>/hfq-init.json). Otherwise edits made in the editor are kept,
//     and so is a workflow the user unpublished.
//   - A second run with the same files and environment changes nothing.
// The state file is written only after every step succeeded, so a run that failed half-way is
// repeated in full next time.
//
// Usage: node scripts/n8n/initN8n.mjs [--n8n-bin PATH] [--workflows DIR]
// Environment: n8n's own (N8N_USER_FOLDER, DB_*, N8N_ENCRYPTION_KEY: passed through), and
//   HFQ_MATH_SERVICE_URL   math service URL stored in the credential (default http://math-service:8000)
//   MATH_SERVICE_API_KEY   X-API-Key of the math service (empty = none)
//   TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, TELEGRAM_API_BASE_URL (default https://api.telegram.org)
//   TELEGRAM_WEBHOOK_SECRET_TOKEN  required with Telegram: the secret token Telegram sends with every button
//                          press (setWebhook's secret_token); put into the Answer Button Press nodes
//   GLASSNODE_API_KEY, GLASSNODE_BASE_URL (default https://api.glassnode.com)
//   CRYPTOPANIC_API_TOKEN, CRYPTOPANIC_BASE_URL (default https://cryptopanic.com/api/developer/v2)
//                          the heartbeat's data providers; without the key / token that provider's
//                          nodes are imported disabled with a "not configured" note
//   HFQ_INIT_STATE_DIR     where hfq-init.json lives (default: N8N_USER_FOLDER, else ~/.n8n)
//   HFQ_N8N_URL            optional URL of the running n8n main: when it answers and something was
//                          (re)imported, a restart is asked for (the CLI does not reach a running n8n)
//   N8N_BIN                n8n CLI entry (default: `n8n` on PATH)
// Prints one JSON summary line on stdout; exits 1 with the reason on any failure.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { cli, runSteps } from './n8nInstance.mjs';
import { prepareWorkflows } from '../start/n8nWorkflows.mjs';

export const DEFAULT_MATH_SERVICE_URL = 'http://math-service:8000';
const STATE_FILE = 'hfq-init.json';
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const blank = (v) => v === undefined || v.trim() === '';
const hashOf = (value) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** The n8n CLI entry: --n8n-bin, N8N_BIN, else `n8n` found on PATH (symlinks resolved). */
function findN8nBin(explicit, env) {
	const given = explicit ?? (blank(env.N8N_BIN) ? undefined : env.N8N_BIN);
	if (given) {
		if (!existsSync(given)) throw new Error(`n8n CLI not found at ${given} (--n8n-bin / N8N_BIN)`);
		return realpathSync(given);
	}
	for (const dir of (env.PATH ?? '').split(delimiter)) {
		const candidate = join(dir, 'n8n');
		if (dir && existsSync(candidate)) return realpathSync(candidate);
	}
	throw new Error('n8n CLI not found on PATH; pass --n8n-bin or set N8N_BIN');
}

/** What n8n stores now, read with its export commands ("No ... found" = nothing yet). */
async function exported(bin, kind, env, workDir, logFile) {
	const output = join(workDir, `${kind}.json`);
	const args = kind === 'credentials' ? ['export:credentials', '--all', '--decrypted', `--output=${output}`] : ['export:workflow', '--all', `--output=${output}`];
	try {
		await cli({ bin, node: process.execPath }, args, env, logFile); // n8n runs on the node running this script
	} catch (error) {
		const text = `${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`;
		if (/No (workflows|credentials) found/.test(text)) return [];
		throw error;
	}
	if (!existsSync(output)) throw new Error(`n8n ${args[0]} wrote no ${output}`);
	const list = JSON.parse(readFileSync(output, 'utf8'));
	rmSync(output, { force: true }); // decrypted credentials must not stay on disk
	return list;
}

function readState(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return { workflows: {} };
	}
}

/** Settings from the environment; a bad URL stops the run with the variable's name. */
export function initSettings(env = process.env) {
	const mathUrl = blank(env.HFQ_MATH_SERVICE_URL) ? DEFAULT_MATH_SERVICE_URL : env.HFQ_MATH_SERVICE_URL.trim().replace(/\/+$/, '');
	const checkUrl = (name, value) => {
		let url;
		try {
			url = new URL(value);
		} catch {
			throw new Error(`${name}=${JSON.stringify(value)} is not a URL (e.g. ${DEFAULT_MATH_SERVICE_URL})`);
		}
		if (!/^https?:$/.test(url.protocol)) throw new Error(`${name} must be http(s), got ${url.protocol}`);
	};
	checkUrl('HFQ_MATH_SERVICE_URL', mathUrl);
	const token = env.TELEGRAM_BOT_TOKEN?.trim() ?? '';
	const chatId = env.TELEGRAM_CHAT_ID?.trim() ?? '';
	if (Boolean(token) !== Boolean(chatId)) {
		throw new Error('set both TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID for signal cards, or neither');
	}
	const telegramBase = blank(env.TELEGRAM_API_BASE_URL) ? 'https://api.telegram.org' : env.TELEGRAM_API_BASE_URL.trim().replace(/\/+$/, '');
	const webhookSecret = env.TELEGRAM_WEBHOOK_SECRET_TOKEN?.trim() ?? '';
	if (token) {
		checkUrl('TELEGRAM_API_BASE_URL', telegramBase);
		// Telegram's own rule for secret_token; without it anyone could post fake button presses
		if (!/^[A-Za-z0-9_-]{1,256}$/.test(webhookSecret)) {
			throw new Error('TELEGRAM_WEBHOOK_SECRET_TOKEN must be 1-256 characters of A-Z a-z 0-9 _ - when Telegram is configured (e.g. openssl rand -hex 32)');
		}
	}
	const provider = (keyName, baseName, fallback) => {
		const key = env[keyName]?.trim() ?? '';
		if (!key) return null;
		const baseUrl = blank(env[baseName]) ? fallback : env[baseName].trim().replace(/\/+$/, '');
		checkUrl(baseName, baseUrl);
		return { key, baseUrl };
	};
	const glassnode = provider('GLASSNODE_API_KEY', 'GLASSNODE_BASE_URL', 'https://api.glassnode.com');
	const cryptoPanic = provider('CRYPTOPANIC_API_TOKEN', 'CRYPTOPANIC_BASE_URL', 'https://cryptopanic.com/api/developer/v2');
	return {
		mathUrl,
		mathApiKey: env.MATH_SERVICE_API_KEY?.trim() ?? '',
		glassnode: glassnode && { apiKey: glassnode.key, baseUrl: glassnode.baseUrl },
		cryptoPanic: cryptoPanic && { authToken: cryptoPanic.key, baseUrl: cryptoPanic.baseUrl },
		// the secret token lives in the Telegram credential: Set Webhook registers it, Answer Button Press checks it
		telegram: token ? { token, chatId, baseUrl: telegramBase, webhookSecretToken: webhookSecret } : null,
	};
}

/**
 * @param {{ n8nBin?: string, workflowsDir?: string, env?: Record<string, string | undefined>, log?: (line: string) => void }} [opts]
 */
export async function initN8n(opts = {}) {
	const env = opts.env ?? process.env;
	const log = opts.log ?? ((line) => process.stderr.write(`[n8n-init] ${line}\n`));
	const settings = initSettings(env);
	const bin = findN8nBin(opts.n8nBin, env);
	const workflowsDir = resolve(opts.workflowsDir ?? join(REPO_ROOT, 'workflows'));
	const files = readdirSync(workflowsDir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => join(workflowsDir, name));
	if (files.length === 0) throw new Error(`no workflow files (*.json) in ${workflowsDir}`);

	const stateDir = blank(env.HFQ_INIT_STATE_DIR) ? (blank(env.N8N_USER_FOLDER) ? join(homedir(), '.n8n') : env.N8N_USER_FOLDER) : env.HFQ_INIT_STATE_DIR;
	mkdirSync(stateDir, { recursive: true });
	const stateFile = join(stateDir, STATE_FILE);
	const workDir = mkdtempSync(join(tmpdir(), 'hfq-n8n-init-'));
	const logFile = join(workDir, 'n8n.log');
	writeFileSync(logFile, '');
	const n8nEnv = { ...env };

	try {
		const prepared = prepareWorkflows({
			files,
			mathUrl: settings.mathUrl,
			mathApiKey: settings.mathApiKey,
			telegram: settings.telegram,
			glassnode: settings.glassnode,
			cryptoPanic: settings.cryptoPanic,
		});
		for (const entry of prepared.workflows) {
			entry.hash = hashOf({ workflow: entry.workflow, telegram: settings.telegram !== null }); // re-import when Telegram (or a provider: it changes the workflow) is switched on or off
		}
		log(`reading what n8n has (${bin})`);
		const storedWorkflows = await exported(bin, 'workflows', n8nEnv, workDir, logFile);
		const storedCredentials = await exported(bin, 'credentials', n8nEnv, workDir, logFile);

		const credentialsToWrite = prepared.credentials.filter((wanted) => {
			const stored = storedCredentials.find((c) => c.id === wanted.id);
			return !stored || stored.name !== wanted.name || stored.type !== wanted.type || !isDeepStrictEqual(stored.data, wanted.data);
		});
		const state = readState(stateFile);
		const storedIds = new Set(storedWorkflows.map((wf) => wf.id));
		const workflowsToImport = prepared.workflows.filter(({ workflow, hash }) => !storedIds.has(workflow.id) || state.workflows?.[workflow.id] !== hash);

		const steps = [];
		if (credentialsToWrite.length) {
			const file = join(workDir, 'credentials-import.json');
			writeFileSync(file, JSON.stringify(credentialsToWrite), { mode: 0o600 });
			steps.push(['import:credentials', { input: file }]);
		}
		if (workflowsToImport.length) {
			const dir = join(workDir, 'workflows-import');
			mkdirSync(dir);
			workflowsToImport.forEach(({ workflow }, i) => writeFileSync(join(dir, `${i}-${workflow.id}.json`), JSON.stringify(workflow, null, 2)));
			steps.push(['import:workflow', { input: dir, separate: true }]);
			for (const { workflow } of workflowsToImport) steps.push(['publish:workflow', { id: workflow.id }]);
		}
		if (steps.length) {
			log(`running ${steps.map(([name, flags]) => (flags.id ? `${name} ${flags.id}` : name)).join(', ')}`);
			await runSteps({ bin, node: process.execPath }, steps, n8nEnv, logFile);
		}
		const next = { workflows: Object.fromEntries(prepared.workflows.map(({ workflow, hash }) => [workflow.id, hash])) };
		if (!isDeepStrictEqual(next, state)) writeFileSync(stateFile, `${JSON.stringify(next, null, 2)}\n`);

		const summary = {
			credentials: {
				written: credentialsToWrite.map((c) => c.name),
				unchanged: prepared.credentials.filter((c) => !credentialsToWrite.includes(c)).map((c) => c.name),
			},
			workflows: {
				imported_and_published: workflowsToImport.map(({ workflow }) => workflow.id),
				kept: prepared.workflows.filter((w) => !workflowsToImport.includes(w)).map(({ workflow }) => workflow.id),
			},
			telegram: settings.telegram ? 'configured' : 'not configured: Telegram nodes imported disabled',
			glassnode: settings.glassnode ? 'configured' : 'not configured: Glassnode nodes imported disabled',
			cryptopanic: settings.cryptoPanic ? 'configured' : 'not configured: CryptoPanic nodes imported disabled',
			math_service_url: settings.mathUrl,
		};
		if (workflowsToImport.length && !blank(env.HFQ_N8N_URL)) {
			const running = await fetch(`${env.HFQ_N8N_URL.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
			if (running) log('n8n is already running: restart it (docker compose restart n8n n8n-worker) so it activates the re-imported workflows');
		}
		return summary;
	} catch (error) {
		const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
		throw new Error(`${error.message}\n--- n8n output (last lines) ---\n${tail}`);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
	const { values } = parseArgs({ options: { 'n8n-bin': { type: 'string' }, workflows: { type: 'string' } } });
	initN8n({ n8nBin: values['n8n-bin'], workflowsDir: values.workflows }).then(
		(summary) => {
			process.stdout.write(`${JSON.stringify(summary)}\n`);
		},
		(error) => {
			process.stderr.write(`[n8n-init] failed: ${error.message}\n`);
			process.exit(1);
		},
	);
}
