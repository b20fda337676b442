/**
 * Send Message: plain text or HTML to a chat (backtest summaries, daily reports). Plain text
 * longer than Telegram's 4096 characters is split at line breaks into several messages, in
 * order; formatted text (HTML, MarkdownV2) cannot be split safely and must fit in one message.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MESSAGE_LIMIT } from '../signalCard';
import { telegramCredentials, telegramRequest } from '../transport';
import { chatIdOr, readSendOptions, sendOptions } from './retryOptions';

export const option = {
	name: 'Send Message',
	value: 'sendMessage',
	description: 'Send a text message, e.g. a backtest summary',
	action: 'Send a text message',
};

const show = { show: { operation: ['sendMessage'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		placeholder: '123456789 or @my_channel',
		description: 'Chat that receives the message. Empty = the Default Chat ID of the credential.',
		displayOptions: show,
	},
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
	const messageIds: unknown[] = [];
	for (const chunk of splitText(text)) {
		const result = (await telegramRequest.call(
			this,
			'sendMessage',
			() => ({
				chat_id: chatId,
				text: chunk,
				...(parseMode === 'none' ? {} : { parse_mode: parseMode }),
				...(options.disableNotification ? { disable_notification: true } : {}),
			}),
			itemIndex,
			options,
		)) as IDataObject;
		messageIds.push(result?.message_id);
	}
	return { json: { ...json, telegram: { sent: true, method: 'sendMessage', chat_id: chatId, message_ids: messageIds } } };
}
