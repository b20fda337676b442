/**
 * Close Position: closes the open position(s) in one symbol (POST /v1/desk/close) at the latest
 * price less the backtester's slippage; `closed` lists each close with its P&L, `skipped` the
 * positions that had no price.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Close Position',
	value: 'closePosition',
	description: 'Close the open position(s) in one symbol',
	action: 'Close a position',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Symbol',
		name: 'symbol',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'BTC/USDT',
		description: 'BTC/USDT, BTCUSDT, or a bare base such as BTC (every quote)',
		displayOptions: { show: { operation: ['closePosition'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const symbol = String(this.getNodeParameter('symbol', itemIndex, '')).trim();
	if (symbol === '') throw new NodeOperationError(this.getNode(), 'Symbol is empty', { itemIndex, description: 'Name the symbol to close, e.g. BTC/USDT.' });
	const result = await mathServiceRequest.call(this, 'POST', '/v1/desk/close', { symbol, by: 'n8n' }, itemIndex);
	return { json: { ...this.getInputData()[itemIndex].json, ...result } };
}
