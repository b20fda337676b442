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

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { splitText } from './sendMessage.operation';
import { telegramRequest } from '../transport';
import { authenticatedUpdate, isObject, requireMathServiceCredential, senderOf, webhookSecretTokenParameter } from '../telegramUpdate';

export const option = {
	name: 'Answer Command',
	value: 'answerCommand',
	description: 'Run an operator command (/status, /halt, /close …) in the math service and reply in the chat',
	action: 'Answer an operator command',
};

export const description: INodeProperties[] = [webhookSecretTokenParameter('answerCommand')];

/** The credential's Operator Chat IDs as a list (blank entries dropped). */
export function operatorChatIdsOf(value: unknown): string[] {
	return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const { json, credentials, update } = await authenticatedUpdate.call(this, itemIndex, 'commands are refused');
	const message = isObject(update.message) ? update.message : undefined;
	const chat = message && isObject(message.chat) ? message.chat : undefined;
	if (message === undefined || typeof message.text !== 'string' || chat?.id === undefined) {
		return { json: { ...json, command: { ignored: 'not a text message' } } };
	}
	const user = senderOf(message.from);

	await requireMathServiceCredential.call(this, itemIndex, 'Answer Command', 'the math service runs the command');
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
