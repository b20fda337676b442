/**
 * @module notify/telegramNotifier
 * Sends plain-text messages to one Telegram chat through the Bot API: `POST
 * <baseUrl>/bot<token>/sendMessage` with JSON `{chat_id, text, disable_web_page_preview}`
 * (https://core.telegram.org/bots/api#sendmessage). The base URL is a setting
 * (`TELEGRAM_API_BASE_URL`, default https://api.telegram.org) so a mirror or a loopback fake can
 * stand in. Text is sent without a parse mode: nothing in it needs escaping.
 *
 * Failures are named for what the caller does next, and never contain the bot token:
 * - 429 (flood control, `parameters.retry_after` seconds), 5xx, a network error or a timeout →
 *   `RetryableError` (send it again later);
 * - 400/401/403/404 (chat not found, bad token, bot blocked) → `OperatorError` (fix the settings).
 */
import { OperatorError, RetryableError } from '../errors.js';

export const DEFAULT_TELEGRAM_API_BASE_URL = 'https://api.telegram.org';
/** Telegram's limit on a message's text (characters after entity parsing). */
export const TELEGRAM_TEXT_LIMIT = 4096;

export interface TelegramNotifierOptions {
	baseUrl: string;
	botToken: string;
	chatId: string;
	timeoutMs?: number;
	fetch?: typeof fetch;
}

export interface Notifier {
	/** Where messages go, for logs (never the token). */
	readonly target: string;
	send(text: string): Promise<void>;
}

export function createTelegramNotifier(options: TelegramNotifierOptions): Notifier {
	const doFetch = options.fetch ?? fetch;
	const url = `${options.baseUrl.replace(/\/+$/, '')}/bot${options.botToken}/sendMessage`;
	return {
		target: `Telegram chat ${options.chatId}`,
		async send(text: string) {
			const body = JSON.stringify({ chat_id: options.chatId, text: text.length > TELEGRAM_TEXT_LIMIT ? `${text.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…` : text, disable_web_page_preview: true });
			let response: Response;
			try {
				response = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
			} catch (error) {
				const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs ?? 10_000} ms` : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
				throw new RetryableError(`Telegram sendMessage failed: ${reason}`);
			}
			const answer = (await response.json().catch(() => null)) as { ok?: boolean; description?: string; parameters?: { retry_after?: number } } | null;
			if (response.ok && answer?.ok === true) return;
			const description = answer?.description ?? `HTTP ${response.status}`;
			if (response.status === 429 || response.status >= 500) {
				const retryAfter = answer?.parameters?.retry_after;
				throw new RetryableError(`Telegram sendMessage failed: ${description}`, typeof retryAfter === 'number' ? retryAfter * 1000 : null);
			}
			throw new OperatorError(`Telegram sendMessage refused (${response.status}): ${description}; check TELEGRAM_BOT_TOKEN and the chat id`);
		},
	};
}
