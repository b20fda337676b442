/**
 * Routes each input item to the selected operation (one today: Get Posts). The result is merged
 * into the item, or put in one field.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mergeResult, type NodeOperation, operationProperty, outputFieldOptions, runOperations } from '../../shared/operationRouter';
import * as getPosts from './getPosts.operation';

const operations: Array<NodeOperation<IDataObject>> = [getPosts];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'getPosts'),
	...operations.flatMap((operation) => operation.description),
	outputFieldOptions('e.g. news'),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, mergeResult);
}
