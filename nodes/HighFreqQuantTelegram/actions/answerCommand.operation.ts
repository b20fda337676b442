/**
 * Answer Command: one Telegram update with a message from the operator (`/status`, `/pnl`,
 * `/positions`, `/halt`, `/halt flatten`, `/resume`, `/close SYMBOL`, `/help`) → the math service
 * runs it (`POST /v1/operator/command`) and the node sends its reply to the chat.
 *
 * Who is obeyed: the chats in the credential's Operator Chat IDs (sent with the command) or in the
 * service's TELEGRAM_OPERATOR_CHAT_IDS. The service refuses any other chat and logs it; the node
 * then sends nothing at all, so a stranger learns nothing about the bot.
 *
 * Every update must carry the webhook secret token (as for Answer Button Press); one without it is
 * refused before the service is called, so it changes nothing. Updates that are not a message
 * with text (a button press, an edited message) pass through with `command.ignored`, so this
 * operation and Answer Button Press can share one webhook.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_NAME, mathServiceRequest } from '../../shared/mathServiceTransport';
import { splitText } from './sendMessage.operation';
import { telegramCredentials, telegramRequest } from '../transport';
import { isObject, requireWebhookSecretToken, updateOf } from '../telegramUpdate';

export const option = {
	name: 'Answer Command',
	value: 'answerCommand',
	description: 'Run an operator command (/status, /halt, /close …) in the math service and reply in the chat',
	action: 'Answer an operator command',
};

const show = { show: { operation: ['answerCommand'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Webhook Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'The secret_token given to Set Webhook. Updates whose X-Telegram-Bot-Api-Secret-Token header differs are refused. Empty = the credential’s Webhook Secret Token.',
		displayOptions: show,
	},
];

/** The credential's Operator Chat IDs as a list (blank entries dropped). */
export function operatorChatIdsOf(value: unknown): string[] {
	return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const json = this.getInputData()[itemIndex].json;
	const credentials = await telegramCredentials.call(this, itemIndex);
	requireWebhookSecretToken.call(this, json, itemIndex, credentials.webhookSecretToken, 'commands are refused');
	const update = updateOf(json);
	const message = isObject(update.message) ? update.message : undefined;
	const chat = message && isObject(message.chat) ? message.chat : undefined;
	if (message === undefined || typeof message.text !== 'string' || chat?.id === undefined) {
		return { json: { ...json, command: { ignored: 'not a text message' } } };
	}
	const from = isObject(message.from) ? message.from : {};
	const user = from.username ? `@${String(from.username)}` : from.id !== undefined ? String(from.id) : null;

	try {
		await this.getCredentials(CREDENTIAL_NAME, itemIndex);
	} catch {
		throw new NodeOperationError(this.getNode(), 'Answer Command needs the HighFreqQuant API credential', {
			itemIndex,
			description: 'Select a HighFreqQuant API credential on this node: the math service runs the command.',
		});
	}
	const result = await mathServiceRequest.call(
		this,
		'POST',
		'/v1/operator/command',
		{ chat_id: String(chat.id), text: message.text, user, operator_chat_ids: operatorChatIdsOf(credentials.operatorChatIds) },
		itemIndex,
	);
	const reply = typeof result.reply === 'string' && result.reply !== '' ? result.reply : null;
	const messageIds: unknown[] = [];
	if (reply !== null) {
		for (const chunk of splitText(reply)) {
			const sent = (await telegramRequest.call(this, 'sendMessage', () => ({ chat_id: chat.id, text: chunk }), itemIndex)) as IDataObject | undefined;
			messageIds.push(sent?.message_id);
		}
	}
	return {
		json: {
			...json,
			command: {
				chat_id: String(chat.id),
				user,
				accepted: result.accepted === true,
				command: result.command ?? null,
				refused: result.refused ?? null,
				replied: reply !== null,
				message_ids: messageIds,
				outcome: result.outcome ?? null,
			},
		},
	};
}
