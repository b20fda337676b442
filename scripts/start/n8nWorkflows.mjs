// What `npm start` imports into its local n8n, and whether it must:
// - the workflows of workflows/*.json as shipped, except that when Telegram is not configured the
//   Telegram nodes are disabled (n8n passes items through a disabled node), so an alert still
//   flows Webhook → Signal Intake → Risk Sizer → log and the decision is stored;
// - the same for the data providers of the heartbeat: without a Glassnode key (or a CryptoPanic
//   token) that provider's nodes are imported disabled, with a sticky note beside them saying it
//   is not configured and how to configure it; the rest of the workflow (and every other one) runs;
// - the credentials the workflows name (linked by name and type on import): the HighFreqQuant API
//   pointing at the local math service, the Telegram bot only when TELEGRAM_BOT_TOKEN and
//   TELEGRAM_CHAT_ID are set, with the webhook secret token that button presses must carry, and
//   Glassnode / CryptoPanic only when their key / token is set (base URL from the environment).
// Re-running `npm start` must neither duplicate workflows nor overwrite edits made in the editor:
// a workflow is (re)imported only when it is absent from n8n's database or the shipped file (or the
// Telegram set-up) changed since the last import, recorded in <userFolder>/hfq-start.json.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { n8nInstallDir } from '../n8n/ensureN8n.mjs';

export const MATH_CREDENTIAL_TYPE = 'highFreqQuantApi';
export const TELEGRAM_CREDENTIAL_TYPE = 'highFreqQuantTelegramApi';
export const GLASSNODE_CREDENTIAL_TYPE = 'glassnodeApi';
export const CRYPTOPANIC_CREDENTIAL_TYPE = 'cryptoPanicApi';
const MATH_CREDENTIAL_ID = 'hfqStartMathApi1';
const TELEGRAM_CREDENTIAL_ID = 'hfqStartTelegram';
const GLASSNODE_CREDENTIAL_ID = 'hfqStartGlassnod';
const CRYPTOPANIC_CREDENTIAL_ID = 'hfqStartCrPanic1';

/** The heartbeat's data providers: credential type, name for people, and the settings that configure it. */
export const PROVIDERS = {
	glassnode: { type: GLASSNODE_CREDENTIAL_TYPE, label: 'Glassnode', settings: 'GLASSNODE_API_KEY (and GLASSNODE_BASE_URL for a test double)', fallbackName: 'Glassnode API' },
	cryptoPanic: { type: CRYPTOPANIC_CREDENTIAL_TYPE, label: 'CryptoPanic', settings: 'CRYPTOPANIC_API_TOKEN (and CRYPTOPANIC_BASE_URL for your plan)', fallbackName: 'CryptoPanic API' },
};
const STATE_FILE = 'hfq-start.json';

/** What `npm start` imports: the signal workflow first and the buttons second (their webhooks are printed), then the heartbeat. */
export const START_WORKFLOW_FILES = [
	'workflows/tradingview-signal.json',
	'workflows/telegram-buttons.json',
	'workflows/heartbeat-market-data.json',
	'workflows/heartbeat-onchain-sentiment.json',
	'workflows/heartbeat-risk-monitor.json',
	'workflows/heartbeat-signal-scan.json',
];

const hash = (value) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

function isTelegramNode(node) {
	return TELEGRAM_CREDENTIAL_TYPE in (node.credentials ?? {}) || /\.(highFreqQuantTelegram|telegram)$/.test(node.type);
}

/** The credential name the workflows use for `type` (first reference), else `fallback`. */
function credentialName(workflows, type, fallback) {
	for (const wf of workflows) {
		for (const node of wf.nodes) {
			const ref = node.credentials?.[type];
			if (typeof ref === 'string') return ref;
			if (ref?.name) return ref.name;
		}
	}
	return fallback;
}

/** A stable UUID-shaped node id derived from `text`. */
function uuidFrom(text) {
	const h = createHash('sha256').update(text).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Disables the nodes of a provider that is not configured and puts a sticky note above the first
 * of them saying so (n8n passes items through a disabled node; nothing is fetched).
 */
function markNotConfigured(wf, provider) {
	const nodes = wf.nodes.filter((node) => provider.type in (node.credentials ?? {}));
	if (nodes.length === 0) return;
	for (const node of nodes) node.disabled = true;
	const [x, y] = nodes[0].position ?? [0, 0];
	wf.nodes.push({
		id: uuidFrom(`${wf.id} ${provider.type} not configured`),
		name: `Sticky: ${provider.label} not configured`,
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: [x - 40, y - 200],
		parameters: {
			content: `### ${provider.label} not configured\n${nodes.map((n) => `**${n.name}**`).join(', ')} imported disabled: set ${provider.settings} and start again (or create the "${provider.fallbackName}" credential here and enable the node). Everything else keeps running.`,
			height: 180,
			width: 320,
			color: 3,
		},
	});
}

/**
 * @param {{ files: string[], mathUrl: string, mathApiKey: string, telegram: { token: string, chatId: string, baseUrl: string, webhookSecretToken?: string } | null,
 *   glassnode?: { apiKey: string, baseUrl: string } | null, cryptoPanic?: { authToken: string, baseUrl: string } | null }} o
 */
export function prepareWorkflows({ files, mathUrl, mathApiKey, telegram, glassnode = null, cryptoPanic = null }) {
	const workflows = files.map((file) => {
		const wf = JSON.parse(readFileSync(file, 'utf8'));
		if (!telegram) {
			for (const node of wf.nodes) if (isTelegramNode(node)) node.disabled = true;
		}
		if (!glassnode) markNotConfigured(wf, PROVIDERS.glassnode);
		if (!cryptoPanic) markNotConfigured(wf, PROVIDERS.cryptoPanic);
		return { file, workflow: wf, hash: hash(wf) };
	});
	const all = workflows.map((w) => w.workflow);
	const credentials = [
		{
			id: MATH_CREDENTIAL_ID,
			name: credentialName(all, MATH_CREDENTIAL_TYPE, 'HighFreqQuant API'),
			type: MATH_CREDENTIAL_TYPE,
			data: { baseUrl: mathUrl, apiKey: mathApiKey },
		},
	];
	if (telegram) {
		credentials.push({
			id: TELEGRAM_CREDENTIAL_ID,
			name: credentialName(all, TELEGRAM_CREDENTIAL_TYPE, 'HighFreqQuant Telegram'),
			type: TELEGRAM_CREDENTIAL_TYPE,
			data: { accessToken: telegram.token, chatId: telegram.chatId, baseUrl: telegram.baseUrl, webhookSecretToken: telegram.webhookSecretToken ?? '' },
		});
	}
	if (glassnode) {
		credentials.push({
			id: GLASSNODE_CREDENTIAL_ID,
			name: credentialName(all, GLASSNODE_CREDENTIAL_TYPE, PROVIDERS.glassnode.fallbackName),
			type: GLASSNODE_CREDENTIAL_TYPE,
			data: { apiKey: glassnode.apiKey, baseUrl: glassnode.baseUrl },
		});
	}
	if (cryptoPanic) {
		credentials.push({
			id: CRYPTOPANIC_CREDENTIAL_ID,
			name: credentialName(all, CRYPTOPANIC_CREDENTIAL_TYPE, PROVIDERS.cryptoPanic.fallbackName),
			type: CRYPTOPANIC_CREDENTIAL_TYPE,
			data: { authToken: cryptoPanic.authToken, baseUrl: cryptoPanic.baseUrl },
		});
	}
	return { workflows, credentials, credentialsHash: hash(credentials) };
}

function readState(userFolder) {
	try {
		return JSON.parse(readFileSync(join(userFolder, STATE_FILE), 'utf8'));
	} catch {
		return { workflows: {}, credentials: null };
	}
}

export function writeState(userFolder, state) {
	writeFileSync(join(userFolder, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Ids of the workflows stored in n8n's database (empty before the first start). */
export function storedWorkflowIds(userFolder) {
	const file = join(userFolder, '.n8n', 'database.sqlite');
	if (!existsSync(file)) return new Set();
	let Database;
	try {
		Database = createRequire(import.meta.url)('better-sqlite3');
	} catch {
		Database = createRequire(join(n8nInstallDir(), 'package.json'))('better-sqlite3');
	}
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		return new Set(db.prepare('SELECT id FROM workflow_entity').all().map((row) => row.id));
	} catch {
		return new Set();
	} finally {
		db.close();
	}
}

/** What must be imported this run: workflows that are new/changed/missing, credentials if changed. */
export function plan(userFolder, prepared) {
	const state = readState(userFolder);
	const stored = storedWorkflowIds(userFolder);
	const toImport = prepared.workflows.filter(({ workflow, hash: h }) => !stored.has(workflow.id) || state.workflows?.[workflow.id] !== h);
	const kept = prepared.workflows.filter((w) => !toImport.includes(w));
	const credentialsChanged = state.credentials !== prepared.credentialsHash || toImport.length > 0;
	const next = {
		workflows: Object.fromEntries(prepared.workflows.map(({ workflow, hash: h }) => [workflow.id, h])),
		credentials: prepared.credentialsHash,
	};
	return { toImport, kept, credentialsChanged, next };
}
