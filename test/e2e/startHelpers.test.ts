// The pieces of `npm start` that need no n8n: the sample-alert command (shell quoting), the
// webhook secret file, the stale-build check, the Ollama and provider probes and the workflow
// preparation (Telegram and the heartbeat's data providers configured or not).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/start/buildIfStale.mjs';
import { prepareWorkflows, START_WORKFLOW_FILES } from '../../scripts/start/n8nWorkflows.mjs';
import { probeOllama, probeProviders } from '../../scripts/start/probes.mjs';
import { sampleAlertCommand, SAMPLE_LEVELS } from '../../scripts/start/sampleAlert.mjs';
import { startSettingsProblems } from '../../scripts/start/startSettings.mjs';
import { telegramWebhookSecretToken, webhookSecret } from '../../scripts/start/webhookSecret.mjs';
import { startFakeBinance, startFakeCryptoPanic, startFakeGlassnode, startFakeOllama, startFakeTelegram, type FakeOllama } from '../fakes';
import { freePort, ROOT } from './support/pipelineStack';

const sh = promisify(execFile);
let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'hfq-start-helpers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The body the printed command would send: the command run through sh with curl replaced by printf. */
async function bodyOf(command: string): Promise<string> {
	const printed = command.replace(/curl .*? --data /, "printf '%s' ");
	const { stdout } = await sh('sh', ['-c', printed]);
	return stdout;
}

describe('sampleAlertCommand', () => {
	it('sends a fresh, uniquely identified alert whose levels give R/R 1.67', async () => {
		const before = Date.now();
		const alert = JSON.parse(await bodyOf(sampleAlertCommand('http://127.0.0.1:5678/webhook/tradingview', 'abc123')));
		expect(alert).toMatchObject({ secret: 'abc123', action: 'buy', ticker: 'BINANCE:BTCUSDT', close: 90_000, stop: 87_300, target: 94_500 });
		expect(alert.time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(alert.time).toBeLessThanOrEqual(Date.now());
		expect(alert.alert_id).toBe(`sample-${alert.time / 1000}`);
		expect((SAMPLE_LEVELS.target - SAMPLE_LEVELS.close) / (SAMPLE_LEVELS.close - SAMPLE_LEVELS.stop)).toBeGreaterThanOrEqual(1.5);
	});

	it('keeps a secret with shell and JSON metacharacters intact', async () => {
		const secret = 'a"b$HOME`id`\\c\'d $(date) ü';
		const command = sampleAlertCommand('http://127.0.0.1:5678/webhook/tradingview', secret);
		expect(JSON.parse(await bodyOf(command)).secret).toBe(secret);
		expect(command).toMatch(/^T=\$\(date \+%s\); curl -sS -X POST 'http:\/\/127\.0\.0\.1:5678\/webhook\/tradingview' -H 'Content-Type: text\/plain' --data "/);
	});
});

describe('webhookSecret', () => {
	it('takes TRADINGVIEW_WEBHOOK_SECRET when set, and writes nothing', () => {
		const data = join(dir, 'env');
		mkdirSync(data);
		expect(webhookSecret(data, { TRADINGVIEW_WEBHOOK_SECRET: ' from-env ' })).toEqual({ secret: 'from-env', source: 'environment', file: null });
	});

	it('generates 32 random bytes once, owner-only, and reads the same secret back', () => {
		const data = join(dir, 'gen');
		mkdirSync(data);
		const first = webhookSecret(data, {});
		expect(first.source).toBe('generated');
		expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(statSync(first.file!).mode & 0o777).toBe(0o600);
		expect(webhookSecret(data, {})).toEqual({ secret: first.secret, source: 'file', file: first.file });
		expect(webhookSecret(join(dir, 'env'), {}).secret).not.toBe(first.secret);
	});
});

describe('telegramWebhookSecretToken', () => {
	it('generates a token Telegram accepts once, owner-only, and reads it back; the environment overrides it', () => {
		const data = join(dir, 'tg');
		mkdirSync(data, { recursive: true });
		const first = telegramWebhookSecretToken(data, {});
		expect(first.source).toBe('generated');
		expect(first.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
		expect(statSync(first.file!).mode & 0o777).toBe(0o600);
		expect(telegramWebhookSecretToken(data, {})).toEqual({ secret: first.secret, source: 'file', file: first.file });
		expect(first.secret).not.toBe(webhookSecret(data, {}).secret);
		expect(telegramWebhookSecretToken(data, { TELEGRAM_WEBHOOK_SECRET_TOKEN: 'mine_1' })).toEqual({ secret: 'mine_1', source: 'environment', file: null });
		expect(() => telegramWebhookSecretToken(data, { TELEGRAM_WEBHOOK_SECRET_TOKEN: 'not allowed!' })).toThrow(/TELEGRAM_WEBHOOK_SECRET_TOKEN/);
	});
});

describe('startSettingsProblems', () => {
	it('accepts an empty environment and usable values', () => {
		expect(startSettingsProblems({})).toEqual([]);
		expect(
			startSettingsProblems({ N8N_PORT: '5679', WEBHOOK_URL: 'https://n8n.example.com/', TELEGRAM_BOT_TOKEN: 't', TELEGRAM_CHAT_ID: '1', HFQ_MODE: 'PAPER', TELEGRAM_WEBHOOK_SECRET_TOKEN: 'a_b-1' }),
		).toEqual([]);
	});

	it.each([
		[{ N8N_PORT: 'abc' }, /^N8N_PORT: "abc" is not a port number/],
		[{ MATH_SERVICE_PORT: '70000' }, /^MATH_SERVICE_PORT: "70000" is not a port number/],
		[{ WEBHOOK_URL: 'n8n.example.com' }, /^WEBHOOK_URL: must be an http\(s\) URL|^WEBHOOK_URL: "n8n.example.com" is not a URL/],
		[{ TELEGRAM_API_BASE_URL: 'ftp://x' }, /^TELEGRAM_API_BASE_URL: must be an http\(s\) URL/],
		[{ GLASSNODE_BASE_URL: 'api.glassnode.com' }, /^GLASSNODE_BASE_URL: "api.glassnode.com" is not a URL/],
		[{ CRYPTOPANIC_BASE_URL: 'ftp://x' }, /^CRYPTOPANIC_BASE_URL: must be an http\(s\) URL/],
		[{ BINANCE_BASE_URL: 'nope' }, /^BINANCE_BASE_URL: "nope" is not a URL/],
		[{ BYBIT_BASE_URL: 'file:///x' }, /^BYBIT_BASE_URL: must be an http\(s\) URL/],
		[{ TELEGRAM_BOT_TOKEN: 't' }, /^TELEGRAM_CHAT_ID: set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID together/],
		[{ TELEGRAM_WEBHOOK_SECRET_TOKEN: 'a b' }, /^TELEGRAM_WEBHOOK_SECRET_TOKEN: Telegram accepts only/],
		[{ HFQ_MODE: 'live' }, /^HFQ_MODE: "live" is not "PAPER" or "LIVE"/],
	])('names %j and the reason', (env, message) => {
		const problems = startSettingsProblems(env as Record<string, string>);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(message);
	});
});

describe('staleReason', () => {
	function fakeRepo(name: string) {
		const root = join(dir, name);
		mkdirSync(join(root, 'nodes', 'X'), { recursive: true });
		mkdirSync(join(root, 'credentials'));
		mkdirSync(join(root, 'dist', 'nodes', 'X'), { recursive: true });
		writeFileSync(join(root, 'package.json'), JSON.stringify({ n8n: { nodes: ['dist/nodes/X/X.node.js'], credentials: [] } }));
		writeFileSync(join(root, 'tsconfig.build.json'), '{}');
		writeFileSync(join(root, 'nodes', 'X', 'X.node.ts'), '');
		const old = new Date(Date.now() - 60_000);
		for (const f of ['tsconfig.build.json', 'nodes/X/X.node.ts']) utimesSync(join(root, f), old, old);
		return root;
	}

	it('is null when dist/ is newer than every source', () => {
		const root = fakeRepo('fresh');
		writeFileSync(join(root, 'dist', 'nodes', 'X', 'X.node.js'), '');
		expect(staleReason(root)).toBeNull();
	});

	it('names a missing manifest file, and a source changed after the build', () => {
		const root = fakeRepo('stale');
		expect(staleReason(root)).toBe('dist/ lacks dist/nodes/X/X.node.js');
		writeFileSync(join(root, 'dist', 'nodes', 'X', 'X.node.js'), '');
		const later = new Date(Date.now() + 60_000);
		utimesSync(join(root, 'nodes', 'X', 'X.node.ts'), later, later);
		expect(staleReason(root)).toBe('sources changed since the last build');
	});
});

describe('probeOllama', () => {
	let ollama: FakeOllama;
	beforeAll(async () => {
		ollama = await startFakeOllama({ models: ['glm-5:cloud'] });
	});
	afterAll(() => ollama.close());

	it('reports an unset host as not configured', async () => {
		expect(await probeOllama('', 'glm-5:cloud')).toMatchObject({ configured: false, reachable: false });
	});

	it('finds the model on a reachable host, and says when it is not pulled', async () => {
		expect(await probeOllama(`${ollama.url}/`, 'glm-5:cloud')).toMatchObject({ configured: true, reachable: true, modelPresent: true, detail: 'model available' });
		expect(await probeOllama(ollama.url, 'llama3.1:8b')).toMatchObject({ reachable: true, modelPresent: false, detail: 'model llama3.1:8b not pulled (has: glm-5:cloud)' });
	});

	it('reports a closed port as not reachable', async () => {
		const port = await freePort();
		expect(await probeOllama(`http://127.0.0.1:${port}`, 'glm-5:cloud')).toMatchObject({ configured: true, reachable: false, detail: 'ECONNREFUSED' });
	});
});

describe('prepareWorkflows (the shipped workflows)', () => {
	const files = ['tradingview-signal.json', 'telegram-buttons.json'].map((f) => join(ROOT, 'workflows', f));
	const telegramNodes = (wf: { nodes: Record<string, any>[] }) => wf.nodes.filter((n) => 'highFreqQuantTelegramApi' in (n.credentials ?? {}));

	it('without Telegram: only the math service credential, Telegram nodes disabled, files untouched', () => {
		const p = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: null });
		expect(p.credentials.map((c) => [c.type, c.name, c.data])).toEqual([['highFreqQuantApi', 'HighFreqQuant API', { baseUrl: 'http://127.0.0.1:8000', apiKey: '' }]]);
		const nodes = p.workflows.flatMap((w) => telegramNodes(w.workflow));
		expect(nodes.length).toBeGreaterThan(0);
		expect(nodes.every((n) => n.disabled === true)).toBe(true);
		expect(JSON.parse(readFileSync(files[0], 'utf8')).nodes.some((n: { disabled?: boolean }) => n.disabled)).toBe(false);
	});

	it('with Telegram: the bot credential by the name the workflows use, nodes enabled, a different hash', () => {
		const off = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: null });
		const on = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: { token: 't', chatId: '1', baseUrl: 'http://127.0.0.1:9', webhookSecretToken: 'tok_1' } });
		expect(on.credentials.find((c) => c.type === 'highFreqQuantTelegramApi')).toMatchObject({ name: 'HighFreqQuant Telegram', data: { accessToken: 't', chatId: '1', baseUrl: 'http://127.0.0.1:9', webhookSecretToken: 'tok_1' } });
		expect(on.workflows.flatMap((w) => telegramNodes(w.workflow)).some((n) => n.disabled)).toBe(false);
		expect(on.workflows[0].hash).not.toBe(off.workflows[0].hash);
		expect(on.credentialsHash).not.toBe(off.credentialsHash);
	});
});

describe('prepareWorkflows (the heartbeat data providers)', () => {
	const files = START_WORKFLOW_FILES.map((f) => join(ROOT, f));
	const providerNodes = (p: ReturnType<typeof prepareWorkflows>, type: string) => p.workflows.flatMap((w) => w.workflow.nodes.filter((n) => type in (n.credentials ?? {})));
	const stickies = (p: ReturnType<typeof prepareWorkflows>) =>
		p.workflows.flatMap((w) => w.workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content)));

	it('imports the heartbeat too: market data and on-chain/sentiment after the signal and button workflows', () => {
		expect(START_WORKFLOW_FILES.slice(0, 2)).toEqual(['workflows/tradingview-signal.json', 'workflows/telegram-buttons.json']);
		expect(START_WORKFLOW_FILES).toEqual(expect.arrayContaining(['workflows/heartbeat-market-data.json', 'workflows/heartbeat-onchain-sentiment.json', 'workflows/heartbeat-risk-monitor.json', 'workflows/heartbeat-signal-scan.json']));
	});

	it('without keys: Glassnode and CryptoPanic nodes disabled with a "not configured" note each, no credential; the market data nodes stay on', () => {
		const p = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: null });
		expect(p.credentials.map((c) => c.type)).toEqual(['highFreqQuantApi']);
		for (const type of ['glassnodeApi', 'cryptoPanicApi']) {
			const nodes = providerNodes(p, type);
			expect(nodes.length, type).toBeGreaterThan(0);
			expect(nodes.every((n) => n.disabled === true), type).toBe(true);
		}
		expect(stickies(p).filter((c) => /Glassnode not configured/.test(c))).toHaveLength(1);
		expect(stickies(p).filter((c) => /CryptoPanic not configured/.test(c))).toHaveLength(1);
		expect(stickies(p).find((c) => /Glassnode not configured/.test(c))).toContain('GLASSNODE_API_KEY');
		const market = p.workflows.find((w) => w.workflow.id === 'hfqHbMarketData1')!.workflow;
		expect(market.nodes.some((n) => n.disabled)).toBe(false);
		for (const w of p.workflows) expect(new Set(w.workflow.nodes.map((n) => n.id)).size, w.workflow.id).toBe(w.workflow.nodes.length);
	});

	it('with a Glassnode key only: its credential (name the workflow uses, base URL given), its node on; CryptoPanic still off', () => {
		const off = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: null });
		const p = prepareWorkflows({ files, mathUrl: 'http://127.0.0.1:8000', mathApiKey: '', telegram: null, glassnode: { apiKey: 'gn-key', baseUrl: 'http://127.0.0.1:9/gn' } });
		expect(p.credentials.find((c) => c.type === 'glassnodeApi')).toMatchObject({ name: 'Glassnode API', data: { apiKey: 'gn-key', baseUrl: 'http://127.0.0.1:9/gn' } });
		expect(providerNodes(p, 'glassnodeApi').some((n) => n.disabled)).toBe(false);
		expect(providerNodes(p, 'cryptoPanicApi').every((n) => n.disabled === true)).toBe(true);
		expect(stickies(p).some((c) => /Glassnode not configured/.test(c))).toBe(false);
		const onchain = (q: typeof p) => q.workflows.find((w) => w.workflow.id === 'hfqHbOnchainSent')!.hash;
		expect(onchain(p)).not.toBe(onchain(off)); // re-imported when a key is added
		expect(p.credentialsHash).not.toBe(off.credentialsHash);
	});

	it('with both: both credentials, no provider node disabled', () => {
		const p = prepareWorkflows({
			files,
			mathUrl: 'http://127.0.0.1:8000',
			mathApiKey: '',
			telegram: null,
			glassnode: { apiKey: 'gn', baseUrl: 'https://api.glassnode.com' },
			cryptoPanic: { authToken: 'cp', baseUrl: 'https://cryptopanic.com/api/developer/v2' },
		});
		expect(p.credentials.find((c) => c.type === 'cryptoPanicApi')).toMatchObject({ name: 'CryptoPanic API', data: { authToken: 'cp', baseUrl: 'https://cryptopanic.com/api/developer/v2' } });
		expect([...providerNodes(p, 'glassnodeApi'), ...providerNodes(p, 'cryptoPanicApi')].some((n) => n.disabled)).toBe(false);
	});
});

describe('probeProviders', () => {
	it('says configured or not and reachable or not, per provider, and never throws when offline', async () => {
		const closed = `http://127.0.0.1:${await freePort()}`;
		const offline = await probeProviders({ binanceBaseUrl: `${closed}/api/v3`, glassnode: { apiKey: 'k', baseUrl: closed }, cryptoPanic: null, telegram: null });
		expect(offline).toEqual([
			{ name: 'Binance', configured: true, reachable: false, detail: 'ECONNREFUSED' },
			{ name: 'Glassnode', configured: true, reachable: false, detail: 'ECONNREFUSED' },
			{ name: 'CryptoPanic', configured: false, reachable: null, detail: 'not configured' },
			{ name: 'Telegram', configured: false, reachable: null, detail: 'not configured' },
		]);
	});

	it('reaches the loopback fakes, and names a refused key', async () => {
		const [binance, glassnode, cryptoPanic, telegram] = await Promise.all([
			startFakeBinance(),
			startFakeGlassnode({ apiKey: 'good-key' }),
			startFakeCryptoPanic({ tokens: ['good-token'] }),
			startFakeTelegram({ tokens: ['1:tok'] }),
		]);
		try {
			const online = await probeProviders({
				binanceBaseUrl: binance.apiV3,
				glassnode: { apiKey: 'good-key', baseUrl: glassnode.url },
				cryptoPanic: { authToken: 'good-token', baseUrl: `${cryptoPanic.url}/api/developer/v2` },
				telegram: { token: '1:tok', baseUrl: telegram.url },
			});
			expect(online.map((p) => [p.name, p.reachable, p.detail])).toEqual([
				['Binance', true, 'answered 200'],
				['Glassnode', true, 'answered 200'],
				['CryptoPanic', true, 'answered 200'],
				['Telegram', true, 'answered 200'],
			]);
			const refused = await probeProviders({ binanceBaseUrl: binance.apiV3, glassnode: { apiKey: 'wrong', baseUrl: glassnode.url }, cryptoPanic: null, telegram: null });
			expect(refused[1]).toMatchObject({ reachable: true, detail: expect.stringMatching(/^answered 40[13]: the key is refused$/) });
		} finally {
			await Promise.all([binance.close(), glassnode.close(), cryptoPanic.close(), telegram.close()]);
		}
	});
});

describe('the printed webhook path', () => {
	it('is the Webhook node path of the shipped signal workflow', () => {
		const wf = JSON.parse(readFileSync(join(ROOT, 'workflows', 'tradingview-signal.json'), 'utf8'));
		expect(wf.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-base.webhook').parameters.path).toBe('tradingview');
	});
});
