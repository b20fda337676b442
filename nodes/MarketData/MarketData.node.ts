import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** Exchange candles through the HighFreqQuant math service: sync closed bars, read the latest, the ticker. */
export class MarketData implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Market Data',
		name: 'marketData',
		icon: { light: 'file:marketData.svg', dark: 'file:marketData.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["exchange"]}}',
		description: 'Sync closed candles from Binance or Bybit into the math service and read candles and the latest price',
		defaults: {
			name: 'HighFreqQuant Market Data',
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
