import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** On-chain data from Glassnode (exchange netflow, SOPR, long-term-holder SOPR), stored point in time in HighFreqQuant. */
export class Glassnode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Glassnode',
		name: 'glassnode',
		icon: { light: 'file:glassnode.svg', dark: 'file:glassnode.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["assets"].join(", ") + " " + $parameter["interval"]}}',
		description: 'Fetch exchange netflow, SOPR and LTH-SOPR from Glassnode and store them point in time',
		defaults: {
			name: 'Glassnode',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'glassnodeApi', required: true },
			{ name: 'highFreqQuantApi', required: true, displayOptions: { show: { store: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
