import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** Kelly sizing and Value at Risk from the HighFreqQuant math service; the math decides. */
export class RiskSizer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Risk Sizer',
		name: 'riskSizer',
		icon: { light: 'file:riskSizer.svg', dark: 'file:riskSizer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Size positions with fractional Kelly and measure Value at Risk with the HighFreqQuant math service',
		defaults: {
			name: 'Risk Sizer',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'highFreqQuantApi',
				required: true,
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
