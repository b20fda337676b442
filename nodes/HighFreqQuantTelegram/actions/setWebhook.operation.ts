/**
 * Set Webhook: points the bot's updates (button presses and the operator's command messages) at an n8n production webhook URL, e.g.
 * `https://n8n.example.com/webhook/telegram` of the "HighFreqQuant: Telegram buttons" workflow.
 * Telegram only calls HTTPS URLs on ports 443, 80, 88 or 8443; while a webhook is set, getUpdates
 * (and n8n's Telegram Trigger on the same bot) cannot be used. An empty URL removes the webhook.
 *
 * The webhook is always set with a secret token (this node's, else the credential's Webhook Secret
 * Token): Answer Button Press and Answer Command refuse updates without it, so a webhook without one would record
 * nothing, and one that let anyone post presses would be worse.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { telegramCredentials, telegramRequest } from '../transport';
import { resolveSecretToken, SECRET_TOKEN_PATTERN } from '../webhookSecretToken';

export const option = {
	name: 'Set Webhook',
	value: 'setWebhook',
	description: 'Send the bot’s button presses to an n8n webhook URL',
	action: 'Set the bot webhook',
};

const show = { show: { operation: ['setWebhook'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/telegram',
		description:
			'Production URL of the button workflow’s Webhook node (HTTPS, port 443, 80, 88 or 8443). Empty = delete the webhook.',
		displayOptions: show,
	},
	{
		displayName: 'Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Sent by Telegram in the X-Telegram-Bot-Api-Secret-Token header of every update (1-256 of A-Z, a-z, 0-9, _ and -). Empty = the credential’s Webhook Secret Token. Answer Button Press must use the same value.',
		displayOptions: show,
	},
	{
		displayName: 'Drop Pending Updates',
		name: 'dropPendingUpdates',
		type: 'boolean',
		default: false,
		description: 'Whether to discard the presses Telegram has queued while no webhook was set',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const json = this.getInputData()[itemIndex].json;
	const url = (this.getNodeParameter('webhookUrl', itemIndex, '') as string).trim();
	const credentials = await telegramCredentials.call(this, itemIndex);
	const secretToken = resolveSecretToken(this.getNodeParameter('secretToken', itemIndex, ''), credentials.webhookSecretToken);
	if (url !== '' && !SECRET_TOKEN_PATTERN.test(secretToken)) {
		throw new NodeOperationError(
			this.getNode(),
			secretToken === '' ? 'Set Webhook needs a secret token' : 'The secret token may only contain A-Z, a-z, 0-9, _ and - (1-256 characters)',
			{
				itemIndex,
				description:
					'Fill in Webhook Secret Token on the HighFreqQuant Telegram credential (npm start does it) or Secret Token here: Answer Button Press refuses presses that do not carry it.',
			},
		);
	}
	const dropPendingUpdates = this.getNodeParameter('dropPendingUpdates', itemIndex, false) as boolean;
	const method = url === '' ? 'deleteWebhook' : 'setWebhook';
	const result = await telegramRequest.call(
		this,
		method,
		() => ({
			...(url === '' ? {} : { url, allowed_updates: ['callback_query', 'message'] }),
			...(url !== '' ? { secret_token: secretToken } : {}),
			...(dropPendingUpdates ? { drop_pending_updates: true } : {}),
		}),
		itemIndex,
	);
	return { json: { ...json, telegram: { method, url, result: result as boolean } } };
}
