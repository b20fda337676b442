/**
 * Transport of the Signal Intake node: forwards TradingView's alert, as received by the Webhook
 * node, to `POST /v1/signals/validate` of the math service. The body is sent as TradingView sent
 * it (JSON re-serialised from the Webhook node's parsed object, or the text/plain string), so the
 * service applies exactly the rules of its own `/v1/signals/tradingview` endpoint. The node's
 * thresholds travel as query parameters (`max_lag_seconds=60&tier1=BTC,ETH…`), which work for
 * both content types.
 *
 * Answers are returned with their status; only "no answer" and 5xx are thrown here (NodeApiError).
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CREDENTIAL_NAME, serviceErrorReason } from '../shared/mathServiceTransport';

export interface IntakeAnswer {
	statusCode: number;
	body: IDataObject;
	/** One readable sentence for non-2xx answers. */
	reason: string;
}

function parse(body: unknown): IDataObject {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		const text = value;
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			return { detail: text.slice(0, 500) };
		}
	}
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { detail: String(value) };
}

export async function validateAlert(
	this: IExecuteFunctions,
	rawBody: string,
	contentType: string,
	query: Record<string, string>,
	itemIndex: number,
): Promise<IntakeAnswer> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
	const url = `${String(credentials.baseUrl ?? '').replace(/\/+$/, '')}/v1/signals/validate`;
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method: 'POST',
			url,
			qs: query,
			body: rawBody,
			headers: { 'content-type': contentType, accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			itemIndex,
			message: `The HighFreqQuant math service did not answer: ${(error as Error).message}`,
			description: `No answer from ${url}. Start the service ("npm run service") or fix the Base URL in the HighFreqQuant API credential.`,
		});
	}
	const body = parse(response.body);
	const reason = serviceErrorReason(body);
	if (response.statusCode >= 500) {
		throw new NodeApiError(this.getNode(), body as JsonObject, {
			itemIndex,
			httpCode: String(response.statusCode),
			message: `The HighFreqQuant math service failed (HTTP ${response.statusCode}): ${reason}`,
			description: 'POST /v1/signals/validate. Check the service log (is TRADINGVIEW_WEBHOOK_SECRET set?).',
		});
	}
	return { statusCode: response.statusCode, body, reason };
}
