/**
 * Transport to the Telegram Bot API: the only code in this node that talks to Telegram.
 * `POST <baseUrl>/bot<token>/<method>` with a JSON body (or a multipart form for photo uploads).
 *
 * Telegram answers `{ok: true, result}` or `{ok: false, error_code, description, parameters?}`:
 * - 429 with `parameters.retry_after` (seconds): flood control. Wait that long and send again, at
 *   most `maxAttempts` attempts in all and never longer than `maxRetryWaitSeconds` per wait; past
 *   either bound → NodeApiError (retry later).
 * - other 4xx (chat not found, bad HTML, blocked by the user, bad token) → NodeOperationError with
 *   Telegram's description: fix the input or the credential.
 * - 5xx or no answer → NodeApiError.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export const TELEGRAM_CREDENTIAL = 'highFreqQuantTelegramApi';

export interface TelegramCredentials {
	accessToken: string;
	chatId?: string;
	baseUrl?: string;
	/** Telegram sends it with every update (Set Webhook's secret_token); Answer Button Press requires it. */
	webhookSecretToken?: string;
	/** Comma-separated chat ids whose operator commands the desk obeys (Answer Command). */
	operatorChatIds?: string;
}

export interface RetryPolicy {
	/** Attempts in all, the first included (default 3). */
	maxAttempts: number;
	/** Longest `retry_after` the node is willing to wait, in seconds (default 30). */
	maxRetryWaitSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, maxRetryWaitSeconds: 30 };

interface TelegramErrorBody {
	ok?: boolean;
	error_code?: number;
	description?: string;
	parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export async function telegramCredentials(this: IExecuteFunctions, itemIndex: number): Promise<TelegramCredentials> {
	return await this.getCredentials<TelegramCredentials>(TELEGRAM_CREDENTIAL, itemIndex);
}

/**
 * Calls one Bot API method and returns its `result`. `body` is JSON, or a `FormData` for uploads
 * (built fresh per attempt by `makeBody`, since a sent form cannot be sent again).
 */
export async function telegramRequest(
	this: IExecuteFunctions,
	method: string,
	makeBody: () => IDataObject | FormData,
	itemIndex: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<unknown> {
	const credentials = await telegramCredentials.call(this, itemIndex);
	const baseUrl = String(credentials.baseUrl || 'https://api.telegram.org').replace(/\/+$/, '');
	const url = `${baseUrl}/bot${credentials.accessToken}/${method}`;
	const safeUrl = `${baseUrl}/bot<token>/${method}`;
	const attempts = Math.max(1, Math.floor(policy.maxAttempts));

	for (let attempt = 1; ; attempt++) {
		const body = makeBody();
		const options: IHttpRequestOptions = {
			method: 'POST',
			url,
			body: body as IDataObject,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			...(body instanceof FormData ? {} : { json: true }),
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				TELEGRAM_CREDENTIAL,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
				itemIndex,
				message: `Telegram did not answer ${method}: ${(error as Error).message}`,
				description: `No answer from ${safeUrl}. Check the Bot API Base URL of the credential and the network.`,
			});
		}

		const parsed = parseBody(response.body);
		if (response.statusCode >= 200 && response.statusCode < 300 && parsed.ok === true) {
			return (parsed as { result?: unknown }).result;
		}

		const status = parsed.error_code ?? response.statusCode;
		const description = parsed.description ?? `HTTP ${response.statusCode}`;
		const retryAfter = parsed.parameters?.retry_after;
		if (status === 429) {
			const wait = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : 1;
			if (attempt < attempts && wait <= policy.maxRetryWaitSeconds) {
				await sleep(wait * 1000);
				continue;
			}
			throw new NodeApiError(this.getNode(), parsed as JsonObject, {
				itemIndex,
				httpCode: '429',
				message: `Telegram rate limit on ${method}: ${description}`,
				description:
					attempt >= attempts
						? `Still limited after ${attempts} attempts; send fewer messages per chat (about 1 per second) or retry later.`
						: `Telegram asked to wait ${wait} s, more than the ${policy.maxRetryWaitSeconds} s this node waits.`,
			});
		}
		if (status >= 400 && status < 500) {
			const migrated = parsed.parameters?.migrate_to_chat_id;
			throw new NodeOperationError(this.getNode(), `Telegram refused ${method}: ${description}`, {
				itemIndex,
				description: hintFor(status, migrated),
			});
		}
		throw new NodeApiError(this.getNode(), parsed as JsonObject, {
			itemIndex,
			httpCode: String(status),
			message: `Telegram failed on ${method} (HTTP ${response.statusCode}): ${description}`,
			description: 'A Telegram server error; the same request may succeed later.',
		});
	}
}

function parseBody(body: unknown): TelegramErrorBody & { result?: unknown } {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		const text = value;
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			return { ok: false, description: text.slice(0, 200) };
		}
	}
	if (value === null || typeof value !== 'object') return { ok: false };
	return value as TelegramErrorBody;
}

function hintFor(status: number, migrateToChatId: number | undefined): string {
	if (migrateToChatId !== undefined) return `The group became a supergroup: use chat ID ${migrateToChatId}.`;
	if (status === 401) return 'The bot token is wrong or revoked: fix the HighFreqQuant Telegram API credential.';
	if (status === 403) return 'The bot cannot write to this chat (blocked, removed or never started): open the chat and press Start.';
	if (status === 409) return 'Another webhook or poller is active for this bot.';
	return 'Check the chat ID and the message content.';
}
