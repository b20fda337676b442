/**
 * Send Message: plain text or HTML to a chat (backtest summaries, daily reports). Plain text
 * longer than Telegram's 4096 characters is split at line breaks into several messages, in
 * order; formatted text (HTML, MarkdownV2) cannot be split safely and must fit in one message.
 *
 * With a Photo Binary Property (e.g. `equity` from the Backtester) and that binary on the item,
 * the image goes first, as a multipart sendPhoto with the text as caption. Telegram allows 1024
 * caption characters: longer plain text is cut at the last line break within them, the caption
 * holds the first part and the rest follows as message(s) (nothing sent twice); longer formatted
 * text goes whole in a message after a photo without caption. A photo Telegram refuses (4xx) does
 * not stop the report: the text goes out as a message and `telegram.photo_error` says why. An
 * item without that binary gets the plain text message.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/nodeError';
import { CAPTION_LIMIT, MESSAGE_LIMIT } from '../signalCard';
import { telegramCredentials, telegramRequest } from '../transport';
import { type PhotoFile, photoForm, readBinaryPhoto } from './photoUpload';
import { chatIdOr, chatIdProperty, readSendOptions, sendOptions } from './retryOptions';

export const option = {
	name: 'Send Message',
	value: 'sendMessage',
	description: 'Send a text message, e.g. a backtest summary',
	action: 'Send a text message',
};

const show = { show: { operation: ['sendMessage'] } };

export const description: INodeProperties[] = [
	chatIdProperty('sendMessage', 'message'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The message. Plain text longer than 4096 characters is sent as several messages.',
		displayOptions: show,
	},
	{
		displayName: 'Parse Mode',
		name: 'parseMode',
		type: 'options',
		options: [
			{ name: 'HTML', value: 'HTML', description: 'Telegram HTML: <b>, <i>, <code>, <a href>; escape &, <, >' },
			{ name: 'MarkdownV2', value: 'MarkdownV2', description: 'Telegram MarkdownV2' },
			{ name: 'None', value: 'none', description: 'Plain text, shown as written' },
		],
		default: 'none',
		displayOptions: show,
	},
	{
		displayName: 'Photo Binary Property',
		name: 'photoBinaryProperty',
		type: 'string',
		default: '',
		placeholder: 'e.g. equity',
		description:
			'Binary property holding an image (PNG/JPEG) to send with the text as its caption, e.g. "equity" from the Backtester. Empty, or missing on the item = text only. Captions are limited to 1024 characters; the rest follows as a message.',
		displayOptions: show,
	},
	sendOptions('sendMessage'),
];

/** Splits text into chunks of at most `limit` UTF-16 units, preferring line breaks, never inside a surrogate pair. */
export function splitText(text: string, limit: number = MESSAGE_LIMIT): string[] {
	const chunks: string[] = [];
	let rest = text;
	while (rest.length > limit) {
		let cut = rest.lastIndexOf('\n', limit);
		if (cut <= 0) cut = limit;
		if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
		chunks.push(rest.slice(0, cut));
		rest = rest.slice(rest[cut] === '\n' ? cut + 1 : cut);
	}
	if (rest.length > 0) chunks.push(rest);
	return chunks;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const json = this.getInputData()[itemIndex].json;
	const credentials = await telegramCredentials.call(this, itemIndex);
	const chatId = chatIdOr(this.getNodeParameter('chatId', itemIndex, '') as string, credentials.chatId);
	if (chatId === '') {
		throw new NodeOperationError(this.getNode(), 'No chat to send to', {
			itemIndex,
			description: 'Set Chat ID on the node or Default Chat ID on the HighFreqQuant Telegram API credential.',
		});
	}
	const text = String(this.getNodeParameter('text', itemIndex, ''));
	if (text.trim() === '') throw new NodeOperationError(this.getNode(), 'The Text is empty', { itemIndex });
	const parseMode = this.getNodeParameter('parseMode', itemIndex, 'none') as string;
	if (parseMode !== 'none' && text.length > MESSAGE_LIMIT) {
		throw new NodeOperationError(this.getNode(), `The formatted text is ${text.length} characters; Telegram allows ${MESSAGE_LIMIT}`, {
			itemIndex,
			description: 'Shorten it, or set Parse Mode to None so the node can split it into several messages.',
		});
	}
	const options = readSendOptions.call(this, itemIndex);
	const common: IDataObject = {
		chat_id: chatId,
		...(parseMode === 'none' ? {} : { parse_mode: parseMode }),
		...(options.disableNotification ? { disable_notification: true } : {}),
	};
	const send = async (method: string, makeBody: () => IDataObject | FormData) =>
		((await telegramRequest.call(this, method, makeBody, itemIndex, options)) as IDataObject | undefined)?.message_id;

	const property = this.getNodeParameter('photoBinaryProperty', itemIndex, '') as string;
	const photo = await readBinaryPhoto.call(this, itemIndex, this.getInputData()[itemIndex], property, 'image.png');
	const messageIds: unknown[] = [];
	let rest = text;
	let photoError: string | undefined;
	if (photo !== undefined) {
		const { caption, after } = splitCaption(text, parseMode);
		try {
			messageIds.push(await send('sendPhoto', () => photoForm({ ...common, caption }, photo as PhotoFile)));
			rest = after;
		} catch (error) {
			// A refused image must not cost the report; rate limits and outages fail the item.
			if ((error as Error).name !== 'NodeOperationError') throw asNodeError(this.getNode(), error, itemIndex);
			photoError = `photo not sent: ${(error as Error).message}`;
		}
	}
	for (const chunk of rest === '' ? [] : splitText(rest)) {
		messageIds.push(await send('sendMessage', () => ({ ...common, text: chunk })));
	}
	const sentPhoto = photo !== undefined && photoError === undefined;
	return {
		json: {
			...json,
			telegram: {
				sent: true,
				method: sentPhoto ? 'sendPhoto' : 'sendMessage',
				chat_id: chatId,
				message_ids: messageIds,
				photo: sentPhoto ? property.trim() : 'none',
				...(photoError ? { photo_error: photoError } : {}),
			},
		},
	};
}

/**
 * Length of a form field as sent: multipart form encoding turns every line break into CRLF, so a
 * caption is measured with line breaks counted twice (Telegram may drop the CRs; this stays safe).
 */
export function formFieldLength(text: string): number {
	return text.replace(/\r\n|\r|\n/g, '\r\n').length;
}

/**
 * The caption of a photo and the text that follows it in messages. Fits 1024 characters (as sent,
 * see {@link formFieldLength}): all in the caption. Plain text over that: the caption is its first
 * chunk (cut at a line break), the rest follows. Formatted text over that (cannot be cut safely):
 * no caption, all of it follows.
 */
export function splitCaption(text: string, parseMode: string): { caption: string | undefined; after: string } {
	if (formFieldLength(text) <= CAPTION_LIMIT) return { caption: text, after: '' };
	if (parseMode !== 'none') return { caption: undefined, after: text };
	// The longest first chunk that fits as sent (a line break costs 2 there): try shorter cuts.
	let caption = '';
	for (let limit = CAPTION_LIMIT; limit > 0 && caption === ''; limit--) {
		const chunk = splitText(text.slice(0, limit + 1), limit)[0];
		if (formFieldLength(chunk) <= CAPTION_LIMIT) caption = chunk;
	}
	const after = text.slice(caption.length);
	return { caption, after: after.startsWith('\n') ? after.slice(1) : after };
}
