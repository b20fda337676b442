/**
 * Status: the desk now (GET /v1/desk) — mode, halted (since, by whom), open positions marked to the
 * latest price, today's P&L — merged into the item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Status',
	value: 'status',
	description: 'Mode, halt, open positions and today’s P&L',
	action: 'Get the desk status',
};

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const desk = await mathServiceRequest.call(this, 'GET', '/v1/desk', undefined, itemIndex);
	return { json: { ...this.getInputData()[itemIndex].json, ...desk } };
}
