/**
 * Routes each input item to the selected operation. An operation is a module
 * `<name>.operation.ts` exporting `option`, `description` and `execute`; adding one = a new file +
 * one entry in `operations`. The service's answer is merged into the item, or put in one field; an
 * equity image in the answer becomes the binary property `equity`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dataParameters } from './dataParameters';
import * as runBacktest from './runBacktest.operation';
import * as runSweep from './runSweep.operation';

interface BacktesterOperation {
	option: INodePropertyOptions & { value: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject>;
}

const operations: BacktesterOperation[] = [runBacktest, runSweep];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: operations.map((operation) => operation.option).sort((a, b) => a.name.localeCompare(b.name)),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- the options are built from `operations`, which the rule cannot see; 'runBacktest' is one of them
	default: 'runBacktest',
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
			placeholder: 'e.g. backtest',
			description: 'Name of the field that receives the service response. Leave empty to merge the response into the item.',
		},
	],
};

export const properties: INodeProperties[] = [
	operationProperty,
	...dataParameters,
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
				throw new NodeOperationError(this.getNode(), `The operation "${name}" is not known`, { itemIndex });
			}
			const { equity_png_base64: png, ...result } = await operation.execute.call(this, itemIndex);
			const outputField = (this.getNodeParameter('options.outputField', itemIndex, '') as string).trim();
			const json = outputField ? { ...input, [outputField]: result } : { ...input, ...result };
			const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
			if (typeof png === 'string') {
				item.binary = { equity: await this.helpers.prepareBinaryData(Buffer.from(png, 'base64'), 'equity.png', 'image/png') };
			}
			returnData.push(item);
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: { ...input, error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			const errorName = (error as Error | undefined)?.name;
			if (errorName === 'NodeOperationError' || errorName === 'NodeApiError') throw error;
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [returnData];
}
