// `npm start` (scripts/start.mjs) as a user runs it, on the current n8n, three times on one data folder:
//   1. nothing configured and offline (Binance at a closed port): it generates the webhook secret,
//      starts the service (SQLite, PAPER) and n8n with the signal, button and heartbeat workflows,
//      prints the URLs, says Telegram, Glassnode, CryptoPanic and Ollama are not configured and
//      Binance not reachable, without failing; the printed curl command stores a decision; Ctrl-C
//      (SIGINT) stops everything;
//   2. Telegram, Glassnode, CryptoPanic, Binance and Ollama as loopback fakes: the workflows are
//      re-imported with those nodes on, no duplicates, every provider reachable; the sample alert
//      reaches the Telegram fake;
//   3. the same again: nothing re-imported, the published webhooks still answer; SIGTERM stops it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { readExecutions } from '../../scripts/n8n/n8nExecutions.mjs';
import { N8N_CURRENT } from '../../scripts/n8n/ensureN8n.mjs';
import { START_WORKFLOW_FILES, storedWorkflowIds } from '../../scripts/start/n8nWorkflows.mjs';
import {
	startFakeBinance,
	startFakeCryptoPanic,
	startFakeGlassnode,
	startFakeOllama,
	startFakeTelegram,
	waitFor,
	type FakeBinance,
	type FakeCryptoPanic,
	type FakeGlassnode,
	type FakeOllama,
	type FakeTelegram,
} from '../fakes';
import { freePort, ROOT } from './support/pipelineStack';
import { runStart, type StartProcess, type StartSummary } from './support/startProcess';

const sh = promisify(execFile);
const READY_MS = 8 * 60_000; // includes the one-time n8n install on a fresh machine
const SLOW = { timeout: READY_MS + 60_000 };
const BOT_TOKEN = '7000000001:AAStartTestToken_abcdefghijklmnopqrs';
/** Signal cards on the Telegram fake: a photo with a caption (chart) or a text message (not the heartbeat's messages). */
const cardsOf = (telegram: FakeTelegram) =>
	telegram.calls.filter((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && /BUY BTC\/USDT/.test(String(c.fields.caption ?? c.fields.text)));
const SIGNAL_WORKFLOW_ID = 'hfqTradingView01';
const CHAT_ID = '424242';

function portClosed(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(true));
	});
}

/** Runs the printed one-line command through a POSIX shell, as a user pastes it. */
async function runSample(command: string): Promise<any> {
	const { stdout } = await sh('sh', ['-c', command], { timeout: 30_000 });
	return JSON.parse(stdout);
}

describe('npm start (scripts/start.mjs)', () => {
	let dataDir: string;
	let servicePort: number;
	let n8nPort: number;
	let telegram: FakeTelegram;
	let ollama: FakeOllama;
	let binance: FakeBinance;
	let glassnode: FakeGlassnode;
	let cryptoPanic: FakeCryptoPanic;
	let offlinePort: number;
	let running: StartProcess | null = null;
	let storage: Storage | null = null;

	const env = (extra: Record<string, string> = {}) => ({
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		HFQ_CACHE_DIR: process.env.HFQ_CACHE_DIR,
		HFQ_DATA_DIR: dataDir,
		MATH_SERVICE_PORT: String(servicePort),
		N8N_PORT: String(n8nPort),
		BINANCE_BASE_URL: `http://127.0.0.1:${offlinePort}/api/v3`, // offline: nothing listens there
		...extra,
	});
	const withFakes = () =>
		env({
			TELEGRAM_BOT_TOKEN: BOT_TOKEN,
			TELEGRAM_CHAT_ID: CHAT_ID,
			TELEGRAM_API_BASE_URL: telegram.url,
			OLLAMA_HOST: ollama.url,
			BINANCE_BASE_URL: binance.apiV3,
			GLASSNODE_API_KEY: 'start-test-glassnode-key',
			GLASSNODE_BASE_URL: glassnode.url,
			CRYPTOPANIC_API_TOKEN: 'start-test-cryptopanic-token',
			CRYPTOPANIC_BASE_URL: `${cryptoPanic.url}/api/developer/v2`,
		});

	async function decisionOf(alertId: string) {
		storage ??= await openStorage(`sqlite:${join(dataDir, 'highfreqquant.db')}`, { migrate: false });
		return storage.decisions.getByAlertId(alertId);
	}

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'hfq-start-'));
		servicePort = await freePort();
		n8nPort = await freePort();
		offlinePort = await freePort();
		telegram = await startFakeTelegram({ tokens: [BOT_TOKEN] });
		ollama = await startFakeOllama();
		binance = await startFakeBinance();
		glassnode = await startFakeGlassnode({ apiKey: 'start-test-glassnode-key' });
		cryptoPanic = await startFakeCryptoPanic({ tokens: ['start-test-cryptopanic-token'] });
	});

	afterAll(async () => {
		await running?.stop('SIGTERM').catch(() => undefined);
		await storage?.close();
		await telegram?.close();
		await ollama?.close();
		await binance?.close();
		await glassnode?.close();
		await cryptoPanic?.close();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	let first: StartSummary;

	it('first run: prints the editor, webhook and service URLs and what is not configured', SLOW, async () => {
		running = runStart(ROOT, env());
		first = await running.ready(READY_MS);
		const out = running.output();
		expect(first.editorUrl).toBe(`http://127.0.0.1:${n8nPort}/`);
		expect(first.webhookUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${n8nPort}/webhook/\\S+$`));
		expect(first.serviceUrl).toBe(`http://127.0.0.1:${servicePort}`);
		expect(out).toContain(`API docs http://127.0.0.1:${servicePort}/docs`);
		expect(out).toMatch(/Telegram not configured: decisions are stored and visible at http:\/\/127\.0\.0\.1:\d+\/v1\/decisions/);
		expect(out).toMatch(/Ollama not configured \(OLLAMA_HOST unset\)/);
		expect(out).toMatch(/mode PAPER/);
		expect(out).toContain(`starting n8n ${N8N_CURRENT}`);
		// the heartbeat: imported and published; per provider configured or not, reachable or not
		for (const file of START_WORKFLOW_FILES) expect(out).toMatch(new RegExp(`importing and publishing .*\\(${file.replace(/[.]/g, '\\.')}\\)`));
		expect(out).toMatch(/Binance:\s+configured, NOT reachable \(ECONNREFUSED\)/);
		expect(out).toMatch(/Glassnode:\s+not configured \(set GLASSNODE_API_KEY\)/);
		expect(out).toMatch(/CryptoPanic:\s+not configured \(set CRYPTOPANIC_API_TOKEN\)/);
		expect(out).toMatch(/Telegram:\s+not configured/);
		// the generated secret is kept in the data folder, owner-only
		const secretFile = join(dataDir, 'tradingview-webhook-secret');
		expect(readFileSync(secretFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
		expect(statSync(secretFile).mode & 0o777).toBe(0o600);
		expect(existsSync(join(dataDir, 'highfreqquant.db'))).toBe(true);
		expect(existsSync(join(dataDir, 'n8n', '.n8n', 'database.sqlite'))).toBe(true);
		// the docs page the summary points at is served
		expect((await fetch(`${first.serviceUrl}/docs`)).status).toBe(200);
		const editor = await fetch(first.editorUrl);
		expect(editor.status).toBe(200);
	});

	it('first run: the printed sample alert is approved through n8n and its decision is stored (PAPER position)', async () => {
		const answer = await runSample(first.sampleCommand);
		expect(answer).toMatchObject({ status: 'approved' });
		const alertId = JSON.stringify(answer).match(/sample-\d+/)?.[0];
		expect(alertId, JSON.stringify(answer)).toBeDefined();
		// visible where the summary says: GET <service>/v1/decisions
		const listed = (await (await fetch(`${first.serviceUrl}/v1/decisions`)).json()) as { decisions: { alert_id: string; status: string; reason_code: string }[] };
		expect(listed.decisions.find((d) => d.alert_id === alertId)).toMatchObject({ status: 'approved', reason_code: 'approved' });
		const decision = await decisionOf(alertId!);
		expect(decision).toMatchObject({ status: 'approved', reasonCode: 'approved', symbol: 'BTC/USDT' });
		const positions = await storage!.paperLedger.openPositions();
		expect(positions.map((p) => p.decisionId)).toContain(decision!.id);
		expect(telegram.calls).toHaveLength(0);
		// without Telegram the card node is disabled (items pass through): the execution still succeeds
		const [execution] = await waitFor(() => {
			const done = readExecutions(join(dataDir, 'n8n'), { workflowId: SIGNAL_WORKFLOW_ID, limit: 5 }).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
			return done.length > 0 ? done : undefined;
		}, { timeoutMs: 15_000, what: 'the sample execution in n8n' });
		expect(execution).toMatchObject({ status: 'success', error: null });
	});

	it('first run: SIGINT stops n8n and the service and exits 0', { timeout: 60_000 }, async () => {
		const exit = await running!.stop('SIGINT');
		running = null;
		expect(exit).toEqual({ code: 0, signal: null });
		expect(await portClosed(servicePort)).toBe(true);
		expect(await portClosed(n8nPort)).toBe(true);
	});

	it('second run with Telegram and Ollama configured: re-imports without duplicates, the card reaches Telegram', SLOW, async () => {
		running = runStart(ROOT, withFakes());
		const summary = await running.ready(READY_MS);
		const out = running.output();
		expect(out).toMatch(/Telegram:\s+configured \(chat 424242\)/);
		expect(out).toMatch(/Ollama:\s+reachable at http:\/\/127\.0\.0\.1:\d+, model available/);
		for (const name of ['Binance', 'Glassnode', 'CryptoPanic', 'Telegram']) expect(out).toMatch(new RegExp(`${name}:\\s+configured, reachable \\(answered 200\\)`));
		expect(out).not.toMatch(/generated a TradingView webhook secret/); // reused from the data folder
		expect(summary.sampleCommand).toBe(first.sampleCommand);
		expect(storedWorkflowIds(join(dataDir, 'n8n')).size).toBe(START_WORKFLOW_FILES.length);

		const answer = await runSample(summary.sampleCommand);
		expect(answer).toMatchObject({ status: 'approved' });
		const card = await waitFor(() => cardsOf(telegram)[0], { timeoutMs: 30_000, what: 'the signal card' });
		expect(card.token).toBe(BOT_TOKEN);
		expect(String(card.fields.chat_id)).toBe(CHAT_ID);
		expect(String(card.fields.caption ?? card.fields.text)).toContain('BUY BTC/USDT');
		expect(card.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual(expect.arrayContaining([expect.stringMatching(/^hfq:executed:\d+$/)]));
		expect(ollama.calls.some((c) => c.endpoint === 'generate' || c.endpoint === 'chat')).toBe(true);
		const exit = await running.stop('SIGINT');
		running = null;
		expect(exit.code).toBe(0);
	});

	it('third run, unchanged: keeps the imported workflows (no re-import, no duplicates) and still answers; SIGTERM stops it', SLOW, async () => {
		running = runStart(ROOT, withFakes());
		const summary = await running.ready(READY_MS);
		const out = running.output();
		expect(out).toMatch(/already imported \(kept as it is in n8n\)/);
		expect(out).not.toMatch(/importing and publishing/);
		expect(storedWorkflowIds(join(dataDir, 'n8n')).size).toBe(START_WORKFLOW_FILES.length);
		const before = telegram.calls.length;
		const answer = await runSample(summary.sampleCommand);
		expect(answer).toMatchObject({ status: 'approved' });
		await waitFor(() => cardsOf(telegram)[1], { timeoutMs: 30_000, what: 'a second signal card' });
		expect(telegram.calls.length).toBeGreaterThan(before);
		const exit = await running.stop('SIGTERM');
		running = null;
		expect(exit.code).toBe(0);
		expect(await portClosed(servicePort)).toBe(true);
		expect(await portClosed(n8nPort)).toBe(true);
	});

	it('when n8n dies, it stops the math service too and exits 1 with the reason', SLOW, async () => {
		running = runStart(ROOT, withFakes());
		await running.ready(READY_MS);
		const { stdout } = await sh('ss', ['-ltnpH', `sport = :${n8nPort}`]);
		const pid = Number(/pid=(\d+)/.exec(stdout)?.[1]);
		expect(pid, stdout).toBeGreaterThan(0);
		process.kill(pid, 'SIGKILL');
		const exit = await running.exited(60_000);
		const out = running.output();
		running = null;
		expect(exit).toEqual({ code: 1, signal: null });
		expect(out).toMatch(/n8n stopped answering http:\/\/127\.0\.0\.1:\d+\/healthz; see \S+n8n\.log/);
		expect(out).toMatch(/math-service: stopped/);
		expect(await portClosed(servicePort)).toBe(true);
	});
});
