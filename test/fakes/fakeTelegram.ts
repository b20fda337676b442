// Loopback fake of the Telegram Bot API (https://core.telegram.org/bots/api): `/bot<token>/<method>`
// with parameters in the query string, urlencoded, JSON or multipart/form-data (photo uploads).
// Answers `{ok: true, result}` shaped like test/fixtures/api-samples/telegram/*.response.json, checks
// the documented limits (text 1-4096, caption 0-1024, callback_data 1-64 bytes) and can be told to
// fail the next calls with a case from telegram/errors.http.json (e.g. 429 with retry_after).
import type { ServerResponse } from 'node:http';

import { parseTelegramHtml } from './telegramHtml';
import { FailureQueue, loadErrors, loadSample, sendJson, startFakeServer, waitFor, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

export type TelegramErrorName =
	| 'flood_429'
	| 'chat_not_found_400'
	| 'bad_parse_mode_400'
	| 'callback_too_old_400'
	| 'group_migrated_400'
	| 'bad_token_401'
	| 'blocked_403'
	| 'webhook_conflict_409'
	| 'two_pollers_409'
	| (string & {});

export interface TelegramCall {
	method: string;
	token: string;
	httpMethod: string;
	contentType: string;
	/** All parameters: JSON values as sent, form values as strings. */
	fields: Record<string, unknown>;
	/** `reply_markup` parsed (form bodies carry it as a JSON string). */
	replyMarkup?: { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] };
	/** The uploaded photo of a multipart sendPhoto. */
	photo?: { size: number; filename: string; contentType: string; bytes: Buffer };
	/** HTTP status the fake answered. */
	status: number;
	response: unknown;
}

export interface FakeTelegram extends FakeBase {
	calls: TelegramCall[];
	/** Calls of one method (e.g. 'sendMessage'). */
	callsTo(method: string): TelegramCall[];
	/** Resolves with the calls of `method` once there are at least `count` (n8n may send after answering the webhook). */
	waitForCalls(method: string, count?: number, timeoutMs?: number): Promise<TelegramCall[]>;
	/** Fail the next `times` calls of `method` ('*' = any) with an errors.http.json case. */
	failNext(method: string, error: TelegramErrorName | SampleError, opts?: { times?: number; retryAfter?: number }): void;
	/** Updates served by getUpdates (update_id assigned when missing). */
	pushUpdate(update: Record<string, unknown>): number;
	/** The URL set by setWebhook ('' when none). */
	webhookUrl(): string;
	reset(): void;
}

const BOT_PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/;

function parseJsonField(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
}

function badRequest(description: string): SampleError {
	return { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${description}` } };
}

/**
 * @param opts.tokens if given, only these bot tokens are valid (others get 401).
 * @param opts.rateLimit opt-in flood control: more than `perChatPerSecond` sendMessage/sendPhoto to
 *   one chat within a second answers 429 with `retry_after` (default 1 s). Telegram: ~1 msg/s per chat.
 */
export async function startFakeTelegram(
	opts: { tokens?: string[]; rateLimit?: { perChatPerSecond: number; retryAfter?: number } } = {},
): Promise<FakeTelegram> {
	const errors = loadErrors('telegram');
	const messageSample = loadSample<{ result: Record<string, unknown> }>('telegram', 'sendMessage.response.json').result;
	const photoSample = loadSample<{ result: Record<string, unknown> }>('telegram', 'sendPhoto.response.json').result;
	const calls: TelegramCall[] = [];
	const failures = new FailureQueue<string, SampleError>();
	let updates: Record<string, unknown>[] = [];
	let nextUpdateId = 100_000_001;
	let nextMessageId = 1;
	let webhookUrl = '';
	const sendsByChat = new Map<string, number[]>();

	function message(fields: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
		const chatId = fields.chat_id;
		const numeric = typeof chatId === 'number' || /^-?\d+$/.test(String(chatId));
		return {
			message_id: nextMessageId++,
			from: messageSample.from,
			chat: numeric
				? { ...(messageSample.chat as object), id: Number(chatId) }
				: { id: -1_001_000_000_000, title: String(chatId).slice(1), username: String(chatId).slice(1), type: 'channel' },
			date: Math.floor(Date.now() / 1000),
			...extra,
		};
	}

	/** Text after entity parsing (HTML checked like Telegram does; other modes taken as plain text). */
	function parsed_(value: unknown, parseMode: unknown): { ok: true; text: string } | { ok: false; error: string } {
		const raw = value === undefined ? '' : String(value);
		return String(parseMode ?? '').toUpperCase() === 'HTML' ? parseTelegramHtml(raw) : { ok: true, text: raw };
	}

	/** Telegram's flood control (opt-in): more than `perChatPerSecond` sends to one chat within 1 s → 429. */
	function flooded(method: string, fields: Record<string, unknown>): SampleError | undefined {
		if (!opts.rateLimit || !['sendMessage', 'sendPhoto'].includes(method)) return undefined;
		const chat = String(fields.chat_id);
		const now = Date.now();
		const recent = (sendsByChat.get(chat) ?? []).filter((t) => now - t < 1000);
		if (recent.length >= opts.rateLimit.perChatPerSecond) {
			sendsByChat.set(chat, recent);
			const retryAfter = opts.rateLimit.retryAfter ?? 1;
			return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } } };
		}
		sendsByChat.set(chat, [...recent, now]);
		return undefined;
	}

	function validateMarkup(markup: TelegramCall['replyMarkup']): SampleError | undefined {
		for (const row of markup?.inline_keyboard ?? []) {
			for (const button of row) {
				if (button.callback_data !== undefined) {
					const bytes = Buffer.byteLength(button.callback_data);
					if (bytes < 1 || bytes > 64) return badRequest('BUTTON_DATA_INVALID');
				}
			}
		}
		return undefined;
	}

	function handleMethod(method: string, fields: Record<string, unknown>, call: TelegramCall): { status: number; body: unknown } {
		const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
		const err = (e: SampleError) => ({ status: e.status, body: e.body });
		const needsChat = ['sendMessage', 'sendPhoto', 'editMessageReplyMarkup'].includes(method) && fields.inline_message_id === undefined;
		if (needsChat && (fields.chat_id === undefined || fields.chat_id === '')) return err(badRequest('chat_id is empty'));
		const markupError = validateMarkup(call.replyMarkup);
		if (markupError) return err(markupError);
		switch (method) {
			case 'getMe':
				return ok(messageSample.from);
			case 'setWebhook':
				webhookUrl = fields.url === undefined ? '' : String(fields.url);
				return ok(true);
			case 'deleteWebhook':
				webhookUrl = '';
				return ok(true);
			case 'getWebhookInfo':
				return ok({ url: webhookUrl, has_custom_certificate: false, pending_update_count: updates.length });
			case 'sendMessage': {
				const parsed = parsed_(fields.text, fields.parse_mode);
				if (!parsed.ok) return err(badRequest(parsed.error));
				const text = parsed.text;
				if (text.trim().length === 0) return err(badRequest('message text is empty'));
				if (text.length > 4096) return err(badRequest('message is too long'));
				return ok(message(fields, { text, ...(call.replyMarkup ? { reply_markup: call.replyMarkup } : {}) }));
			}
			case 'sendPhoto': {
				const parsedCaption = fields.caption === undefined ? undefined : parsed_(fields.caption, fields.parse_mode);
				if (parsedCaption && !parsedCaption.ok) return err(badRequest(parsedCaption.error));
				const caption = parsedCaption?.ok ? parsedCaption.text : undefined;
				if (caption !== undefined && caption.length > 1024) return err(badRequest('message caption is too long'));
				if (!call.photo && (fields.photo === undefined || fields.photo === '')) return err(badRequest('there is no photo in the request'));
				const sizes = (photoSample.photo as Record<string, unknown>[]).map((size, i, all) =>
					i === all.length - 1 && call.photo ? { ...size, file_size: call.photo.size } : size,
				);
				return ok(
					message(fields, {
						photo: sizes,
						...(caption !== undefined ? { caption } : {}),
						...(call.replyMarkup ? { reply_markup: call.replyMarkup } : {}),
					}),
				);
			}
			case 'answerCallbackQuery': {
				if (fields.callback_query_id === undefined || fields.callback_query_id === '') return err(badRequest('query_id is empty'));
				if (fields.text !== undefined && [...String(fields.text)].length > 200) return err(badRequest('MESSAGE_TOO_LONG'));
				return ok(true);
			}
			case 'editMessageReplyMarkup': {
				if (fields.inline_message_id !== undefined) return ok(true);
				if (fields.message_id === undefined) return err(badRequest('message identifier is not specified'));
				return ok({
					...message(fields, { reply_markup: call.replyMarkup ?? { inline_keyboard: [] } }),
					message_id: Number(fields.message_id),
					edit_date: Math.floor(Date.now() / 1000),
				});
			}
			case 'getUpdates': {
				if (webhookUrl) return err(errors.webhook_conflict_409);
				const offset = fields.offset === undefined ? undefined : Number(fields.offset);
				if (offset !== undefined) updates = updates.filter((u) => Number(u.update_id) >= offset); // confirms earlier updates
				const limit = Math.min(100, Math.max(1, fields.limit === undefined ? 100 : Number(fields.limit)));
				return ok(updates.slice(0, limit));
			}
			default:
				return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
		}
	}

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const match = BOT_PATH.exec(req.path);
		if (!match) {
			sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
			return;
		}
		const [, token, method] = match;
		const bodyFields = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
		const fields: Record<string, unknown> = { ...req.query, ...bodyFields };
		const upload = req.files.find((file) => file.field === 'photo');
		const call: TelegramCall = {
			method,
			token,
			httpMethod: req.method,
			contentType: req.contentType,
			fields,
			replyMarkup: fields.reply_markup === undefined ? undefined : (parseJsonField(fields.reply_markup) as TelegramCall['replyMarkup']),
			photo: upload ? { size: upload.size, filename: upload.filename, contentType: upload.contentType, bytes: upload.bytes } : undefined,
			status: 0,
			response: undefined,
		};
		let answer: { status: number; body: unknown };
		const injected = failures.take(method);
		if (opts.tokens && !opts.tokens.includes(token)) answer = { status: 401, body: errors.bad_token_401.body };
		else if (injected) answer = { status: injected.status, body: injected.body };
		else {
			const flood = flooded(method, fields);
			answer = flood ? { status: flood.status, body: flood.body } : handleMethod(method, fields, call);
		}
		call.status = answer.status;
		call.response = answer.body;
		calls.push(call);
		sendJson(res, answer.status, answer.body);
	});

	return {
		...base,
		calls,
		callsTo: (method) => calls.filter((call) => call.method === method),
		waitForCalls: (method, count = 1, timeoutMs = 10_000) =>
			waitFor(
				() => {
					const found = calls.filter((call) => call.method === method);
					return found.length >= count ? found : undefined;
				},
				{ timeoutMs, what: `${count} ${method} call(s) on the Telegram fake` },
			),
		failNext(method, error, { times = 1, retryAfter } = {}) {
			let sample: SampleError;
			if (typeof error === 'string') {
				if (!errors[error]) throw new Error(`telegram/errors.http.json has no case "${error}" (has ${Object.keys(errors).join(', ')})`);
				sample = structuredClone(errors[error]);
			} else sample = structuredClone(error);
			const body = sample.body as { description?: string; parameters?: { retry_after?: number } };
			if (retryAfter !== undefined && body.parameters?.retry_after !== undefined) {
				body.parameters.retry_after = retryAfter;
				body.description = `Too Many Requests: retry after ${retryAfter}`;
			}
			failures.add(method, sample, times);
		},
		pushUpdate(update) {
			const id = typeof update.update_id === 'number' ? update.update_id : nextUpdateId++;
			updates.push({ ...update, update_id: id });
			return id;
		},
		webhookUrl: () => webhookUrl,
		reset() {
			calls.length = 0;
			base.requests.length = 0;
			failures.clear();
			updates = [];
			sendsByChat.clear();
		},
	};
}

/**
 * An Update carrying a button press (callback_query) on a message the bot sent, shaped like the
 * callback_query in telegram/getUpdates.response.json. POST it to a webhook workflow or
 * `pushUpdate` it for getUpdates.
 */
export function callbackQueryUpdate(opts: {
	data: string;
	messageId: number;
	chatId: number;
	updateId?: number;
	callbackQueryId?: string;
}): Record<string, unknown> {
	const sample = loadSample<{ result: { callback_query?: Record<string, unknown> }[] }>('telegram', 'getUpdates.response.json').result.find(
		(update) => update.callback_query,
	)!.callback_query as Record<string, unknown> & { message: Record<string, unknown> & { chat: Record<string, unknown> } };
	return {
		update_id: opts.updateId ?? 905_400_000 + (opts.messageId % 100_000),
		callback_query: {
			...sample,
			id: opts.callbackQueryId ?? String(5_892_716_439_201_000_000n + BigInt(opts.messageId)),
			data: opts.data,
			message: { ...sample.message, message_id: opts.messageId, chat: { ...sample.message.chat, id: opts.chatId } },
		},
	};
}

/**
 * An Update carrying a text message (a command such as `/halt flatten`) from a user in a private
 * chat, shaped like the message in telegram/getUpdates.response.json (bot_command entity included
 * when the text starts with `/`).
 */
export function commandMessageUpdate(opts: { text: string; chatId: number; userId?: number; username?: string; updateId?: number; messageId?: number }): Record<string, unknown> {
	const sample = loadSample<{ result: { message?: Record<string, unknown> }[] }>('telegram', 'getUpdates.response.json').result.find((update) => update.message)!
		.message as Record<string, unknown> & { from: Record<string, unknown>; chat: Record<string, unknown> };
	const messageId = opts.messageId ?? 4_300 + Math.floor(Math.random() * 100_000);
	const command = /^\/\S+/.exec(opts.text)?.[0];
	return {
		update_id: opts.updateId ?? 905_500_000 + messageId,
		message: {
			...sample,
			message_id: messageId,
			from: { ...sample.from, id: opts.userId ?? opts.chatId, username: opts.username ?? sample.from.username },
			chat: { ...sample.chat, id: opts.chatId },
			text: opts.text,
			entities: command ? [{ offset: 0, length: command.length, type: 'bot_command' }] : [],
		},
	};
}
