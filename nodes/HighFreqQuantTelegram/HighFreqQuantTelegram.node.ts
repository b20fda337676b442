import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** Signal cards, button presses and messages through a Telegram bot, for HighFreqQuant decisions. */
export class HighFreqQuantTelegram implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Telegram',
		name: 'highFreqQuantTelegram',
		icon: { light: 'file:highFreqQuantTelegram.svg', dark: 'file:highFreqQuantTelegram.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Send HighFreqQuant signal cards to Telegram and record the Executed/Skipped buttons',
		defaults: {
			name: 'HighFreqQuant Telegram',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'highFreqQuantTelegramApi',
				required: true,
			},
			{
				// Needed by Answer Button Press (records the press); optional for Send Signal Card (chart).
				name: 'highFreqQuantApi',
				required: false,
				displayOptions: { show: { operation: ['answerButtonPress', 'sendSignalCard'] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
