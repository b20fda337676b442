import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loadSample } from './fakeServer';
import { callbackQueryUpdate, startFakeTelegram, type FakeTelegram } from './fakeTelegram';

const TOKEN = '7012345678:AAH-fake-token';

describe('fake Telegram Bot API', () => {
	let tg: FakeTelegram;
	const api = (method: string) => `${tg.url}/bot${TOKEN}/${method}`;
	const postJson = (method: string, body: unknown) =>
		fetch(api(method), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	beforeAll(async () => {
		tg = await startFakeTelegram({ tokens: [TOKEN] });
	});
	afterAll(() => tg.close());
	beforeEach(() => tg.reset());

	it('answers sendMessage with a Message echoing chat, text and buttons, and records the call', async () => {
		const request = loadSample<Record<string, unknown>>('telegram', 'sendMessage.request.json');
		const res = await postJson('sendMessage', request);
		const body = await res.json();
		expect(res.status).toBe(200);
		expect(body.ok).toBe(true);
		// Telegram answers the text after entity parsing: the sample response shows the request's HTML stripped
		const sampleResult = loadSample<{ result: { text: string } }>('telegram', 'sendMessage.response.json').result;
		expect(request.parse_mode).toBe('HTML');
		expect(body.result.text).toBe(sampleResult.text);
		expect(body.result.chat.id).toBe(request.chat_id);
		expect(body.result.reply_markup).toEqual(request.reply_markup);
		expect(tg.callsTo('sendMessage')).toHaveLength(1);
		expect(tg.calls[0]).toMatchObject({ token: TOKEN, method: 'sendMessage', status: 200 });
		expect(tg.calls[0].replyMarkup).toEqual(request.reply_markup);
	});

	it('records the bytes and fields of a multipart sendPhoto upload', async () => {
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
		const form = new FormData();
		form.set('chat_id', '123456789');
		form.set('caption', 'BTC/USDT long');
		form.set('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'Executed', callback_data: 'exec:42' }]] }));
		form.set('photo', new Blob([png], { type: 'image/png' }), 'chart.png');
		const res = await fetch(api('sendPhoto'), { method: 'POST', body: form });
		const body = await res.json();
		expect(res.status).toBe(200);
		expect(body.result.caption).toBe('BTC/USDT long');
		expect(body.result.photo.at(-1).file_size).toBe(png.length);
		const call = tg.callsTo('sendPhoto')[0];
		expect(call.contentType).toMatch(/^multipart\/form-data/);
		expect(call.fields).toMatchObject({ chat_id: '123456789', caption: 'BTC/USDT long' });
		expect(call.photo).toMatchObject({ size: png.length, filename: 'chart.png', contentType: 'image/png' });
		expect(call.photo!.bytes.equals(png)).toBe(true);
		expect(call.replyMarkup?.inline_keyboard?.[0][0].callback_data).toBe('exec:42');
	});

	it('answers 429 with parameters.retry_after once when told to, then succeeds', async () => {
		tg.failNext('sendMessage', 'flood_429', { retryAfter: 1 });
		const first = await postJson('sendMessage', { chat_id: 1, text: 'a' });
		expect(first.status).toBe(429);
		expect(await first.json()).toEqual({
			ok: false,
			error_code: 429,
			description: 'Too Many Requests: retry after 1',
			parameters: { retry_after: 1 },
		});
		const second = await postJson('sendMessage', { chat_id: 1, text: 'a' });
		expect(second.status).toBe(200);
		expect(tg.calls.map((call) => call.status)).toEqual([429, 200]);
	});

	it('serves 400 cases from errors.http.json and enforces the documented limits', async () => {
		tg.failNext('*', 'chat_not_found_400');
		const notFound = await postJson('sendMessage', { chat_id: 5, text: 'x' });
		expect(notFound.status).toBe(400);
		expect((await notFound.json()).description).toBe('Bad Request: chat not found');
		expect((await postJson('sendMessage', { chat_id: 5, text: 'x'.repeat(4097) })).status).toBe(400);
		expect((await postJson('sendMessage', { chat_id: 5, text: '' })).status).toBe(400);
		const longData = { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] };
		expect((await postJson('sendMessage', { chat_id: 5, text: 'ok', reply_markup: longData })).status).toBe(400);
		expect((await postJson('sendMessage', { chat_id: 5, text: 'x'.repeat(4096) })).status).toBe(200);
	});

	it('waits for calls that arrive later', async () => {
		const later = tg.waitForCalls('sendMessage', 2, 5000);
		await postJson('sendMessage', { chat_id: 1, text: 'one' });
		setTimeout(() => void postJson('sendMessage', { chat_id: 1, text: 'two' }), 50);
		expect((await later).map((call) => call.fields.text)).toEqual(['one', 'two']);
		await expect(tg.waitForCalls('sendPhoto', 1, 100)).rejects.toThrow('1 sendPhoto call(s)');
	});

	it('checks parse_mode HTML like Telegram and answers the plain text', async () => {
		const ok = await postJson('sendMessage', { chat_id: 1, text: '<b>BTC</b> &amp; ETH', parse_mode: 'HTML' });
		expect((await ok.json()).result.text).toBe('BTC & ETH');
		const bad = await postJson('sendMessage', { chat_id: 1, text: 'a<br>b', parse_mode: 'HTML' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "br"/);
		const long = await postJson('sendMessage', { chat_id: 1, text: `<b>${'x'.repeat(4096)}</b>`, parse_mode: 'HTML' });
		expect(long.status).toBe(200);
	});

	it('rejects an unknown bot token with 401', async () => {
		const res = await fetch(`${tg.url}/botWRONG/sendMessage?chat_id=1&text=hi`);
		expect(res.status).toBe(401);
		expect((await res.json()).description).toBe('Unauthorized');
	});

	it('accepts urlencoded answerCallbackQuery and editMessageReplyMarkup', async () => {
		const ack = await fetch(api('answerCallbackQuery'), {
			method: 'POST',
			body: new URLSearchParams({ callback_query_id: '589', text: 'Recorded' }),
		});
		expect(await ack.json()).toEqual({ ok: true, result: true });
		const edit = await postJson('editMessageReplyMarkup', { chat_id: 9, message_id: 77, reply_markup: { inline_keyboard: [] } });
		const body = await edit.json();
		expect(body.result).toMatchObject({ message_id: 77, chat: { id: 9 }, reply_markup: { inline_keyboard: [] } });
		expect(tg.callsTo('answerCallbackQuery')[0].fields).toEqual({ callback_query_id: '589', text: 'Recorded' });
	});

	it('serves pushed updates through getUpdates and drops those confirmed by offset', async () => {
		const id = tg.pushUpdate(callbackQueryUpdate({ data: 'exec:dec_1', messageId: 4242, chatId: 42 }));
		const all = await (await postJson('getUpdates', {})).json();
		expect(all.result).toHaveLength(1);
		expect(all.result[0].callback_query).toMatchObject({ data: 'exec:dec_1', message: { message_id: 4242, chat: { id: 42 } } });
		const after = await (await postJson('getUpdates', { offset: id + 1 })).json();
		expect(after.result).toEqual([]);
	});
});

describe('fake Telegram flood control (opt-in)', () => {
	it('answers 429 with retry_after when one chat gets more than the allowed sends per second', async () => {
		const tg = await startFakeTelegram({ rateLimit: { perChatPerSecond: 1, retryAfter: 2 } });
		try {
			const send = (chat: number) =>
				fetch(`${tg.url}/bot${TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: chat, text: 'x' }) });
			const statuses = [(await send(1)).status, (await send(1)).status, (await send(2)).status];
			expect(statuses).toEqual([200, 429, 200]);
			expect(tg.calls[1].response).toMatchObject({ error_code: 429, parameters: { retry_after: 2 } });
		} finally {
			await tg.close();
		}
	});
});
