/**
 * Routes each input item to the selected operation (one today: Check Positions). Unlike the nodes
 * that merge one answer into the item, the risk monitor emits one output item per event (a close
 * or a halt), so a Telegram node after it sends one message each; a quiet tick emits nothing
 * (or one summary item with "Output When Quiet").
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError } from '../../shared/nodeError';
import { operationProperty, type NodeOperation } from '../../shared/operationRouter';
import * as checkPositions from './checkPositions.operation';

const operations: Array<NodeOperation<IDataObject[]>> = [checkPositions];

export const properties: INodeProperties[] = [operationProperty(operations, 'checkPositions'), ...operations.flatMap((operation) => operation.description)];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const name = this.getNodeParameter('operation', itemIndex) as string;
			const operation = operations.find((candidate) => candidate.option.value === name);
			if (operation === undefined) throw new Error(`The operation "${name}" is not known`);
			for (const json of await operation.execute.call(this, itemIndex)) out.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				out.push({ json: { ...items[itemIndex].json, error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return [out];
}
