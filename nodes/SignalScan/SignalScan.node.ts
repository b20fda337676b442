import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

/** The signal scan (every minute after the candle close): VWAP mean reversion and alpha threshold over stored candles, decided like TradingView alerts. */
export class SignalScan implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighFreqQuant Signal Scan',
		name: 'signalScan',
		icon: { light: 'file:signalScan.svg', dark: 'file:signalScan.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Scan the whitelist at the latest closed bar and decide each signal through the TradingView alert path',
		defaults: {
			name: 'Signal Scan',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['New Signals', 'Duplicates / Rejected'],
		credentials: [{ name: 'highFreqQuantApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
