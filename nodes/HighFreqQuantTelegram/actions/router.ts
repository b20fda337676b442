/**
 * Routes each input item to the selected operation. An operation is a module
 * `<name>.operation.ts` exporting `option` (its entry in the Operation list), `description` (its
 * parameters, shown only for that operation) and `execute` (one item in, one item out). Adding one
 * = a new file + one entry in `operations` below.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as answerButtonPress from './answerButtonPress.operation';
import * as sendMessage from './sendMessage.operation';
import * as sendSignalCard from './sendSignalCard.operation';
import * as setWebhook from './setWebhook.operation';

export interface TelegramOperation {
	option: INodePropertyOptions & { value: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData>;
}

export const operations: TelegramOperation[] = [sendSignalCard, answerButtonPress, sendMessage, setWebhook];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: operations
		.map((operation) => operation.option)
		.sort((a, b) => a.name.localeCompare(b.name)),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- the options are built from `operations` above, which the rule cannot see; 'sendSignalCard' is one of them
	default: 'sendSignalCard',
};

export const properties: INodeProperties[] = [
	operationProperty,
	...operations.flatMap((operation) => operation.description),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const name = this.getNodeParameter('operation', itemIndex) as string;
			const operation = operations.find((candidate) => candidate.option.value === name);
			if (operation === undefined) {
				throw new NodeOperationError(this.getNode(), `The operation "${name}" is not known`, { itemIndex });
			}
			const output = await operation.execute.call(this, itemIndex);
			returnData.push({ ...output, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({
					json: { ...items[itemIndex].json, error: (error as Error).message },
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
