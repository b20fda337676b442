/**
 * Send Signal Card: one decision receipt → one Telegram message with the card (see signalCard.ts)
 * and two inline buttons, "✅ Executed" / "⏭ Skipped" (`hfq:<action>:<decision_id>`), which the
 * button workflow records against the decision. The numbers are the math service's; this only
 * presents them.
 *
 * Chart (optional), first found of: binary data on the item (property "chart" by default); a
 * Chart URL, downloaded by n8n (Telegram's servers cannot reach a loopback math service) or handed
 * to Telegram when "Download Chart" is off; the math service's `GET /v1/decisions/:id/chart.png`
 * (HighFreqQuant API credential). It is uploaded with multipart sendPhoto, the card as caption
 * (≤ 1024 characters, cut from the end). A chart that cannot be
 * read or sent never stops the signal: the card then goes out as a text message (≤ 4096), and the
 * output says why in `telegram.chart_error`.
 *
 * Duplicates (`duplicate: true`) never send anything; rejected decisions are skipped unless
 * "Only Approved Decisions" is off.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/nodeError';
import { CREDENTIAL_NAME } from '../../shared/mathServiceTransport';
import { formatCallbackData } from '../callbackData';
import { cardDataFromItem } from '../cardDataFromItem';
import { CAPTION_LIMIT, MESSAGE_LIMIT, renderSignalCard } from '../signalCard';
import { telegramCredentials, telegramRequest } from '../transport';
import { type PhotoFile, photoForm, readBinaryPhoto } from './photoUpload';
import { chatIdOr, chatIdProperty, readSendOptions, sendOptions } from './retryOptions';

export const option = {
	name: 'Send Signal Card',
	value: 'sendSignalCard',
	description: 'Send a decision receipt as a signal card with Executed/Skipped buttons and a swap link',
	action: 'Send a signal card',
};

const show = { show: { operation: ['sendSignalCard'] } };

export const description: INodeProperties[] = [
	chatIdProperty('sendSignalCard', 'card'),
	{
		displayName: 'Only Approved Decisions',
		name: 'onlyApproved',
		type: 'boolean',
		default: true,
		description:
			'Whether to send cards for approved decisions only. Off: rejected decisions are sent too (with the reason, without buttons).',
		displayOptions: show,
	},
	{
		displayName: 'Chart Binary Property',
		name: 'chartBinaryProperty',
		type: 'string',
		default: 'chart',
		description:
			'Binary property holding a chart image (PNG/JPEG) to send with the card. Missing on the item = no photo from binary.',
		displayOptions: show,
	},
	{
		displayName: 'Chart URL',
		name: 'chartUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. http://127.0.0.1:8000/v1/decisions/{ID}/chart.png',
		description: 'URL of a chart image, used when the item has no chart binary. Empty = no photo.',
		displayOptions: show,
	},
	{
		displayName: 'Chart From Math Service',
		name: 'chartFromMathService',
		type: 'boolean',
		default: true,
		description:
			'Whether to fetch the decision’s chart (GET /v1/decisions/{ID}/chart.png) with the HighFreqQuant API credential when the item has no chart binary and no Chart URL. Without that credential, or when the service has no chart, the card goes out without a photo.',
		displayOptions: show,
	},
	{
		displayName: 'Download Chart',
		name: 'downloadChart',
		type: 'boolean',
		default: true,
		description:
			'Whether n8n downloads the Chart URL and uploads the image (works for loopback URLs). Off: Telegram fetches the URL itself, which must then be public.',
		displayOptions: show,
	},
	sendOptions('sendSignalCard'),
];

interface Photo {
	bytes?: Buffer;
	fileName?: string;
	mimeType?: string;
	url?: string;
	source: 'binary' | 'url_downloaded' | 'url' | 'math_service';
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const item = this.getInputData()[itemIndex];
	const json = item.json;
	const card = cardDataFromItem(json);

	if (json.duplicate === true) return { json: { ...json, telegram: { sent: false, skipped: 'duplicate' } } };
	const onlyApproved = this.getNodeParameter('onlyApproved', itemIndex, true) as boolean;
	if (card.status !== 'approved' && onlyApproved) {
		return { json: { ...json, telegram: { sent: false, skipped: `status ${card.status}` } } };
	}
	if (card.decisionId === '') {
		throw new NodeOperationError(this.getNode(), 'The item has no decision_id: connect this node after Risk Sizer › Decide', {
			itemIndex,
		});
	}

	const credentials = await telegramCredentials.call(this, itemIndex);
	const chatId = chatIdOr(this.getNodeParameter('chatId', itemIndex, '') as string, credentials.chatId);
	if (chatId === '') {
		throw new NodeOperationError(this.getNode(), 'No chat to send to', {
			itemIndex,
			description: 'Set Chat ID on the node or Default Chat ID on the HighFreqQuant Telegram API credential.',
		});
	}
	const options = readSendOptions.call(this, itemIndex);
	let replyMarkup: IDataObject | undefined;
	try {
		replyMarkup =
			card.status === 'approved'
				? {
						inline_keyboard: [
							[
								{ text: '✅ Executed', callback_data: formatCallbackData('executed', card.decisionId) },
								{ text: '⏭ Skipped', callback_data: formatCallbackData('skipped', card.decisionId) },
							],
						],
					}
				: undefined;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}

	const common: IDataObject = {
		chat_id: chatId,
		parse_mode: 'HTML',
		...(options.disableNotification ? { disable_notification: true } : {}),
	};

	let chartError: string | undefined;
	let photo: Photo | undefined;
	try {
		photo = await readPhoto.call(this, itemIndex, item, card.decisionId);
	} catch (error) {
		chartError = `chart not read: ${(error as Error).message}`;
	}

	if (photo !== undefined) {
		const caption = renderSignalCard(card, CAPTION_LIMIT);
		try {
			const result = (await telegramRequest.call(
				this,
				'sendPhoto',
				() => photoBody(common, caption.html, replyMarkup, photo as Photo),
				itemIndex,
				options,
			)) as IDataObject;
			return output(json, result, chatId, 'sendPhoto', caption.truncated, photo.source, undefined);
		} catch (error) {
			// A refused photo (bad image, unreachable URL) must not cost the signal; rate limits and
			// outages do not improve by sending a second message, so those fail the item.
			if ((error as Error).name !== 'NodeOperationError') throw asNodeError(this.getNode(), error, itemIndex);
			chartError = `photo not sent: ${(error as Error).message}`;
		}
	}

	const text = renderSignalCard(card, MESSAGE_LIMIT);
	const result = (await telegramRequest.call(
		this,
		'sendMessage',
		() => ({
			...common,
			text: text.html,
			link_preview_options: { is_disabled: true },
			...(replyMarkup ? { reply_markup: replyMarkup } : {}),
		}),
		itemIndex,
		options,
	)) as IDataObject;
	return output(json, result, chatId, 'sendMessage', text.truncated, 'none', chartError);
}

function output(
	json: IDataObject,
	result: IDataObject,
	chatId: string,
	method: string,
	truncated: boolean,
	chart: string,
	chartError: string | undefined,
): INodeExecutionData {
	return {
		json: {
			...json,
			telegram: {
				sent: true,
				method,
				chat_id: (result?.chat as IDataObject | undefined)?.id ?? chatId,
				message_id: result?.message_id,
				truncated,
				chart,
				...(chartError ? { chart_error: chartError } : {}),
			},
		},
	};
}

async function readPhoto(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	decisionId: string,
): Promise<Photo | undefined> {
	const property = this.getNodeParameter('chartBinaryProperty', itemIndex, 'chart') as string;
	const binary = await readBinaryPhoto.call(this, itemIndex, item, property, 'chart.png');
	if (binary !== undefined) return { ...binary, source: 'binary' };
	const url = (this.getNodeParameter('chartUrl', itemIndex, '') as string).trim();
	if (url === '') return await mathServiceChart.call(this, itemIndex, decisionId);
	if (!(this.getNodeParameter('downloadChart', itemIndex, true) as boolean)) return { url, source: 'url' };
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		timeout: 10_000,
	})) as { body: ArrayBuffer | Buffer; headers: IDataObject };
	const bytes = Buffer.from(response.body as ArrayBuffer);
	if (bytes.length === 0) throw new Error(`${url} returned an empty body`);
	const mimeType = String(response.headers['content-type'] ?? 'image/png').split(';')[0];
	return { bytes, fileName: mimeType === 'image/jpeg' ? 'chart.jpg' : 'chart.png', mimeType, source: 'url_downloaded' };
}

/** The decision's chart PNG from the math service, or undefined when no HighFreqQuant API credential is set. */
async function mathServiceChart(this: IExecuteFunctions, itemIndex: number, decisionId: string): Promise<Photo | undefined> {
	if (!(this.getNodeParameter('chartFromMathService', itemIndex, true) as boolean)) return undefined;
	let baseUrl: string;
	try {
		const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_NAME, itemIndex);
		baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	} catch {
		return undefined;
	}
	const path = `/v1/decisions/${encodeURIComponent(decisionId)}/chart.png`;
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
		method: 'GET',
		url: `${baseUrl}${path}`,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 10_000,
	})) as { body: ArrayBuffer | Buffer; headers: IDataObject; statusCode: number };
	const bytes = Buffer.from(response.body as ArrayBuffer);
	if (response.statusCode !== 200) {
		throw new Error(`GET ${path} answered HTTP ${response.statusCode}: ${bytes.toString('utf8').slice(0, 200)}`);
	}
	if (bytes.length === 0) throw new Error(`GET ${path} returned an empty body`);
	return { bytes, fileName: `decision-${decisionId}.png`, mimeType: 'image/png', source: 'math_service' };
}

function photoBody(common: IDataObject, caption: string, replyMarkup: IDataObject | undefined, photo: Photo): IDataObject | FormData {
	if (photo.bytes === undefined) {
		return { ...common, photo: photo.url, caption, ...(replyMarkup ? { reply_markup: replyMarkup } : {}) };
	}
	return photoForm({ ...common, caption, reply_markup: replyMarkup }, photo as PhotoFile);
}
