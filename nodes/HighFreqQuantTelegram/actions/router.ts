/**
 * HighFreqQuant Telegram operations, each a module `<name>.operation.ts` that returns the whole
 * output item (a card may carry binary data). Adding one = a new file + one entry in `operations`
 * below. The per-item loop is the shared one in nodes/shared.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { type NodeOperation, operationProperty, runOperations } from '../../shared/operationRouter';
import * as answerButtonPress from './answerButtonPress.operation';
import * as answerCommand from './answerCommand.operation';
import * as sendMessage from './sendMessage.operation';
import * as sendSignalCard from './sendSignalCard.operation';
import * as setWebhook from './setWebhook.operation';

export type TelegramOperation = NodeOperation<INodeExecutionData>;

export const operations: TelegramOperation[] = [sendSignalCard, answerButtonPress, answerCommand, sendMessage, setWebhook];

export const properties: INodeProperties[] = [
	operationProperty(operations, 'sendSignalCard'),
	...operations.flatMap((operation) => operation.description),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations(this, operations, (output) => output);
}
