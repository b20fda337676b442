// What `npm start` imports into its local n8n, and whether it must:
// - the workflows of workflows/*.json as shipped, except that when Telegram is not configured the
//   Telegram nodes are disabled (n8n passes items through a disabled node), so an alert still
//   flows Webhook → Signal Intake → Risk Sizer → log and the decision is stored;
// - the credentials the workflows name (linked by name and type on import): the HighFreqQuant API
//   pointing at the local math service, and the Telegram bot only when TELEGRAM_BOT_TOKEN and
//   TELEGRAM_CHAT_ID are set, with the webhook secret token that button presses must carry.
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
const MATH_CREDENTIAL_ID = 'hfqStartMathApi1';
const TELEGRAM_CREDENTIAL_ID = 'hfqStartTelegram';
const STATE_FILE = 'hfq-start.json';

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

/**
 * @param {{ files: string[], mathUrl: string, mathApiKey: string, telegram: { token: string, chatId: string, baseUrl: string, webhookSecretToken?: string } | null }} o
 */
export function prepareWorkflows({ files, mathUrl, mathApiKey, telegram }) {
	const workflows = files.map((file) => {
		const wf = JSON.parse(readFileSync(file, 'utf8'));
		if (!telegram) {
			for (const node of wf.nodes) if (isTelegramNode(node)) node.disabled = true;
		}
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
