/**
 * Routes each input item to the selected Market Data operation (one file per operation, see
 * nodes/shared/operationRouter). The service's answer is merged into the item, or put in one field.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mergeResult, type NodeOperation, operationProperty, outputFieldOptions, runOperations } from '../../shared/operationRouter';
import * as getLatestCandles from './getLatestCandles.operation';
import * as getTicker from './getTicker.operation';
import { marketExchangeParameter } from './marketParameters';
import * as syncCandles from './syncCandles.operation';

const operations: Array<NodeOperation<IDataObject>> = [syncCandles, getLatestCandles, getTicker];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'syncCandles'),
	marketExchangeParameter,
	...operations.flatMap((operation) => operation.description),
	outputFieldOptions('e.g. marketData'),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, mergeResult);
}
