/**
 * Daily Report: the report of a UTC day (GET /v1/reports/daily) — P&L, open positions, gate hits
 * by gate, the equity curve and `text`, a plain-text message — merged into the item, with the
 * equity curve PNG (GET /v1/reports/daily/equity.png) as binary property `equity` when Attach
 * Equity Chart is on. Send it on with the HighFreqQuant Telegram node (Send Message, Photo Binary
 * Property `equity`, Text `{{ $json.text }}`).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';

import { CREDENTIAL_NAME, mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Daily Report',
	value: 'dailyReport',
	description: 'P&L of the day, open positions, gate hits and the equity curve',
	action: 'Get the daily report',
};

const show = { show: { operation: ['dailyReport'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Day',
		name: 'date',
		type: 'string',
		default: '',
		placeholder: '2026-12-05',
		description: 'UTC day as YYYY-MM-DD; empty = today (up to now)',
		displayOptions: show,
	},
	{
		displayName: 'Attach Equity Chart',
		name: 'attachChart',
		type: 'boolean',
		default: true,
		description: 'Whether to attach the day’s equity curve as the PNG binary property "equity"',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const date = String(this.getNodeParameter('date', itemIndex, '')).trim();
	const query = date === '' ? '' : `?date=${encodeURIComponent(date)}`;
	const report = await mathServiceRequest.call(this, 'GET', `/v1/reports/daily${query}`, undefined, itemIndex);
	const item: INodeExecutionData = { json: { ...this.getInputData()[itemIndex].json, ...report } };
	if (this.getNodeParameter('attachChart', itemIndex, true) as boolean) {
		const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
		const url = `${String(credentials.baseUrl ?? '').replace(/\/+$/, '')}/v1/reports/daily/equity.png${query}`;
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
		})) as { body: ArrayBuffer | Buffer; statusCode: number };
		const bytes = Buffer.from(response.body as ArrayBuffer);
		if (response.statusCode !== 200) {
			throw new NodeApiError(this.getNode(), { message: bytes.toString('utf8').slice(0, 200) } as JsonObject, {
				itemIndex,
				message: `The math service did not render the equity chart (HTTP ${response.statusCode})`,
				description: 'Turn off Attach Equity Chart to send the report without it, or check the service.',
			});
		}
		item.binary = { equity: await this.helpers.prepareBinaryData(bytes, `equity-${String(report.date ?? 'today')}.png`, 'image/png') };
	}
	return item;
}
