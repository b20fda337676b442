import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** News and vote-based sentiment from CryptoPanic, snapshotted point in time in HighFreqQuant (the panic switch reads it). */
export class CryptoPanic implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant CryptoPanic',
		name: 'cryptoPanic',
		icon: { light: 'file:cryptoPanic.svg', dark: 'file:cryptoPanic.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["currencies"]}}',
		description: 'Fetch CryptoPanic news and snapshot sentiment and panic scores per currency',
		defaults: {
			name: 'CryptoPanic',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cryptoPanicApi', required: true },
			{ name: 'highFreqQuantApi', required: true, displayOptions: { show: { store: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
