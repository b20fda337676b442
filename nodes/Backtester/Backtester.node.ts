import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** Backtests and parameter sweeps of the VWAP mean-reversion strategy on the HighFreqQuant math service. */
export class Backtester implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Backtester',
		name: 'backtester',
		icon: { light: 'file:backtester.svg', dark: 'file:backtester.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["symbol"] + " " + $parameter["timeframe"]}}',
		description: 'Backtest the VWAP mean-reversion strategy on stored candles and check the KPI gates',
		defaults: {
			name: 'HighFreqQuant Backtester',
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
