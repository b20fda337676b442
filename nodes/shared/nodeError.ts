/**
 * Errors leaving a node are n8n's own (NodeApiError: the remote side failed, retry later;
 * NodeOperationError: fix the input or the parameters), so the n8n UI shows their message,
 * description and HTTP context. An error that already is one passes through unchanged (matched by
 * name too: a package may load another copy of n8n-workflow than n8n's); anything else is wrapped
 * in a NodeOperationError.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return true;
	const name = (error as Error | undefined)?.name;
	return name === 'NodeOperationError' || name === 'NodeApiError';
}

/** `error` itself when it is an n8n node error, else a NodeOperationError wrapping it. */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (isNodeError(error)) return error;
	return new NodeOperationError(node, error as Error, itemIndex === undefined ? {} : { itemIndex });
}
