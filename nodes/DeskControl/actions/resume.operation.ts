/** Resume: lifts the operator halt (POST /v1/desk/resume); entries are decided again. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Resume',
	value: 'resume',
	description: 'Lift the halt',
	action: 'Resume the desk',
};

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const result = await mathServiceRequest.call(this, 'POST', '/v1/desk/resume', { by: 'n8n' }, itemIndex);
	return { json: { ...this.getInputData()[itemIndex].json, ...result } };
}
