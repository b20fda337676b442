/**
 * Transport to a market-data provider (Glassnode, CryptoPanic): one GET through n8n's
 * `httpRequestWithAuthentication` with the provider's credential, retried the way the providers
 * ask, and failures named for what the user does next:
 * - 429 and 5xx, or no answer: wait and try again — `Retry-After` (seconds) or Glassnode's
 *   `x-rate-limit-reset` on a 429, else 1 s, 2 s, 4 s … — at most `maxAttempts` attempts and never
 *   a single wait longer than `maxWaitSeconds`; then NodeApiError (retry later).
 * - 401/403: NodeOperationError about the key or the plan (fix the credential or the plan).
 * - other 4xx: NodeOperationError with the provider's reason (fix the parameters).
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export interface ProviderRetryPolicy {
	maxAttempts: number;
	maxWaitSeconds: number;
	/** First back-off wait when the provider names none (doubles each attempt). */
	baseWaitSeconds: number;
}

export const DEFAULT_PROVIDER_RETRY: ProviderRetryPolicy = { maxAttempts: 5, maxWaitSeconds: 60, baseWaitSeconds: 1 };

/** The "Max Attempts" and "Max Wait (Seconds)" options of a provider node's Options collection. */
export function providerRetryOptions(provider: string): INodeProperties[] {
	return [
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 5,
			description: `Attempts per request when ${provider} answers 429 or 5xx, the first included`,
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 600 },
			default: 60,
			description: 'Longest single wait between attempts',
		},
	];
}

/** The retry policy a node's Options collection asks for. */
export function providerRetryPolicy(options: IDataObject): ProviderRetryPolicy {
	return {
		...DEFAULT_PROVIDER_RETRY,
		maxAttempts: Number(options.maxAttempts ?? DEFAULT_PROVIDER_RETRY.maxAttempts),
		maxWaitSeconds: Number(options.maxWaitSeconds ?? DEFAULT_PROVIDER_RETRY.maxWaitSeconds),
	};
}

export interface ProviderRequest {
	provider: string;
	credentialType: string;
	/** Absolute URL without the query string. */
	url: string;
	/** The URL as it may be shown (no secrets). */
	safeUrl: string;
	qs: IDataObject;
	/** What to say about 401/403 beyond the provider's reason. */
	authHint: string;
}

/**
 * The wait the provider asked for, in seconds, or null: `Retry-After`, and on a 429 Glassnode's
 * `x-rate-limit-reset` (sent on every response, it means "the window resets in" — a wait only when
 * the limit was hit).
 */
export function providerWaitSeconds(headers: Record<string, unknown> | undefined, status: number): number | null {
	if (!headers) return null;
	const read = (name: string) => {
		const v = headers[name] ?? headers[name.toLowerCase()];
		const n = Number(Array.isArray(v) ? v[0] : v);
		return Number.isFinite(n) && n >= 0 ? n : null;
	};
	return read('retry-after') ?? (status === 429 ? read('x-rate-limit-reset') : null);
}

export async function providerGet(
	this: IExecuteFunctions,
	request: ProviderRequest,
	itemIndex: number,
	policy: ProviderRetryPolicy = DEFAULT_PROVIDER_RETRY,
): Promise<unknown> {
	const attempts = Math.max(1, Math.floor(policy.maxAttempts));
	for (let attempt = 1; ; attempt++) {
		let response: IN8nHttpFullResponse | null = null;
		let failure: Error | null = null;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, request.credentialType, {
				method: 'GET',
				url: request.url,
				qs: request.qs,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			failure = error as Error;
		}
		const status = response?.statusCode ?? 0;
		if (response && status >= 200 && status < 300) return response.body;

		const retryable = failure !== null || status === 429 || status >= 500;
		if (retryable) {
			const asked = response ? providerWaitSeconds(response.headers as Record<string, unknown>, status) : null;
			const wait = asked ?? policy.baseWaitSeconds * 2 ** (attempt - 1);
			if (attempt < attempts && wait <= policy.maxWaitSeconds) {
				await sleep(wait * 1000);
				continue;
			}
			const what = failure ? `did not answer: ${failure.message}` : `answered HTTP ${status}: ${reasonOf(response!.body)}`;
			throw new NodeApiError(this.getNode(), (failure ? { message: failure.message } : toJson(response!.body)) as JsonObject, {
				itemIndex,
				...(failure ? {} : { httpCode: String(status) }),
				message: `${request.provider} ${what}`,
				description:
					attempt >= attempts
						? `Gave up after ${attempts} attempts on ${request.safeUrl}; the next scheduled run will try again.`
						: `${request.provider} asked to wait ${wait} s, more than the ${policy.maxWaitSeconds} s this node waits.`,
			});
		}
		const reason = reasonOf(response!.body);
		if (status === 401 || status === 403) {
			throw new NodeOperationError(this.getNode(), `${request.provider} refused the request (HTTP ${status}): ${reason}`, {
				itemIndex,
				description: request.authHint,
			});
		}
		throw new NodeOperationError(this.getNode(), `${request.provider} rejected the parameters (HTTP ${status}): ${reason}`, {
			itemIndex,
			description: `GET ${request.safeUrl}`,
		});
	}
}

function reasonOf(body: unknown): string {
	if (typeof body === 'string') return body.trim().slice(0, 300) || 'no reason given';
	if (body && typeof body === 'object') {
		const { info, message, error, detail } = body as Record<string, unknown>;
		for (const v of [info, message, error, detail]) if (typeof v === 'string') return v;
		return JSON.stringify(body).slice(0, 300);
	}
	return 'no reason given';
}

function toJson(body: unknown): JsonObject {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : { message: reasonOf(body) };
}
