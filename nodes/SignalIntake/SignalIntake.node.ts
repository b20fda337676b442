/**
 * Signal Intake: the first gate of the TradingView pipeline. Takes the Webhook node's item
 * (TradingView's alert as `body`, JSON object or text, with the request `headers`) and asks the
 * math service (`POST /v1/signals/validate`) to authenticate it (the body's `secret`), normalise
 * the symbol, check the tiered whitelist and the alert's age, and de-duplicate it by alert id.
 *
 * Outputs: "Approved" (passed intake: go on to Risk Sizer › Decide) and "Rejected" (not
 * whitelisted, stale, a repeat of an already decided alert with `duplicate: true` and the first
 * decision — so nothing is sent twice). A wrong secret (HTTP 401), a source address outside
 * TradingView's (when restricted) or a malformed alert throws a NodeOperationError: no output,
 * no decision, no message. With "On Error: Continue (using error output)" the item goes to the
 * error output as `{error: <message>}` merged with the webhook item (n8n keeps nothing else on
 * error items); messages start with "Unauthorized alert:" (→ HTTP 401) or "The alert is not
 * valid (HTTP nnn):" (→ that 4xx). With "On Error: Continue" it goes to Rejected as
 * `{status: 'unauthorized'|'invalid'|'error', http_status, error}`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { validateAlert } from './intakeRequest';
import { asNodeError } from '../shared/nodeError';
import { signalIntakeProperties } from './signalIntakeProperties';
import { isTradingViewAddress, sourceAddressOf } from './sourceAddress';

const APPROVED = 0;
const REJECTED = 1;

export class SignalIntake implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Signal Intake',
		name: 'signalIntake',
		icon: { light: 'file:signalIntake.svg', dark: 'file:signalIntake.dark.svg' },
		group: ['transform'],
		version: 1,
		usableAsTool: true,
		subtitle: 'TradingView alert → whitelist, age, duplicates',
		description:
			'Authenticate a TradingView alert, check the tiered whitelist and alert age, and drop duplicates with the HighFreqQuant math service',
		defaults: {
			name: 'Signal Intake',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Approved', 'Rejected'],
		credentials: [
			{
				name: 'highFreqQuantApi',
				required: true,
			},
		],
		properties: signalIntakeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], []];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const { output, json } = await intakeOne.call(this, items[itemIndex].json, itemIndex);
				outputs[output].push({ json, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				const message = (error as Error).message;
				if (this.getNode().onError === 'continueErrorOutput') {
					// n8n moves items whose json is exactly {error} to the error output, merged with the
					// webhook item (see docs/n8n.md: the Respond node derives 401/422 from the message).
					outputs[REJECTED].push({ json: { error: message }, pairedItem: { item: itemIndex } });
					continue;
				}
				outputs[REJECTED].push({
					json: {
						status: (error as TaggedError).intakeStatus ?? 'error',
						http_status: (error as TaggedError).httpStatus ?? 500,
						error: message,
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		return outputs;
	}
}

interface TaggedError extends NodeOperationError {
	httpStatus?: number;
	intakeStatus?: string;
}

function tagged(error: NodeOperationError, httpStatus: number, intakeStatus: string): TaggedError {
	return Object.assign(error, { httpStatus, intakeStatus });
}

/**
 * True when a 4xx is about this node's parameters, not the alert: `reason_code:
 * "invalid_thresholds"`, or a validation detail located in the query, the thresholds or the intake
 * configuration (e.g. a tier listing "ET$H").
 */
function refusesParameters(body: IDataObject): boolean {
	if (body.reason_code === 'invalid_thresholds') return true;
	const detail = Array.isArray(body.detail) ? (body.detail as IDataObject[]) : [];
	return detail.some((entry) => Array.isArray(entry?.loc) && (entry.loc as unknown[]).some((part) => part === 'query' || part === 'thresholds' || part === 'config'));
}

/** The webhook body as TradingView sent it, and its content type. */
function rawAlert(json: IDataObject): { rawBody: string; contentType: string } {
	const headers = (json.headers ?? {}) as IDataObject;
	const body = json.body !== undefined ? json.body : json;
	if (typeof body === 'string') {
		return { rawBody: body, contentType: String(headers['content-type'] ?? 'text/plain') };
	}
	return { rawBody: JSON.stringify(body ?? {}), contentType: 'application/json' };
}

function thresholdQuery(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const query: Record<string, string> = {
		tier1: text('tier1'),
		tier2: text('tier2'),
		tier3: text('tier3'),
		max_lag_seconds: String(this.getNodeParameter('maxLagSeconds', itemIndex)),
		alert_time_is: text('alertTimeIs') || 'event',
	};
	const skew = this.getNodeParameter('options.maxFutureSkewSeconds', itemIndex, '') as number | '';
	if (skew !== '' && skew !== undefined) query.max_future_skew_seconds = String(skew);
	return query;
}

async function intakeOne(
	this: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
): Promise<{ output: number; json: IDataObject }> {
	if (this.getNodeParameter('restrictToTradingViewIps', itemIndex, false) as boolean) {
		const trustedProxies = this.getNodeParameter('trustedProxies', itemIndex, 1) as number;
		const address = sourceAddressOf(json.headers, trustedProxies);
		if (!isTradingViewAddress(address)) {
			throw tagged(
				new NodeOperationError(this.getNode(), 'Unauthorized alert: the source address is not one of TradingView’s', {
					itemIndex,
					description: `Source address: ${address ?? `unknown (X-Forwarded-For has fewer than ${trustedProxies} entries: is n8n behind the reverse proxy, and is Trusted Proxies right?)`}, read ${trustedProxies} X-Forwarded-For entr${trustedProxies === 1 ? 'y' : 'ies'} from the right.`,
				}),
				401,
				'unauthorized',
			);
		}
	}

	const { rawBody, contentType } = rawAlert(json);
	const answer = await validateAlert.call(this, rawBody, contentType, thresholdQuery.call(this, itemIndex), itemIndex);

	if (answer.statusCode === 401) {
		const alertAuth = /^Unauthorized:/.test(String(answer.body.detail ?? ''));
		throw tagged(
			new NodeOperationError(
				this.getNode(),
				alertAuth ? `Unauthorized alert: ${answer.reason.replace(/^Unauthorized: /, '')}` : `The math service refused the credentials: ${answer.reason}`,
				{
					itemIndex,
					description: alertAuth
						? 'The alert’s "secret" must equal TRADINGVIEW_WEBHOOK_SECRET on the math service. Nothing was stored or sent.'
						: 'Set the API Key of the HighFreqQuant API credential to the MATH_SERVICE_API_KEY the service runs with.',
				},
			),
			alertAuth ? 401 : 500,
			alertAuth ? 'unauthorized' : 'error',
		);
	}
	if (answer.statusCode >= 400 && refusesParameters(answer.body)) {
		throw tagged(
			new NodeOperationError(this.getNode(), `A Signal Intake parameter was refused by the math service: ${answer.reason}`, {
				itemIndex,
				description: 'Fix the parameter on this node; the alert itself was not judged.',
			}),
			500,
			'error',
		);
	}
	if (answer.statusCode >= 400) {
		throw tagged(
			new NodeOperationError(this.getNode(), `The alert is not valid (HTTP ${answer.statusCode}): ${answer.reason}`, {
				itemIndex,
				description: `POST /v1/signals/validate answered HTTP ${answer.statusCode}${answer.body.reason_code ? ` (${String(answer.body.reason_code)})` : ''}.`,
			}),
			answer.statusCode,
			'invalid',
		);
	}

	const body = answer.body;
	const approved = body.status === 'accepted' && body.duplicate !== true;
	return { output: approved ? APPROVED : REJECTED, json: body };
}
