import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** The operator's desk in the HighFreqQuant math service: status, the kill switch, manual closes, the daily report. */
export class DeskControl implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Desk Control',
		name: 'deskControl',
		icon: { light: 'file:deskControl.svg', dark: 'file:deskControl.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Halt or resume the trading desk, close positions, read its status and daily report',
		defaults: {
			name: 'Desk Control',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'highFreqQuantApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
