/**
 * Parameters shared by the sending operations: the Chat ID, and the "Options" collection with
 * flood-control retry bounds (see transport.ts) and silent delivery.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport';

export function sendOptions(operation: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [
			{
				displayName: 'Disable Notification',
				name: 'disableNotification',
				type: 'boolean',
				default: false,
				description: 'Whether to deliver the message silently (no sound on the phone)',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 3, // DEFAULT_RETRY_POLICY.maxAttempts
				description:
					'Attempts in all when Telegram answers 429 Too Many Requests; the node waits the retry_after Telegram names between attempts',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30, // DEFAULT_RETRY_POLICY.maxRetryWaitSeconds
				description: 'Longest retry_after the node waits; a longer one fails the item at once',
			},
		],
	};
}

export function readSendOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): RetryPolicy & { disableNotification: boolean } {
	const options = this.getNodeParameter('options', itemIndex, {}) as Partial<
		RetryPolicy & { disableNotification: boolean }
	>;
	return {
		maxAttempts: Number(options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts),
		maxRetryWaitSeconds: Number(options.maxRetryWaitSeconds ?? DEFAULT_RETRY_POLICY.maxRetryWaitSeconds),
		disableNotification: options.disableNotification === true,
	};
}

/** The chat of the Chat ID parameter, or the credential's default chat. */
/** The Chat ID parameter of a sending operation; empty means the credential's Default Chat ID. */
export function chatIdProperty(operation: string, sends: string): INodeProperties {
	return {
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		placeholder: '123456789 or @my_channel',
		description: `Chat that receives the ${sends}. Empty = the Default Chat ID of the credential.`,
		displayOptions: { show: { operation: [operation] } },
	};
}

export function chatIdOr(parameter: string, credentialDefault: string | undefined): string {
	return parameter.trim() !== '' ? parameter.trim() : String(credentialDefault ?? '').trim();
}
