// The operator's Telegram commands in a real n8n, each tested release (scripts/n8n harness): the
// shipped workflows/telegram-buttons.json is imported with its credentials (the Telegram credential
// names the operator chat and the webhook secret token), published, and Telegram updates carrying
// /halt, /halt flatten, /status and /resume are posted to its production webhook URL, in front of
// the real math service pipeline (in-process, in-memory SQLite) and the Telegram Bot API fake.
// - without the secret token, or from a chat that is not the operator's: nothing changes, nobody
//   is answered (and the stranger's command is logged);
// - with it, from the operator chat: /halt halts the desk (the next alert is refused with
//   operator_halt) and the reply goes to the chat; /halt flatten closes every open paper position.
// The shipped workflows/daily-report.json runs in the same n8n (its triggers replaced by a test
// webhook): the day's report goes to Telegram as the equity PNG with the report text as caption.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { commandMessageUpdate, startFakeTelegram, type FakeTelegram } from './fakes/fakeTelegram';
import { startPipelineService, type RunningPipelineService } from './nodes/pipelineService';
import { credential, N8N_TEST_VERSIONS, startN8n, type N8nInstance } from './support/n8nHarness';

const root = join(__dirname, '..');
const SECRET = 'tv-secret-n8n-operator-0123';
const API_KEY = 'op-key-0123456789';
const TOKEN = '7012345678:AAH-n8n-operator';
const OPERATOR_CHAT = 123456789;
const STRANGER_CHAT = 987654321;
const BUTTON_SECRET = 'n8n-operator-webhook-secret_0123';
const REPORT_PATH = 'daily-report-test';

/** The shipped daily report with a webhook in place of its triggers (schedule and manual). */
function dailyReportTestCopy(): Record<string, unknown> {
	const workflow = JSON.parse(readFileSync(join(root, 'workflows', 'daily-report.json'), 'utf8')) as {
		nodes: { name: string; type: string }[];
		connections: Record<string, unknown>;
	};
	const triggers = workflow.nodes.filter((node) => node.type.endsWith('Trigger'));
	expect(triggers.map((node) => node.type).sort()).toEqual(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']);
	const first = workflow.connections[triggers[0]!.name];
	const connections = Object.fromEntries(Object.entries(workflow.connections).filter(([name]) => !triggers.some((node) => node.name === name)));
	return {
		...workflow,
		id: 'hfqDailyRptTst01',
		nodes: [
			...workflow.nodes.filter((node) => !triggers.includes(node)),
			{
				id: '8c3f5e42-0000-4000-8000-0000000000f1',
				name: 'Test Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '8c3f5e42-0000-4000-8000-0000000000f2',
				parameters: { httpMethod: 'POST', path: REPORT_PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
			},
		],
		connections: { ...connections, 'Test Webhook': first },
	};
}

describe.each(N8N_TEST_VERSIONS)('operator commands through workflows/telegram-buttons.json in a real n8n %s', (version) => {
	let n8n: N8nInstance;
	let service: RunningPipelineService;
	let tg: FakeTelegram;

	beforeAll(async () => {
		service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET });
		tg = await startFakeTelegram({ tokens: [TOKEN] });
		n8n = await startN8n({
			version,
			workflows: [join(root, 'workflows/telegram-buttons.json'), dailyReportTestCopy()],
			credentials: [
				credential('highFreqQuantApi', 'HighFreqQuant API', { baseUrl: service.baseUrl, apiKey: API_KEY }, 'hfqOpMathCred001'),
				credential(
					'highFreqQuantTelegramApi',
					'HighFreqQuant Telegram',
					{ accessToken: TOKEN, chatId: String(OPERATOR_CHAT), baseUrl: tg.url, webhookSecretToken: BUTTON_SECRET, operatorChatIds: String(OPERATOR_CHAT) },
					'hfqOpTgCred00001',
				),
			],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await tg?.close();
		await service?.close();
	});

	const toWebhook = async (text: string, chatId: number, headers: Record<string, string>) => {
		service.clock.nowMs = Date.now();
		const res = await fetch(n8n.webhookUrl('telegram'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(commandMessageUpdate({ text, chatId })),
		});
		const body = await res.text();
		return { status: res.status, body, json: body ? (JSON.parse(body) as Record<string, any>) : null };
	};
	const withToken = { 'x-telegram-bot-api-secret-token': BUTTON_SECRET };
	const service_ = async (method: string, path: string, body?: unknown) => {
		service.clock.nowMs = Date.now();
		const res = await fetch(`${service.baseUrl}${path}`, {
			method,
			headers: { 'x-api-key': API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await res.json()) as Record<string, any>;
	};
	let seq = 0;
	const alert = (ticker: string, close: number) =>
		service_('POST', '/v1/signals/tradingview', {
			secret: SECRET,
			alert_id: `op-${version}-${Date.now()}-${seq++}`,
			action: 'buy',
			ticker,
			interval: '60',
			time: Date.now() - 1_000,
			close,
			vwap: close * 1.05,
			stop: close * 0.97,
			target: close * 1.06,
		});
	const replies = () => tg.callsTo('sendMessage');

	it('a /halt without the secret token, or with a wrong one, changes nothing and answers nobody', async () => {
		const sent = replies().length;
		for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong-token' }]) {
			const res = await toWebhook('/halt flatten', OPERATOR_CHAT, headers);
			expect(res.status, res.body).toBe(200);
			expect(res.json).toMatchObject({ ok: true, command: null });
		}
		expect((await service_('GET', '/v1/desk')).halted).toBe(false);
		expect(await service.storage.desk.events()).toEqual([]);
		expect(replies()).toHaveLength(sent);
	});

	it('a /halt from a chat that is not the operator’s changes nothing, gets no answer, and is logged', async () => {
		const sent = replies().length;
		const res = await toWebhook('/halt', STRANGER_CHAT, withToken);
		expect(res.status, res.body).toBe(200);
		expect(res.json!.command).toMatchObject({ accepted: false, replied: false, refused: 'chat_not_allowed' });
		expect((await service_('GET', '/v1/desk')).halted).toBe(false);
		expect(replies()).toHaveLength(sent);
		const refused = await service.storage.desk.events({ action: 'command_refused' });
		expect(refused.map((e) => JSON.parse(e.detailJson).chat_id)).toEqual([String(STRANGER_CHAT)]);
	});

	it('/halt from the operator chat with the token halts the desk, answers in the chat, and the next alert is refused operator_halt', async () => {
		expect(await alert('BTCUSDT', 100)).toMatchObject({ status: 'approved' });
		const sent = replies().length;
		const res = await toWebhook('/halt', OPERATOR_CHAT, withToken);
		expect(res.status, res.body).toBe(200);
		expect(res.json!.command).toMatchObject({ accepted: true, command: 'halt', replied: true });
		const reply = (await tg.waitForCalls('sendMessage', sent + 1)).at(-1)!;
		expect(reply.fields).toMatchObject({ chat_id: OPERATOR_CHAT });
		expect(String(reply.fields.text)).toContain('Desk halted by telegram:123456789/@ada_trader');
		expect(await alert('ETHUSDT', 50)).toMatchObject({ status: 'rejected', reason_code: 'operator_halt' });
		const status = await toWebhook('/status', OPERATOR_CHAT, withToken);
		expect(status.json!.command).toMatchObject({ command: 'status', replied: true });
		expect(String(tg.callsTo('sendMessage').at(-1)!.fields.text)).toMatch(/HALTED since .* by telegram:123456789\/@ada_trader[\s\S]*Open positions: 1 \(BTC\/USDT\)/);
	});

	it('/halt flatten closes every open paper position and says so; /resume lets entries through again', async () => {
		await service.storage.candles.upsertMany([
			{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: Date.now() - 60_000, open: 102, high: 102, low: 102, close: 102, volume: 1 },
		]);
		const res = await toWebhook('/halt flatten', OPERATOR_CHAT, withToken);
		expect(res.status, res.body).toBe(200);
		expect(res.json!.command.outcome.flatten.closed).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', exit_reason: 'operator_flatten' })]);
		expect(await service.storage.paperLedger.openPositions()).toEqual([]);
		expect(String(tg.callsTo('sendMessage').at(-1)!.fields.text)).toMatch(/Flatten:\nClosed #\d+ BTC\/USDT/);
		const resumed = await toWebhook('/resume', OPERATOR_CHAT, withToken);
		expect(resumed.json!.command).toMatchObject({ command: 'resume', accepted: true });
		expect(await alert('SOLUSDT', 20)).toMatchObject({ status: 'approved' });
	});

	it('the daily report workflow posts the equity PNG with the day’s report as caption', async () => {
		service.clock.nowMs = Date.now();
		const res = await fetch(n8n.webhookUrl(REPORT_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const text = await res.text();
		expect(res.status, text).toBe(200);
		const json = JSON.parse(text) as Record<string, any>;
		expect(json.telegram).toMatchObject({ sent: true, method: 'sendPhoto', photo: 'equity' });
		expect(json.pnl).toMatchObject({ trades_closed: 1, wins: 1 });
		expect(json.gate_hits.by_gate).toMatchObject({ operatorHalt: 1 });
		const photo = tg.callsTo('sendPhoto').at(-1)!;
		expect(photo.fields.chat_id).toBe(String(OPERATOR_CHAT));
		expect(String(photo.fields.caption).replace(/\r\n/g, '\n')).toBe(json.text);
		expect(String(photo.fields.caption)).toMatch(/Daily report \d{4}-\d\d-\d\d \(UTC\)[\s\S]*Gate hits: operatorHalt 1/);
		expect(photo.photo?.contentType).toBe('image/png');
		expect(photo.photo?.bytes.subarray(1, 4).toString()).toBe('PNG');
	});
});
