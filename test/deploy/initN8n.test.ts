// The compose stack's n8n-init step (scripts/n8n/initN8n.mjs), run as a process exactly as the
// n8n-init service runs it, against the local pinned n8n with a fresh user folder (SQLite instead
// of Postgres: the script only talks to n8n's CLI). Checked straight in n8n's database:
//   - every workflow of workflows/ is imported and published (active, with a published version);
//   - the Answer Button Press node checks TELEGRAM_WEBHOOK_SECRET_TOKEN;
//   - the HighFreqQuant credentials hold the values from the environment (decrypted here with
//     n8n's cipher, independently of the script) and every node that names one is linked to it;
//   - a second run with the same environment changes nothing (same rows, same timestamps);
//   - a changed API key rewrites the credential in place and leaves the workflows alone;
//   - the instance then boots and activates every workflow (our node types load).
import { spawn } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureN8n, N8N_OLDEST } from '../../scripts/n8n/ensureN8n.mjs';
import { installPackage, REPO_ROOT } from '../../scripts/n8n/installPackage.mjs';
import { startN8n, type N8nInstance } from '../support/n8nHarness';

const requireFromRepo = createRequire(join(REPO_ROOT, 'package.json'));
const Database = requireFromRepo('better-sqlite3') as typeof import('better-sqlite3');

const ENCRYPTION_KEY = 'deploy-test-encryption-key-0123456789';
const WORKFLOWS = readdirSync(join(REPO_ROOT, 'workflows'))
	.filter((f) => f.endsWith('.json'))
	.map((f) => JSON.parse(readFileSync(join(REPO_ROOT, 'workflows', f), 'utf8')) as { id: string; name: string; nodes: { name: string; credentials?: Record<string, { name: string }> }[] });

/** n8n's credential cipher (AES-256-CBC, OpenSSL "Salted__" key derivation with MD5), written out independently. */
function decrypt(data: string, key: string): unknown {
	const input = Buffer.from(data, 'base64');
	const salt = input.subarray(8, 16);
	const password = Buffer.concat([Buffer.from(key, 'binary'), salt]);
	const h1 = createHash('md5').update(password).digest();
	const h2 = createHash('md5').update(Buffer.concat([h1, password])).digest();
	const iv = createHash('md5').update(Buffer.concat([h2, password])).digest();
	const decipher = createDecipheriv('aes-256-cbc', Buffer.concat([h1, h2]), iv);
	return JSON.parse(Buffer.concat([decipher.update(input.subarray(16)), decipher.final()]).toString('utf8'));
}

interface Snapshot {
	workflows: { id: string; name: string; active: number; activeVersionId: string | null; versionId: string; updatedAt: string; nodes: string }[];
	credentials: { id: string; name: string; type: string; data: string; updatedAt: string }[];
	history: number;
}

function snapshot(userFolder: string): Snapshot {
	const db = new Database(join(userFolder, '.n8n', 'database.sqlite'), { readonly: true, fileMustExist: true });
	try {
		return {
			workflows: db.prepare('SELECT id, name, active, "activeVersionId", "versionId", "updatedAt", nodes FROM workflow_entity ORDER BY id').all() as Snapshot['workflows'],
			credentials: db.prepare('SELECT id, name, type, data, "updatedAt" FROM credentials_entity ORDER BY id').all() as Snapshot['credentials'],
			history: (db.prepare('SELECT COUNT(*) AS n FROM workflow_history').get() as { n: number }).n,
		};
	} finally {
		db.close();
	}
}

function runInit(env: Record<string, string>, n8nBin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/n8n/initN8n.mjs'), '--n8n-bin', n8nBin], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('n8n-init (scripts/n8n/initN8n.mjs) against a local n8n', () => {
	let n8nBin: string;
	let userFolder: string;
	let env: Record<string, string>;
	let n8n: N8nInstance | undefined;

	beforeAll(async () => {
		n8nBin = await ensureN8n({ version: N8N_OLDEST }); // the script runs n8n on its own node: the release that runs on this one
		userFolder = mkdtempSync(join(tmpdir(), 'hfq-init-'));
		installPackage({ userFolder }); // the image has the package in the same place
		env = {
			PATH: process.env.PATH ?? '',
			HOME: userFolder,
			N8N_USER_FOLDER: userFolder,
			DB_TYPE: 'sqlite',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			MATH_SERVICE_API_KEY: 'compose-api-key-0123456789abcdef',
			TELEGRAM_BOT_TOKEN: '123456:deploy-test-token',
			TELEGRAM_CHAT_ID: '4242',
			TELEGRAM_API_BASE_URL: 'http://127.0.0.1:9/telegram',
			TELEGRAM_WEBHOOK_SECRET_TOKEN: 'button-secret_0123456789',
			GLASSNODE_API_KEY: 'deploy-glassnode-key',
			GLASSNODE_BASE_URL: 'http://127.0.0.1:9/glassnode',
			CRYPTOPANIC_API_TOKEN: 'deploy-cryptopanic-token',
		};
	}, 900_000);

	afterAll(async () => {
		await n8n?.stop();
		if (userFolder && !process.env.HFQ_KEEP_N8N) rmSync(userFolder, { recursive: true, force: true });
	});

	it('imports and publishes every workflow and wires the credentials from the environment', async () => {
		const run = await runInit(env, n8nBin);
		expect(run.code, run.stderr).toBe(0);
		const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
		expect(summary.workflows.imported_and_published.sort()).toEqual(WORKFLOWS.map((w) => w.id).sort());

		const first = snapshot(userFolder);
		expect(first.workflows.map((w) => w.id).sort()).toEqual(WORKFLOWS.map((w) => w.id).sort());
		for (const wf of first.workflows) {
			expect(wf.active, `${wf.name} active`).toBe(1);
			expect(wf.activeVersionId, `${wf.name} published version`).toBe(wf.versionId);
		}

		const credentials = new Map(first.credentials.map((c) => [c.id, { ...c, plain: decrypt(c.data, ENCRYPTION_KEY) as Record<string, string> }]));
		const math = [...credentials.values()].find((c) => c.type === 'highFreqQuantApi');
		const telegram = [...credentials.values()].find((c) => c.type === 'highFreqQuantTelegramApi');
		expect(math?.plain).toEqual({ baseUrl: 'http://math-service:8000', apiKey: 'compose-api-key-0123456789abcdef' });
		expect(telegram?.plain).toEqual({ accessToken: '123456:deploy-test-token', chatId: '4242', baseUrl: 'http://127.0.0.1:9/telegram', webhookSecretToken: 'button-secret_0123456789' });
		const glassnode = [...credentials.values()].find((c) => c.type === 'glassnodeApi');
		const cryptoPanic = [...credentials.values()].find((c) => c.type === 'cryptoPanicApi');
		expect(glassnode?.plain).toEqual({ apiKey: 'deploy-glassnode-key', baseUrl: 'http://127.0.0.1:9/glassnode' });
		expect(cryptoPanic?.plain).toEqual({ authToken: 'deploy-cryptopanic-token', baseUrl: 'https://cryptopanic.com/api/developer/v2' });
		const credentialOf: Record<string, string | undefined> = { highFreqQuantApi: math?.id, highFreqQuantTelegramApi: telegram?.id, glassnodeApi: glassnode?.id, cryptoPanicApi: cryptoPanic?.id };

		// every credential reference of every shipped node points at the imported credential of that type
		let references = 0;
		for (const shipped of WORKFLOWS) {
			const stored = first.workflows.find((w) => w.id === shipped.id);
			const nodes = JSON.parse(stored?.nodes ?? '[]') as { name: string; disabled?: boolean; credentials?: Record<string, { id: string; name: string }> }[];
			for (const node of shipped.nodes) {
				const storedNode = nodes.find((n) => n.name === node.name);
				expect(storedNode?.disabled ?? false, `${shipped.name} / ${node.name} enabled`).toBe(false);
				for (const type of Object.keys(node.credentials ?? {})) {
					const ref = storedNode?.credentials?.[type];
					expect(ref?.id, `${shipped.name} / ${node.name} / ${type}`).toBe(credentialOf[type]);
					references++;
				}
			}
		}
		expect(references).toBeGreaterThanOrEqual(WORKFLOWS.length);

		// button presses are checked against the secret token Telegram is told to send: it is in the
		// Telegram credential, which Set Webhook registers and Answer Button Press compares with
		const telegramData = decrypt(first.credentials.find((c) => c.type === 'highFreqQuantTelegramApi')?.data ?? '', ENCRYPTION_KEY) as Record<string, unknown>;
		expect(telegramData.webhookSecretToken).toBe('button-secret_0123456789');
		const buttons = first.workflows.flatMap((w) => JSON.parse(w.nodes) as { type: string; parameters: Record<string, unknown> }[]).filter((n) => n.parameters?.operation === 'answerButtonPress');
		expect(buttons.length).toBeGreaterThan(0);
	}, 900_000);

	it('changes nothing when run again with the same environment', async () => {
		const before = snapshot(userFolder);
		expect(before.workflows.length).toBe(WORKFLOWS.length);
		const run = await runInit(env, n8nBin);
		expect(run.code, run.stderr).toBe(0);
		expect(snapshot(userFolder)).toEqual(before); // same rows, versions, ciphertexts and timestamps
		const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
		expect(summary.workflows.imported_and_published).toEqual([]);
		expect(summary.credentials.written).toEqual([]);
	}, 900_000);

	it('rewrites a credential whose value changed in the environment and keeps the workflows', async () => {
		const before = snapshot(userFolder);
		const run = await runInit({ ...env, MATH_SERVICE_API_KEY: 'rotated-api-key-fedcba9876543210' }, n8nBin);
		expect(run.code, run.stderr).toBe(0);
		const after = snapshot(userFolder);
		expect(after.workflows).toEqual(before.workflows);
		const math = after.credentials.find((c) => c.type === 'highFreqQuantApi');
		expect(math?.id).toBe(before.credentials.find((c) => c.type === 'highFreqQuantApi')?.id);
		expect(decrypt(math?.data ?? '', ENCRYPTION_KEY)).toEqual({ baseUrl: 'http://math-service:8000', apiKey: 'rotated-api-key-fedcba9876543210' });
	}, 900_000);

	it('the initialised n8n activates every workflow when it starts', async () => {
		n8n = await startN8n({ version: N8N_OLDEST, n8nBin, userFolder, installPackage: false, encryptionKey: ENCRYPTION_KEY, readyTimeoutMs: 300_000 });
		const deadline = Date.now() + 120_000;
		const activated = () => WORKFLOWS.filter((wf) => n8n?.logs().includes(`Activated workflow "${wf.name}" (ID: ${wf.id})`));
		while (activated().length < WORKFLOWS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		expect(activated().map((wf) => wf.id).sort(), n8n.logs().slice(-4000)).toEqual(WORKFLOWS.map((w) => w.id).sort());
	}, 600_000);

	it('stops with the variable named when Telegram is configured without a webhook secret', async () => {
		const run = await runInit({ ...env, TELEGRAM_WEBHOOK_SECRET_TOKEN: '' }, n8nBin);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('TELEGRAM_WEBHOOK_SECRET_TOKEN');
	});

	it('stops with the variable named when the math service URL is not a URL', async () => {
		const run = await runInit({ ...env, HFQ_MATH_SERVICE_URL: 'math-service:8000' }, n8nBin);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('HFQ_MATH_SERVICE_URL');
	});
});

describe('n8n-init when Telegram is configured later', () => {
	let n8nBin: string;
	let userFolder: string;
	let env: Record<string, string>;

	beforeAll(async () => {
		n8nBin = await ensureN8n({ version: N8N_OLDEST }); // the script runs n8n on its own node: the release that runs on this one
		userFolder = mkdtempSync(join(tmpdir(), 'hfq-init-'));
		installPackage({ userFolder });
		env = {
			PATH: process.env.PATH ?? '',
			HOME: userFolder,
			N8N_USER_FOLDER: userFolder,
			DB_TYPE: 'sqlite',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			HFQ_MATH_SERVICE_URL: 'http://10.0.0.7:8000/',
			MATH_SERVICE_API_KEY: 'compose-api-key-0123456789abcdef',
		};
	}, 900_000);

	afterAll(() => {
		if (userFolder && !process.env.HFQ_KEEP_N8N) rmSync(userFolder, { recursive: true, force: true });
	});

	const telegramNodes = (s: Snapshot) =>
		s.workflows.flatMap((w) => (JSON.parse(w.nodes) as { type: string; disabled?: boolean; credentials?: Record<string, { id: string }> }[]).filter((n) => n.type === 'n8n-nodes-highfreqquant.highFreqQuantTelegram'));

	it('without Telegram (and without Glassnode/CryptoPanic keys): those nodes imported disabled, the math credential uses the given URL, every workflow published', async () => {
		const run = await runInit(env, n8nBin);
		expect(run.code, run.stderr).toBe(0);
		const s = snapshot(userFolder);
		expect(s.workflows.map((w) => w.active)).toEqual(WORKFLOWS.map(() => 1));
		expect(s.credentials.map((c) => c.type)).toEqual(['highFreqQuantApi']);
		expect(decrypt(s.credentials[0]?.data ?? '', ENCRYPTION_KEY)).toEqual({ baseUrl: 'http://10.0.0.7:8000', apiKey: 'compose-api-key-0123456789abcdef' });
		expect(telegramNodes(s).length).toBeGreaterThan(0);
		for (const node of telegramNodes(s)) expect(node.disabled).toBe(true);
		const providerNodes = s.workflows.flatMap((w) => (JSON.parse(w.nodes) as { type: string; disabled?: boolean }[]).filter((n) => /\.(glassnode|cryptoPanic)$/.test(n.type)));
		expect(providerNodes.map((n) => [n.type, n.disabled])).toEqual([
			['n8n-nodes-highfreqquant.glassnode', true],
			['n8n-nodes-highfreqquant.cryptoPanic', true],
		]);
		const notes = s.workflows.flatMap((w) => (JSON.parse(w.nodes) as { type: string; parameters: { content?: string } }[]).filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => n.parameters.content ?? ''));
		expect(notes.filter((c) => /(Glassnode|CryptoPanic) not configured/.test(c))).toHaveLength(2);
	}, 900_000);

	it('with Telegram added: the workflows are re-imported with their Telegram nodes enabled, linked and published', async () => {
		const run = await runInit({ ...env, TELEGRAM_BOT_TOKEN: '123456:later-token', TELEGRAM_CHAT_ID: '77', TELEGRAM_WEBHOOK_SECRET_TOKEN: 'later_secret' }, n8nBin);
		expect(run.code, run.stderr).toBe(0);
		const s = snapshot(userFolder);
		const telegram = s.credentials.find((c) => c.type === 'highFreqQuantTelegramApi');
		expect(decrypt(telegram?.data ?? '', ENCRYPTION_KEY)).toEqual({ accessToken: '123456:later-token', chatId: '77', baseUrl: 'https://api.telegram.org', webhookSecretToken: 'later_secret' });
		for (const node of telegramNodes(s)) {
			expect(node.disabled ?? false).toBe(false);
			expect(node.credentials?.highFreqQuantTelegramApi?.id).toBe(telegram?.id);
		}
		for (const wf of s.workflows) expect([wf.name, wf.active, wf.activeVersionId]).toEqual([wf.name, 1, wf.versionId]);
	}, 900_000);
});
