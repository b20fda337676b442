/**
 * HighFreqQuant Telegram node in-process (n8n-core WorkflowExecute) against the loopback Telegram
 * Bot API fake (test/fakes/fakeTelegram.ts), which checks Telegram's documented limits: what the
 * fake received is what a real bot would have sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { HighFreqQuantTelegramApi } from '../../credentials/HighFreqQuantTelegramApi.credentials';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { callbackQueryUpdate, startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { runNode, testCredential } from '../support/nodeHarness';

const TOKEN = '7012345678:AAH-node-test';
const CHAT = 123456789;
let tg: FakeTelegram;
let chartServer: Server;
let chartUrl: string;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 9)]);

beforeAll(async () => {
	tg = await startFakeTelegram({ tokens: [TOKEN] });
	chartServer = createServer((req, res) => {
		// Stands in for the math service's GET /v1/decisions/:id/chart.png (API key required).
		if (req.url === '/v1/decisions/dec_0001/chart.png') {
			const ok = req.headers['x-api-key'] === 'chart-key';
			res.writeHead(ok ? 200 : 401, { 'content-type': ok ? 'image/png' : 'application/json' });
			res.end(ok ? PNG : JSON.stringify({ detail: 'Missing or invalid API key (X-API-Key header)' }));
			return;
		}
		if (req.url === '/chart.png') {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.end(PNG);
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise<void>((resolve) => chartServer.listen(0, '127.0.0.1', resolve));
	chartUrl = `http://127.0.0.1:${(chartServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await tg?.close();
	await new Promise((resolve) => chartServer?.close(resolve));
});
beforeEach(() => tg.reset());

const telegramCredential = (data: Record<string, unknown> = {}) => ({
	type: new HighFreqQuantTelegramApi(),
	data: { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url, webhookSecretToken: 'buttons-secret_abc', ...data },
});

/** A decision as Risk Sizer › Decide outputs it (merged into the Signal Intake item). */
function decision(overrides: Record<string, unknown> = {}): IDataObject {
	return {
		status: 'approved',
		decision_id: 'dec_0001',
		duplicate: false,
		signal: { symbol: 'BTC/USDT', asset: 'BTC', tier: 1, action: 'buy' },
		gates: [
			{ name: 'whitelist', passed: true },
			{ name: 'staleness', passed: true },
		],
		receipt: {
			entry: 87420.5,
			stop: 85900,
			target: 90800,
			position_pct: 6.25,
			quantity: 0.00715,
			reward_risk: 2.22,
			mode: 'paper',
			gates: [{ name: 'portfolio_heat', passed: true }],
			llm: { status: 'unavailable', note: 'Ollama unreachable; deterministic Kelly used' },
		},
		...overrides,
	};
}

/** The node under test, with a chart attached as binary data from the item's `chart_base64` (the harness passes JSON only). */
class TelegramWithBinaryInput extends HighFreqQuantTelegram {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		for (const item of this.getInputData()) {
			if (typeof item.json.chart_base64 === 'string') {
				item.binary = { chart: { data: item.json.chart_base64, mimeType: 'image/png', fileName: 'btc-1h.png' } };
				delete item.json.chart_base64;
			}
		}
		return await HighFreqQuantTelegram.prototype.execute.call(this);
	}
}

describe('HighFreqQuant Telegram › Send Signal Card', () => {
	it('sends the HTML card with Executed/Skipped buttons, the 1inch link and the Flashbots reminder', async () => {
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(error).toBeUndefined();
		const [call] = tg.callsTo('sendMessage');
		expect(call.token).toBe(TOKEN);
		expect(call.fields.chat_id).toBe(String(CHAT));
		expect(call.fields.parse_mode).toBe('HTML');
		const text = String(call.fields.text);
		expect(text).toContain('<b>BUY BTC/USDT</b> · Tier 1 · <b>📝 PAPER</b>');
		expect(text).toContain('Entry  <code>87,420.5</code>');
		expect(text).toContain('Size <b>6.25%</b> of equity · qty <code>0.00715</code> BTC');
		expect(text).toContain('R/R <b>2.22</b>');
		expect(text).toContain('✅ whitelist  ✅ fresh  ✅ portfolio_heat');
		expect(text).toContain('href="https://app.1inch.io/swap?src=1:USDT&amp;dst=1:WBTC"');
		expect(text).toContain('Flashbots Protect RPC (https://rpc.flashbots.net, chain id 1)');
		expect(text).toContain('<i>Ollama unreachable; deterministic Kelly used</i>');
		expect(call.replyMarkup).toEqual({
			inline_keyboard: [
				[
					{ text: '✅ Executed', callback_data: 'hfq:executed:dec_0001' },
					{ text: '⏭ Skipped', callback_data: 'hfq:skipped:dec_0001' },
				],
			],
		});
		expect(items[0].json.telegram).toMatchObject({ sent: true, method: 'sendMessage', chat_id: CHAT, message_id: 1, chart: 'none' });
		expect(items[0].json.decision_id).toBe('dec_0001');
	});

	it('waits out a 429 retry_after and sends once the flood limit passes', async () => {
		tg.failNext('sendMessage', 'flood_429', { retryAfter: 1, times: 2 });
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(error).toBeUndefined();
		expect(tg.callsTo('sendMessage').map((call) => call.status)).toEqual([429, 429, 200]);
		expect(items[0].json.telegram).toMatchObject({ sent: true });
	});

	it('gives up after Max Attempts with a NodeApiError naming the rate limit', async () => {
		tg.failNext('sendMessage', 'flood_429', { retryAfter: 0, times: 5 });
		const { error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', options: { maxAttempts: 2 } },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(tg.callsTo('sendMessage')).toHaveLength(2);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Telegram rate limit on sendMessage: Too Many Requests: retry after 0');
	});

	it('refuses a retry_after longer than Max Retry Wait without waiting', async () => {
		tg.failNext('sendMessage', 'flood_429', { retryAfter: 35 });
		const { error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', options: { maxRetryWaitSeconds: 5 } },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(tg.callsTo('sendMessage')).toHaveLength(1);
		expect(error?.description).toContain('wait 35 s, more than the 5 s');
	});

	it("turns Telegram's {ok:false} into a NodeOperationError with its description", async () => {
		tg.failNext('sendMessage', 'chat_not_found_400');
		const { error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', chatId: '-100999' },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Telegram refused sendMessage: Bad Request: chat not found');
		expect(tg.callsTo('sendMessage')[0].fields.chat_id).toBe('-100999');
	});

	it('cuts an oversized LLM note so the message stays within 4096 characters', async () => {
		const note = 'Rationale <with markup> & more. '.repeat(400);
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision({ receipt: { ...(decision().receipt as object), llm: { note } } })],
			credentials: [telegramCredential()],
		});
		expect(error).toBeUndefined();
		const [call] = tg.callsTo('sendMessage');
		expect(call.status).toBe(200);
		expect(String(call.fields.text).length).toBeLessThanOrEqual(4096);
		expect(String(call.fields.text)).toContain('Decision <code>dec_0001</code>');
		expect(items[0].json.telegram).toMatchObject({ truncated: true });
	});

	it('uploads a binary chart with multipart sendPhoto, the card as caption (≤ 1024) and the buttons', async () => {
		const { items, error } = await runNode({
			node: new TelegramWithBinaryInput(),
			parameters: { operation: 'sendSignalCard' },
			input: [{ ...decision(), chart_base64: PNG.toString('base64') }],
			credentials: [telegramCredential()],
		});
		expect(error).toBeUndefined();
		expect(tg.callsTo('sendMessage')).toHaveLength(0);
		const [call] = tg.callsTo('sendPhoto');
		expect(call.contentType).toMatch(/^multipart\/form-data/);
		expect(call.photo).toMatchObject({ filename: 'btc-1h.png', contentType: 'image/png', size: PNG.length });
		expect(call.photo?.bytes.equals(PNG)).toBe(true);
		expect(String(call.fields.caption).length).toBeLessThanOrEqual(1024);
		expect(String(call.fields.caption)).toContain('<b>BUY BTC/USDT</b>');
		expect(call.replyMarkup?.inline_keyboard?.[0]?.[0]?.callback_data).toBe('hfq:executed:dec_0001');
		expect(items[0].json.telegram).toMatchObject({ sent: true, method: 'sendPhoto', chart: 'binary' });
	});

	it('downloads a Chart URL in n8n and uploads it; an unreachable chart still sends the text card', async () => {
		const ok = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', chartUrl: `${chartUrl}/chart.png` },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(ok.error).toBeUndefined();
		expect(tg.callsTo('sendPhoto')[0].photo?.bytes.equals(PNG)).toBe(true);
		expect(ok.items[0].json.telegram).toMatchObject({ method: 'sendPhoto', chart: 'url_downloaded' });

		tg.reset();
		const missing = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', chartUrl: `${chartUrl}/missing.png` },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(missing.error).toBeUndefined();
		expect(tg.callsTo('sendPhoto')).toHaveLength(0);
		expect(tg.callsTo('sendMessage')).toHaveLength(1);
		expect(missing.items[0].json.telegram).toMatchObject({ method: 'sendMessage', chart: 'none' });
		expect(String((missing.items[0].json.telegram as { chart_error: string }).chart_error)).toMatch(/^chart not read/);
	});

	it("fetches the decision's chart from the math service with the HighFreqQuant API credential", async () => {
		const math = (apiKey: string) => ({ type: new HighFreqQuantApi(), data: { baseUrl: chartUrl, apiKey } });
		const ok = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision()],
			credentials: [telegramCredential(), math('chart-key')],
		});
		expect(ok.error).toBeUndefined();
		const [photo] = tg.callsTo('sendPhoto');
		expect(photo.photo).toMatchObject({ filename: 'decision-dec_0001.png', contentType: 'image/png' });
		expect(photo.photo?.bytes.equals(PNG)).toBe(true);
		expect(ok.items[0].json.telegram).toMatchObject({ method: 'sendPhoto', chart: 'math_service' });

		tg.reset();
		const refused = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision()],
			credentials: [telegramCredential(), math('wrong')],
		});
		expect(tg.callsTo('sendPhoto')).toHaveLength(0);
		expect(tg.callsTo('sendMessage')).toHaveLength(1);
		expect((refused.items[0].json.telegram as { chart_error: string }).chart_error).toContain('HTTP 401');

		tg.reset();
		await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', chartFromMathService: false },
			input: [decision()],
			credentials: [telegramCredential(), math('chart-key')],
		});
		expect(tg.callsTo('sendPhoto')).toHaveLength(0);
	});

	it('falls back to the text card when Telegram refuses the photo', async () => {
		tg.failNext('sendPhoto', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: IMAGE_PROCESS_FAILED' } });
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', chartUrl: `${chartUrl}/chart.png` },
			input: [decision()],
			credentials: [telegramCredential()],
		});
		expect(error).toBeUndefined();
		expect(tg.callsTo('sendMessage')).toHaveLength(1);
		expect((items[0].json.telegram as { chart_error: string }).chart_error).toContain('IMAGE_PROCESS_FAILED');
	});

	it('sends nothing for a duplicate or a rejected decision (by default)', async () => {
		const { items } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decision({ duplicate: true }), decision({ status: 'rejected', reason: 'portfolio heat above 30%' })],
			credentials: [telegramCredential()],
		});
		expect(tg.calls).toHaveLength(0);
		expect(items.map((item) => item.json.telegram)).toEqual([
			{ sent: false, skipped: 'duplicate' },
			{ sent: false, skipped: 'status rejected' },
		]);
	});

	it('sends a rejected decision without buttons when Only Approved Decisions is off', async () => {
		await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard', onlyApproved: false },
			input: [decision({ status: 'rejected', reason: 'portfolio heat above 30%' })],
			credentials: [telegramCredential()],
		});
		const [call] = tg.callsTo('sendMessage');
		expect(String(call.fields.text)).toContain('Rejected: portfolio heat above 30%');
		expect(call.replyMarkup).toBeUndefined();
	});
});

describe('HighFreqQuant Telegram › Answer Button Press without the math credential', () => {
	it('refuses to run and says which credential is missing', async () => {
		const { error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'answerButtonPress' },
			input: [{ body: callbackQueryUpdate({ data: 'hfq:executed:1', messageId: 1, chatId: CHAT }), headers: { 'x-telegram-bot-api-secret-token': 'buttons-secret_abc' } }],
			credentials: [telegramCredential()],
		});
		expect(error?.message).toBe('Answer Button Press needs the HighFreqQuant API credential');
		expect(tg.calls).toHaveLength(0);
	});
});

describe('HighFreqQuant Telegram › Send Message and Set Webhook', () => {
	it('splits a long plain-text summary at line breaks into messages of ≤ 4096 characters', async () => {
		const text = Array.from({ length: 300 }, (_, i) => `line ${i}: Sharpe 1.23, max drawdown −8.4%`).join('\n');
		const { items } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendMessage', text },
			credentials: [telegramCredential()],
		});
		const sent = tg.callsTo('sendMessage').map((call) => String(call.fields.text));
		expect(sent.length).toBe(Math.ceil(text.length / 4096));
		expect(sent.every((part) => part.length <= 4096)).toBe(true);
		expect(sent.join('\n')).toBe(text);
		expect((items[0].json.telegram as { message_ids: number[] }).message_ids).toHaveLength(sent.length);
	});

	it('sets and deletes the webhook with a secret token', async () => {
		await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'setWebhook', webhookUrl: 'https://n8n.example.com/webhook/telegram', secretToken: 's3cret' },
			credentials: [telegramCredential()],
		});
		expect(tg.webhookUrl()).toBe('https://n8n.example.com/webhook/telegram');
		expect(tg.callsTo('setWebhook')[0].fields).toMatchObject({ secret_token: 's3cret', allowed_updates: ['callback_query', 'message'] });
		await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'setWebhook' }, credentials: [telegramCredential()] });
		expect(tg.webhookUrl()).toBe('');
	});

	it("sets the webhook with the credential's secret token when the node has none, and refuses to set one without any", async () => {
		await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'setWebhook', webhookUrl: 'https://n8n.example.com/webhook/telegram' },
			credentials: [telegramCredential()],
		});
		expect(tg.callsTo('setWebhook')[0].fields).toMatchObject({ secret_token: 'buttons-secret_abc' });
		tg.reset();
		const { error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'setWebhook', webhookUrl: 'https://n8n.example.com/webhook/telegram' },
			credentials: [telegramCredential({ webhookSecretToken: '' })],
		});
		expect(error?.message).toBe('Set Webhook needs a secret token');
		const bad = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'setWebhook', webhookUrl: 'https://n8n.example.com/webhook/telegram', secretToken: 'has space' },
			credentials: [telegramCredential()],
		});
		expect(bad.error?.message).toMatch(/may only contain/);
		expect(tg.callsTo('setWebhook')).toHaveLength(0);
	});
});

describe('HighFreqQuant Telegram API credential', () => {
	it('tests with getMe on the configured Bot API base URL', async () => {
		expect(await testCredential(new HighFreqQuantTelegramApi(), { accessToken: TOKEN, baseUrl: `${tg.url}/` })).toMatchObject({ status: 'OK' });
		expect(tg.callsTo('getMe')).toHaveLength(1);
		expect((await testCredential(new HighFreqQuantTelegramApi(), { accessToken: 'wrong', baseUrl: tg.url })).status).toBe('Error');
	});
});
