/**
 * Routes each input item to the selected operation (one today: Scan). Each signal of the answer is
 * one output item: "New Signals" (decided now and approved: the Telegram card follows) or
 * "Duplicates / Rejected" (the bar was already decided, e.g. by the TradingView alert, or a gate
 * refused it). A scan without a signal emits nothing.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError } from '../../shared/nodeError';
import { operationProperty, type NodeOperation } from '../../shared/operationRouter';
import * as scan from './scan.operation';

const NEW_SIGNALS = 0;
const DUPLICATES_OR_REJECTED = 1;

const operations: Array<NodeOperation<IDataObject[]>> = [scan];

export const properties: INodeProperties[] = [operationProperty(operations, 'scan'), ...operations.flatMap((operation) => operation.description)];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const outputs: INodeExecutionData[][] = [[], []];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const name = this.getNodeParameter('operation', itemIndex) as string;
			const operation = operations.find((candidate) => candidate.option.value === name);
			if (operation === undefined) throw new Error(`The operation "${name}" is not known`);
			for (const json of await operation.execute.call(this, itemIndex)) {
				outputs[json.outcome === 'new' ? NEW_SIGNALS : DUPLICATES_OR_REJECTED].push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				outputs[DUPLICATES_OR_REJECTED].push({ json: { ...items[itemIndex].json, error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return outputs;
}
