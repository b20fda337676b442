/**
 * Routes each input item to the selected operation. An operation is a module
 * `<name>.operation.ts` exporting `option`, `description` and `execute`; adding one = a new file +
 * one entry in `operations`. The service's answer is merged into the item, or put in one field; an
 * equity image in the answer becomes the binary property `equity`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	mergeResult,
	type NodeOperation,
	operationProperty,
	outputFieldOptions,
	runOperations,
} from '../../shared/operationRouter';
import { dataParameters } from './dataParameters';
import * as runBacktest from './runBacktest.operation';
import * as runSweep from './runSweep.operation';

const operations: Array<NodeOperation<IDataObject>> = [runBacktest, runSweep];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'runBacktest'),
	...dataParameters,
	...operations.flatMap((operation) => operation.description),
	outputFieldOptions('e.g. backtest'),
];

/** The service's answer merged into the item; an equity image in it becomes the binary `equity`. */
async function toItem(
	this: IExecuteFunctions,
	answer: IDataObject,
	input: IDataObject,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { equity_png_base64: png, ...result } = answer;
	const item = mergeResult.call(this, result, input, itemIndex);
	if (typeof png === 'string') {
		item.binary = { equity: await this.helpers.prepareBinaryData(Buffer.from(png, 'base64'), 'equity.png', 'image/png') };
	}
	return item;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, toItem);
}
