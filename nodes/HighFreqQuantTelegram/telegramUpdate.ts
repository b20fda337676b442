/**
 * One Telegram update as an n8n item, and the proof that Telegram sent it. A Webhook node's item
 * carries the update in `body` and the request headers in `headers`; a Telegram Trigger's item is
 * the update itself. Every update must carry the webhook secret token (the node parameter, else the
 * credential's Webhook Secret Token) in `X-Telegram-Bot-Api-Secret-Token`, compared in constant time
 * (webhookSecretToken); without a configured token every update is refused. Answer Button Press
 * and Answer Command both check it first, so a refused update changes nothing.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../shared/mathServiceTransport';
import { telegramCredentials, type TelegramCredentials } from './transport';
import { resolveSecretToken, secretTokenMatches } from './webhookSecretToken';

/** The Webhook Secret Token parameter of an operation that answers Telegram updates. */
export function webhookSecretTokenParameter(operation: string): INodeProperties {
	return {
		displayName: 'Webhook Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'The secret_token given to Set Webhook. Updates whose X-Telegram-Bot-Api-Secret-Token header differs are refused. Empty = the credential’s Webhook Secret Token.',
		displayOptions: { show: { operation: [operation] } },
	};
}

export interface AuthenticatedUpdate {
	/** The item as it came in (passed through in the output). */
	json: IDataObject;
	credentials: TelegramCredentials;
	update: IDataObject;
}

/**
 * The item's update once its secret token has been checked: throws NodeOperationError (nothing
 * done) when the token is missing or wrong; `refused` names what is refused ("commands are refused").
 */
export async function authenticatedUpdate(this: IExecuteFunctions, itemIndex: number, refused: string): Promise<AuthenticatedUpdate> {
	const json = this.getInputData()[itemIndex].json;
	const credentials = await telegramCredentials.call(this, itemIndex);
	requireWebhookSecretToken.call(this, json, itemIndex, credentials.webhookSecretToken, refused);
	return { json, credentials, update: updateOf(json) };
}

/** How a sender is named in records: `@username`, else the numeric id, else null. */
export function senderOf(from: unknown): string | null {
	if (!isObject(from)) return null;
	if (from.username) return `@${String(from.username)}`;
	return from.id !== undefined ? String(from.id) : null;
}

/** Throws NodeOperationError unless the node has a HighFreqQuant API credential (`purpose` says why it needs one). */
export async function requireMathServiceCredential(
	this: IExecuteFunctions,
	itemIndex: number,
	operationName: string,
	purpose: string,
): Promise<void> {
	try {
		await this.getCredentials(CREDENTIAL_NAME, itemIndex);
	} catch {
		throw new NodeOperationError(this.getNode(), `${operationName} needs the HighFreqQuant API credential`, {
			itemIndex,
			description: `Select a HighFreqQuant API credential on this node: ${purpose}.`,
		});
	}
}

export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The Telegram update of an item: a Webhook item's body, or the item itself. */
export function updateOf(json: IDataObject): IDataObject {
	const body = json.body;
	if (isObject(body) && (body.update_id !== undefined || body.callback_query !== undefined || body.message !== undefined)) return body;
	return json;
}

export function headerOf(json: IDataObject, name: string): string | undefined {
	const headers = json.headers;
	if (!isObject(headers)) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined ? undefined : String(value);
}

/** Throws NodeOperationError unless the item's update carries the webhook secret token in force. */
export function requireWebhookSecretToken(
	this: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
	credentialToken: unknown,
	refused: string,
): void {
	const secret = resolveSecretToken(this.getNodeParameter('secretToken', itemIndex, ''), credentialToken);
	if (secret === '') {
		throw new NodeOperationError(this.getNode(), `No webhook secret token is configured: ${refused}`, {
			itemIndex,
			description: 'Fill in Webhook Secret Token on the HighFreqQuant Telegram credential (npm start does it), then run Set Webhook with it.',
		});
	}
	if (!secretTokenMatches(headerOf(json, 'x-telegram-bot-api-secret-token'), secret)) {
		throw new NodeOperationError(this.getNode(), 'The update does not carry the webhook secret token', {
			itemIndex,
			description: 'Only Telegram, set up with Set Webhook and the same secret token, may call this workflow. Nothing was done.',
		});
	}
}
