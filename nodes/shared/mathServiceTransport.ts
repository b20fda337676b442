/**
 * Transport to the HighFreqQuant math service: the only code in the package that builds math-service URLs or
 * sends HTTP. The service decides every number; this file only carries requests and names
 * failures for what the user does next:
 * - 4xx (the service rejected the input, e.g. a win rate above 1) → NodeOperationError with the
 *   service's reason and the item index: fix the input.
 * - 5xx, or no answer at all → NodeApiError: check or restart the service, then retry.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './nodeError';

export const CREDENTIAL_NAME = 'highFreqQuantApi';

/** Sends one JSON request to the math service and returns its JSON body (2xx only). */
export async function mathServiceRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject | undefined,
	itemIndex: number,
	options: { timeoutMs?: number } = {},
): Promise<IDataObject> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const url = `${baseUrl}${path}`;

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method,
			url,
			body,
			json: true,
			returnFullResponse: true,
			// Status codes are inspected below so that 4xx and 5xx become different error classes.
			ignoreHttpStatusErrors: true,
			...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		if ((error as Error).name === 'NodeOperationError') throw asNodeError(this.getNode(), error, itemIndex);
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			itemIndex,
			message: `The HighFreqQuant math service did not answer: ${(error as Error).message}`,
			description: `No answer from ${url}. Start the service ("npm run service") or fix the Base URL in the HighFreqQuant API credential.`,
		});
	}

	const status = response.statusCode;
	if (status >= 200 && status < 300) return response.body as IDataObject;

	const reason = serviceErrorReason(response.body);
	if (status === 401 || status === 403) {
		throw new NodeOperationError(this.getNode(), `The math service refused the credentials: ${reason}`, {
			itemIndex,
			description:
				'Set the API Key of the HighFreqQuant API credential to the MATH_SERVICE_API_KEY the service runs with.',
		});
	}
	if (status >= 400 && status < 500) {
		throw new NodeOperationError(this.getNode(), `The math service rejected the input: ${reason}`, {
			itemIndex,
			description: `${method} ${path} answered HTTP ${status}.`,
		});
	}
	throw new NodeApiError(this.getNode(), toJsonObject(response.body), {
		itemIndex,
		httpCode: String(status),
		message: `The HighFreqQuant math service failed (HTTP ${status}): ${reason}`,
		description: `${method} ${path}. Check the service's log; the same request may succeed later.`,
	});
}

/**
 * Turns a FastAPI-style error body into one readable sentence:
 * `{"detail":[{"loc":["body","win_rate"],"msg":"Input should be ≤ 1","input":1.5}]}` →
 * `win_rate: Input should be ≤ 1 (got 1.5)`; `{"detail":"Invalid API key"}` → `Invalid API key`.
 */
export function serviceErrorReason(body: unknown): string {
	if (typeof body === 'string') return body.trim() || 'no reason given';
	if (body === null || typeof body !== 'object') return 'no reason given';
	const { detail, message, error } = body as { detail?: unknown; message?: unknown; error?: unknown };
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail) && detail.length > 0) return detail.map(describeDetail).join('; ');
	if (typeof message === 'string') return message;
	if (typeof error === 'string') return error;
	return JSON.stringify(body);
}

function describeDetail(entry: unknown): string {
	if (entry === null || typeof entry !== 'object') return String(entry);
	const { loc, msg, input } = entry as { loc?: unknown; msg?: unknown; input?: unknown };
	const path = Array.isArray(loc) ? loc.filter((part, i) => !(i === 0 && part === 'body')).join('.') : '';
	const text = typeof msg === 'string' ? msg : JSON.stringify(entry);
	const got = input === undefined || (typeof input === 'object' && input !== null) ? '' : ` (got ${JSON.stringify(input)})`;
	return path ? `${path}: ${text}${got}` : `${text}${got}`;
}

function toJsonObject(body: unknown): JsonObject {
	if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as JsonObject;
	return { message: typeof body === 'string' ? body : JSON.stringify(body ?? null) };
}
