import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** The risk monitor tick (every 10 s): stops, targets, time stops and the daily-drawdown halt; one output item per event. */
export class RiskMonitor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Risk Monitor',
		name: 'riskMonitor',
		icon: { light: 'file:riskMonitor.svg', dark: 'file:riskMonitor.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Close paper positions at their stop, target or time stop and halt entries after a daily drawdown; one item per event',
		defaults: {
			name: 'Risk Monitor',
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
