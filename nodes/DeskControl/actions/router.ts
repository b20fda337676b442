/**
 * Desk Control operations, each a module `<name>.operation.ts` returning the whole output item (the
 * daily report may carry the equity PNG as binary). The service answer is merged into the item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type NodeOperation, operationProperty, runOperations } from '../../shared/operationRouter';
import * as closePosition from './closePosition.operation';
import * as dailyReport from './dailyReport.operation';
import * as halt from './halt.operation';
import * as resume from './resume.operation';
import * as status from './status.operation';

export const operations: Array<NodeOperation<INodeExecutionData>> = [status, halt, resume, closePosition, dailyReport];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'status'),
	...operations.flatMap((operation) => operation.description),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, (output) => output);
}
