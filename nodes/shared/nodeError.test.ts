import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { asNodeError } from './nodeError';

const node = { id: '1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

describe('asNodeError', () => {
	it('passes n8n node errors through unchanged', () => {
		const operation = new NodeOperationError(node, 'fix the input');
		const api = new NodeApiError(node, { message: 'down' });
		expect(asNodeError(node, operation)).toBe(operation);
		expect(asNodeError(node, api)).toBe(api);
	});

	it('wraps anything else in a NodeOperationError keeping the message', () => {
		const wrapped = asNodeError(node, new TypeError('x is undefined'), 2);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('x is undefined');
	});
});
