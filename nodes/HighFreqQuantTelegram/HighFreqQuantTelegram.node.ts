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
		description: 'Send HighFreqQuant signal cards to Telegram, record the Executed/Skipped buttons and answer the operator’s commands',
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
				// Needed by Answer Button Press (records the press) and Answer Command; optional for Send Signal Card (chart).
				name: 'highFreqQuantApi',
				required: false,
				displayOptions: { show: { operation: ['answerButtonPress', 'answerCommand', 'sendSignalCard'] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
