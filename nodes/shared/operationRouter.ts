/**
 * The one per-item loop every HighFreqQuant node uses. An operation is a module
 * `<name>.operation.ts` exporting `option` (its entry in the Operation list), `description` (its
 * parameters, shown only for that operation) and `execute` (one item in, one result out); a node's
 * `actions/router.ts` lists its operations and says how a result becomes an output item.
 *
 * Errors: with "Continue on Fail" the item carries `error` and the next item runs; otherwise n8n
 * error classes pass through and anything else becomes a NodeOperationError naming the item.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './nodeError';

export interface NodeOperation<Result> {
	option: INodePropertyOptions & { value: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<Result>;
}

/** Turns one operation result into the output item (pairedItem is added by the loop). */
export type ResultToItem<Result> = (
	this: IExecuteFunctions,
	result: Result,
	input: IDataObject,
	itemIndex: number,
) => INodeExecutionData | Promise<INodeExecutionData>;

/** The Operation selector, options sorted by name, built from the operations themselves. */
export function operationProperty<Result>(
	operations: Array<NodeOperation<Result>>,
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: operations.map((operation) => operation.option).sort((a, b) => a.name.localeCompare(b.name)),
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- the options are each node's own operations and `defaultOperation` is one of them; the rule cannot see that
		default: defaultOperation,
	};
}

/** The "Put Result in Field" option shared by the nodes that merge a service answer into the item. */
export function outputFieldOptions(placeholder: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Put Result in Field',
				name: 'outputField',
				type: 'string',
				default: '',
				placeholder,
				description:
					'Name of the field that receives the service response. Leave empty to merge the response into the item.',
			},
		],
	};
}

/** Merges `result` into the input item, or puts it in the "Put Result in Field" field. */
export function mergeResult(this: IExecuteFunctions, result: IDataObject, input: IDataObject, itemIndex: number): INodeExecutionData {
	const outputField = (this.getNodeParameter('options.outputField', itemIndex, '') as string).trim();
	return { json: outputField ? { ...input, [outputField]: result } : { ...input, ...result } };
}

/** Runs the selected operation for every input item. */
export async function runOperations<Result>(
	context: IExecuteFunctions,
	operations: Array<NodeOperation<Result>>,
	toItem: ResultToItem<Result>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const input = items[itemIndex].json;
		try {
			const name = context.getNodeParameter('operation', itemIndex) as string;
			const operation = operations.find((candidate) => candidate.option.value === name);
			if (operation === undefined) {
				throw new NodeOperationError(context.getNode(), `The operation "${name}" is not known`, { itemIndex });
			}
			const result = await operation.execute.call(context, itemIndex);
			const item = await toItem.call(context, result, input, itemIndex);
			returnData.push({ ...item, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (context.continueOnFail()) {
				returnData.push({ json: { ...input, error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(context.getNode(), error, itemIndex);
		}
	}

	return [returnData];
}

// Checked by name, not instanceof: n8n may load its own copy of n8n-workflow.

