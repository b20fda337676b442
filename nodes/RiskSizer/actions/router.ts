/**
 * Routes each input item to the selected operation and shapes the output. An operation is a
 * module `<name>.operation.ts` exporting `option` (its entry in the Operation list),
 * `description` (its parameters, shown only for that operation) and `execute` (one item in, the
 * service's JSON out). Adding one = a new file + one entry in `operations` below.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as decide from './decide.operation';
import * as kelly from './kelly.operation';
import * as valueAtRisk from './var.operation';

export interface RiskSizerOperation {
	option: INodePropertyOptions & { value: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject>;
}

export const operations: RiskSizerOperation[] = [kelly, valueAtRisk, decide];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: operations
		.map((operation) => operation.option)
		.sort((a, b) => a.name.localeCompare(b.name)),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- the options are built from `operations` above, which the rule cannot see; 'kelly' is one of them
	default: 'kelly',
};

const outputOptions: INodeProperties = {
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
			placeholder: 'e.g. risk',
			description:
				'Name of the field that receives the service response. Leave empty to merge the response into the item.',
		},
	],
};

export const properties: INodeProperties[] = [
	operationProperty,
	...operations.flatMap((operation) => operation.description),
	outputOptions,
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const input = items[itemIndex].json;
		try {
			const name = this.getNodeParameter('operation', itemIndex) as string;
			const operation = operations.find((candidate) => candidate.option.value === name);
			if (operation === undefined) {
				throw new NodeOperationError(this.getNode(), `The operation "${name}" is not known`, {
					itemIndex,
				});
			}
			const result = await operation.execute.call(this, itemIndex);
			const outputField = (this.getNodeParameter('options.outputField', itemIndex, '') as string).trim();
			const json = outputField ? { ...input, [outputField]: result } : { ...input, ...result };
			returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({
					json: { ...input, error: (error as Error).message },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (isNodeError(error)) throw error;
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}

	return [returnData];
}

// Checked by name, not instanceof: n8n may load its own copy of n8n-workflow.
function isNodeError(error: unknown): boolean {
	const name = (error as Error | undefined)?.name;
	return name === 'NodeOperationError' || name === 'NodeApiError';
}
