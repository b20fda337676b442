import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** The composite alpha score 0–100 (technical, on-chain, sentiment, custom) from the HighFreqQuant math service. */
export class AlphaScore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Alpha Score',
		name: 'alphaScore',
		icon: { light: 'file:alphaScore.svg', dark: 'file:alphaScore.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["symbols"] || "whitelist"}}',
		description: 'Score symbols 0–100 from technical, on-chain and sentiment data',
		defaults: {
			name: 'Alpha Score',
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
