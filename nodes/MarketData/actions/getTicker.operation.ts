/** Get Ticker: GET /v1/candles/ticker — the close of the newest stored 1m bar and when it was the price (null with a reason when nothing is stored). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { query, symbolParameter } from './marketParameters';

export const option = {
	name: 'Get Ticker',
	value: 'getTicker',
	description: 'Read the latest stored price of one market',
	action: 'Get the latest price',
};

export const description: INodeProperties[] = [symbolParameter('getTicker')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const q = query({ exchange: this.getNodeParameter('exchange', itemIndex) as string, symbol: String(this.getNodeParameter('symbol', itemIndex)).trim() });
	return await mathServiceRequest.call(this, 'GET', `/v1/candles/ticker?${q}`, undefined, itemIndex);
}
