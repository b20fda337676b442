/**
 * Risk Sizer operations: Kelly, VaR and Decide, each a module `<name>.operation.ts`; the service's
 * JSON answer is merged into the item (or put in one field). Adding an operation = a new file + one
 * entry in `operations` below. The per-item loop is the shared one in nodes/shared.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	mergeResult,
	type NodeOperation,
	operationProperty,
	outputFieldOptions,
	runOperations,
} from '../../shared/operationRouter';
import * as decide from './decide.operation';
import * as kelly from './kelly.operation';
import * as valueAtRisk from './var.operation';

export type RiskSizerOperation = NodeOperation<IDataObject>;

export const operations: RiskSizerOperation[] = [kelly, valueAtRisk, decide];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'kelly'),
	...operations.flatMap((operation) => operation.description),
	outputFieldOptions('e.g. risk'),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, mergeResult);
}
