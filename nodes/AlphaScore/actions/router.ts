/**
 * Routes each input item to the selected operation (one today: Score). The result is merged
 * into the item, or put in one field.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mergeResult, type NodeOperation, operationProperty, outputFieldOptions, runOperations } from '../../shared/operationRouter';
import * as score from './score.operation';

const operations: Array<NodeOperation<IDataObject>> = [score];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'score'),
	...operations.flatMap((operation) => operation.description),
	outputFieldOptions('e.g. alpha'),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, mergeResult);
}
