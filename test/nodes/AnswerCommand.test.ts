/**
 * HighFreqQuant Telegram › Answer Command in-process (n8n-core WorkflowExecute), against the Telegram
 * Bot API fake and a loopback stand-in for the math service's POST /v1/operator/command that
 * records what it was asked: the secret token is checked before anything is called; the
 * credential's Operator Chat IDs travel with the command; a reply goes to the chat, a refusal is
 * not answered; other updates pass through.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { HighFreqQuantTelegramApi } from '../../credentials/HighFreqQuantTelegramApi.credentials';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { callbackQueryUpdate, commandMessageUpdate, startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { runNode } from '../support/nodeHarness';

const TOKEN = '7012345678:AAH-answer-command';
const SECRET = 'command-secret_0123';
const OPERATOR = 123456789;
let tg: FakeTelegram;
let service: Server;
let serviceUrl = '';
const asked: Record<string, unknown>[] = [];
let answer: Record<string, unknown> = {};

beforeAll(async () => {
	tg = await startFakeTelegram({ tokens: [TOKEN] });
	service = createServer((req, res) => {
		let body = '';
		req.on('data', (d: Buffer) => (body += d.toString()));
		req.on('end', () => {
			if (req.url !== '/v1/operator/command' || req.headers['x-api-key'] !== 'cmd-key') {
				res.writeHead(404).end();
				return;
			}
			asked.push(JSON.parse(body) as Record<string, unknown>);
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
		});
	});
	await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
	serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await tg?.close();
	await new Promise((resolve) => service?.close(resolve));
});
beforeEach(() => {
	tg.reset();
	asked.length = 0;
});

const run = (update: Record<string, unknown>, headers: Record<string, string>, telegram: Record<string, unknown> = {}) =>
	runNode({
		node: new HighFreqQuantTelegram(),
		parameters: { operation: 'answerCommand' },
		input: [{ headers, body: update }],
		credentials: [
			{ type: new HighFreqQuantTelegramApi(), data: { accessToken: TOKEN, chatId: String(OPERATOR), baseUrl: tg.url, webhookSecretToken: SECRET, operatorChatIds: ` ${OPERATOR}, -100123 `, ...telegram } },
			{ type: new HighFreqQuantApi(), data: { baseUrl: serviceUrl, apiKey: 'cmd-key' } },
		],
	});
const token = { 'x-telegram-bot-api-secret-token': SECRET };

describe('HighFreqQuant Telegram › Answer Command', () => {
	it('sends the command with the credential’s operator chats and replies in the chat', async () => {
		answer = { accepted: true, reply: '⛔ Desk halted by telegram:123456789/@ada_trader', command: 'halt', refused: null, outcome: { halted: true } };
		const { items, error } = await run(commandMessageUpdate({ text: '/halt', chatId: OPERATOR }), token);
		expect(error).toBeUndefined();
		expect(asked).toEqual([{ chat_id: String(OPERATOR), text: '/halt', user: '@ada_trader', operator_chat_ids: [String(OPERATOR), '-100123'] }]);
		expect(tg.callsTo('sendMessage').map((c) => c.fields)).toEqual([{ chat_id: OPERATOR, text: answer.reply }]);
		expect(items[0]!.json.command).toMatchObject({ accepted: true, command: 'halt', replied: true, outcome: { halted: true } });
	});

	it('sends nothing back when the service refuses the chat', async () => {
		answer = { accepted: false, reply: null, command: null, refused: 'chat_not_allowed', outcome: null };
		const { items, error } = await run(commandMessageUpdate({ text: '/halt flatten', chatId: 555 }), token);
		expect(error).toBeUndefined();
		expect(asked).toHaveLength(1);
		expect(tg.calls).toEqual([]);
		expect(items[0]!.json.command).toMatchObject({ accepted: false, replied: false, refused: 'chat_not_allowed' });
	});

	it('refuses an update without the secret token, with a wrong one, or with none configured: nothing is asked or sent', async () => {
		for (const [headers, telegram, message] of [
			[{}, {}, 'The update does not carry the webhook secret token'],
			[{ 'x-telegram-bot-api-secret-token': 'nope' }, {}, 'The update does not carry the webhook secret token'],
			[token, { webhookSecretToken: '' }, 'No webhook secret token is configured: commands are refused'],
		] as const) {
			const { error } = await run(commandMessageUpdate({ text: '/halt', chatId: OPERATOR }), headers, telegram);
			expect(error?.message).toBe(message);
		}
		expect(asked).toEqual([]);
		expect(tg.calls).toEqual([]);
	});

	it('passes a button press through untouched (the buttons workflow shares the webhook)', async () => {
		const { items, error } = await run(callbackQueryUpdate({ data: 'hfq:executed:1', messageId: 7, chatId: OPERATOR }), token);
		expect(error).toBeUndefined();
		expect(items[0]!.json.command).toEqual({ ignored: 'not a text message' });
		expect(asked).toEqual([]);
		expect(tg.calls).toEqual([]);
	});
});
