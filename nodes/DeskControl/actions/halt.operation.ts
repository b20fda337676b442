/**
 * Halt: the kill switch (POST /v1/desk/halt). Every entry decided afterwards is refused with
 * `operator_halt` until Resume; the halt is stored in the database, so it survives a restart.
 * With Flatten the service also closes every open position at the latest price (less the
 * backtester's slippage) and lists each close under `flatten`.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Halt',
	value: 'halt',
	description: 'Stop new entries (the kill switch); optionally close every open position',
	action: 'Halt the desk',
};

const show = { show: { operation: ['halt'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Flatten',
		name: 'flatten',
		type: 'boolean',
		default: false,
		description: 'Whether to also close every open position at the latest price',
		displayOptions: show,
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'e.g. exchange incident',
		description: 'Why, for the audit trail and the status',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const reason = String(this.getNodeParameter('reason', itemIndex, '')).trim();
	const body = {
		by: 'n8n',
		flatten: this.getNodeParameter('flatten', itemIndex, false) as boolean,
		...(reason === '' ? {} : { reason }),
	};
	const result = await mathServiceRequest.call(this, 'POST', '/v1/desk/halt', body, itemIndex);
	return { json: { ...this.getInputData()[itemIndex].json, ...result } };
}
