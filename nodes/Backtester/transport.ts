/**
 * Transport to the HighFreqQuant math service for the Backtester: the only code in this node that
 * sends HTTP. 4xx (the service rejected the input: unknown symbol, no stored candles, a bad range)
 * → NodeOperationError with the service's reason: fix the input. 5xx or no answer → NodeApiError:
 * check the service, then retry.
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

const CREDENTIAL_NAME = 'highFreqQuantApi';

/** POSTs `body` to `path` and returns the JSON answer (2xx only). */
export async function postToMathService(
	this: IExecuteFunctions,
	path: string,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
	const url = `${String(credentials.baseUrl ?? '').replace(/\/+$/, '')}${path}`;
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method: 'POST',
			url,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A sweep over years of candles takes seconds.
			timeout: 300_000,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			itemIndex,
			message: `The HighFreqQuant math service did not answer: ${(error as Error).message}`,
			description: `No answer from ${url}. Start the service ("npm run service") or fix the Base URL in the HighFreqQuant API credential.`,
		});
	}
	const status = response.statusCode;
	if (status >= 200 && status < 300) return response.body as IDataObject;
	const reason = errorReason(response.body);
	if (status >= 400 && status < 500) {
		throw new NodeOperationError(this.getNode(), `The math service rejected the backtest: ${reason}`, {
			itemIndex,
			description: `POST ${path} answered HTTP ${status}.`,
		});
	}
	throw new NodeApiError(this.getNode(), { message: reason } as JsonObject, {
		itemIndex,
		httpCode: String(status),
		message: `The HighFreqQuant math service failed (HTTP ${status}): ${reason}`,
	});
}

/** `{"detail":"…"}` or FastAPI's `{"detail":[{"loc":[…],"msg":…}]}` as one sentence. */
export function errorReason(body: unknown): string {
	const detail = (body as { detail?: unknown } | null)?.detail;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((d: { loc?: unknown[]; msg?: string }) => {
				const path = Array.isArray(d.loc) ? d.loc.filter((p, i) => !(i === 0 && p === 'body')).join('.') : '';
				return path ? `${path}: ${d.msg}` : String(d.msg);
			})
			.join('; ');
	}
	return typeof body === 'string' ? body : JSON.stringify(body);
}
