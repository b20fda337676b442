/** Get Latest Candles: GET /v1/candles — the newest stored closed bars of one market, oldest first (longer bars are built from 1m when none are stored). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { query, symbolParameter, TIMEFRAME_OPTIONS } from './marketParameters';

export const option = {
	name: 'Get Latest Candles',
	value: 'getLatestCandles',
	description: 'Read the newest stored candles of one market',
	action: 'Get latest candles',
};

const show = { show: { operation: ['getLatestCandles'] } };

export const description: INodeProperties[] = [
	symbolParameter('getLatestCandles'),
	{
		displayName: 'Timeframe',
		name: 'candleTimeframe',
		type: 'options',
		options: TIMEFRAME_OPTIONS,
		default: '1m',
		description: 'Bar length; 5m to 1d are built from stored 1m bars when none are stored',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const q = query({
		exchange: this.getNodeParameter('exchange', itemIndex) as string,
		symbol: String(this.getNodeParameter('symbol', itemIndex)).trim(),
		timeframe: this.getNodeParameter('candleTimeframe', itemIndex) as string,
		limit: this.getNodeParameter('limit', itemIndex) as number,
	});
	return await mathServiceRequest.call(this, 'GET', `/v1/candles?${q}`, undefined, itemIndex);
}
