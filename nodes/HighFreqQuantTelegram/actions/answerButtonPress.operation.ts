/**
 * Answer Button Press: one Telegram update (from a Webhook node: the update is the item's `body`;
 * from a Telegram Trigger: the item itself) → the press of "✅ Executed" / "⏭ Skipped" is recorded
 * against its decision in the math service (`POST /v1/decisions/:id/callbacks`), the user's client
 * gets its answer (answerCallbackQuery, which stops the button's spinner) and the card's buttons
 * are replaced by one that shows the recorded choice (editMessageReplyMarkup).
 *
 * Updates that are not an `hfq:` button press (a chat message, another bot's button) pass through
 * with `button.ignored` set, so the webhook still answers 200 and Telegram does not redeliver.
 * A press the service refuses (unknown decision, 4xx) is answered with the reason, not thrown.
 *
 * Every update must carry the webhook secret token (this node's parameter, else the credential's
 * Webhook Secret Token) in `X-Telegram-Bot-Api-Secret-Token`, compared in constant time; without a
 * configured token every update is refused. A refused update changes nothing: nothing is
 * recorded, answered or edited.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { asNodeError } from '../../shared/nodeError';
import { formatCallbackData, parseCallbackData } from '../callbackData';
import { telegramRequest } from '../transport';
import { authenticatedUpdate, isObject, requireMathServiceCredential, senderOf, webhookSecretTokenParameter } from '../telegramUpdate';

export const option = {
	name: 'Answer Button Press',
	value: 'answerButtonPress',
	description: 'Record an Executed/Skipped press against its decision and answer it in Telegram',
	action: 'Answer a button press',
};

export const description: INodeProperties[] = [webhookSecretTokenParameter('answerButtonPress')];

const LABELS: Record<string, string> = { executed: '✅ Executed', skipped: '⏭ Skipped' };

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const { json, update } = await authenticatedUpdate.call(this, itemIndex, 'button presses are refused');
	const query = update.callback_query;
	if (!isObject(query)) return { json: { ...json, button: { ignored: 'not a callback_query update' } } };

	const callbackId = String(query.id ?? '');
	const parsed = parseCallbackData(query.data);
	const message = isObject(query.message) ? query.message : undefined;
	const chat = message && isObject(message.chat) ? message.chat : undefined;
	const user = senderOf(query.from) ?? 'unknown';

	if (parsed === null) {
		await answer.call(this, itemIndex, callbackId, 'This button is not a HighFreqQuant signal button');
		return { json: { ...json, button: { ignored: 'not an hfq button', data: query.data ?? null } } };
	}
	if (parsed.action === 'done') {
		await answer.call(this, itemIndex, callbackId, 'Already recorded');
		return { json: { ...json, button: { decision_id: parsed.decisionId, action: 'done', recorded: false } } };
	}

	await requireMathServiceCredential.call(this, itemIndex, 'Answer Button Press', 'the press is recorded in the math service');
	let service: IDataObject;
	try {
		service = await mathServiceRequest.call(
			this,
			'POST',
			`/v1/decisions/${encodeURIComponent(parsed.decisionId)}/callbacks`,
			{ action: parsed.action, user, callback_query_id: callbackId === '' ? null : callbackId, raw: update },
			itemIndex,
		);
	} catch (error) {
		if ((error as Error).name === 'NodeOperationError') {
			const reason = (error as Error).message.replace(/^The math service rejected the input: /, '');
			await answer.call(this, itemIndex, callbackId, `Not recorded: ${reason}`.slice(0, 200));
			return {
				json: { ...json, button: { decision_id: parsed.decisionId, action: parsed.action, recorded: false, reason } },
			};
		}
		await answer.call(this, itemIndex, callbackId, 'Not recorded: the math service is unavailable, press again later');
		throw asNodeError(this.getNode(), error, itemIndex);
	}

	const recordedAction = typeof service.action === 'string' && LABELS[service.action] ? service.action : parsed.action;
	await answer.call(this, itemIndex, callbackId, `Recorded: ${LABELS[recordedAction]}`);
	let markupEdited = false;
	if (chat?.id !== undefined && message?.message_id !== undefined) {
		await telegramRequest.call(
			this,
			'editMessageReplyMarkup',
			() => ({
				chat_id: chat.id,
				message_id: message.message_id,
				reply_markup: {
					inline_keyboard: [
						[{ text: `${LABELS[recordedAction]} · ${user}`, callback_data: formatCallbackData('done', parsed.decisionId) }],
					],
				},
			}),
			itemIndex,
		);
		markupEdited = true;
	}
	return {
		json: {
			...json,
			button: {
				decision_id: parsed.decisionId,
				action: recordedAction,
				user,
				recorded: true,
				markup_edited: markupEdited,
				service,
			},
		},
	};
}

async function answer(this: IExecuteFunctions, itemIndex: number, callbackId: string, text: string): Promise<void> {
	if (callbackId === '') return;
	await telegramRequest.call(this, 'answerCallbackQuery', () => ({ callback_query_id: callbackId, text }), itemIndex);
}
