/**
 * Sync Candles: for each symbol, POST /v1/candles/sync — the math service fetches only the closed
 * bars after the newest stored one (at most Max Pages requests of 1,000 bars), and reports the
 * gaps the exchange has. Optionally the daily bars too (the VaR budget and volatility read them).
 * Call it from a Schedule Trigger every minute.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { TIMEFRAME_OPTIONS } from './marketParameters';

/** The whitelisted universe, quoted in USDT. */
export const DEFAULT_SYMBOLS = 'BTC/USDT, ETH/USDT, SOL/USDT, AVAX/USDT, NEAR/USDT, BNB/USDT, ARB/USDT, OP/USDT, POL/USDT';

export const option = {
	name: 'Sync Candles',
	value: 'syncCandles',
	description: 'Fetch the missing closed candles of each symbol from the exchange into the math service',
	action: 'Sync candles',
};

const show = { show: { operation: ['syncCandles'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Symbols',
		name: 'symbols',
		type: 'string',
		default: DEFAULT_SYMBOLS,
		description: 'Comma-separated pairs; only whitelisted spot pairs are crawled',
		displayOptions: show,
	},
	{
		displayName: 'Timeframe',
		name: 'timeframe',
		type: 'options',
		options: TIMEFRAME_OPTIONS,
		default: '1m',
		description: 'Bar length to sync',
		displayOptions: show,
	},
	{
		displayName: 'Also Daily Candles',
		name: 'includeDaily',
		type: 'boolean',
		default: true,
		description: 'Whether to also sync 1d candles (the VaR budget gate and volatility use them)',
		displayOptions: show,
	},
	{
		displayName: 'Max Pages',
		name: 'maxPages',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 5,
		description: 'Exchange requests of up to 1,000 bars per symbol and timeframe, at most',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const exchange = this.getNodeParameter('exchange', itemIndex) as string;
	const timeframe = this.getNodeParameter('timeframe', itemIndex) as string;
	const maxPages = this.getNodeParameter('maxPages', itemIndex) as number;
	const symbols = String(this.getNodeParameter('symbols', itemIndex))
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (symbols.length === 0) throw new NodeOperationError(this.getNode(), 'Symbols is empty: give at least one pair, e.g. BTC/USDT', { itemIndex });
	const timeframes = [timeframe, ...(this.getNodeParameter('includeDaily', itemIndex) && timeframe !== '1d' ? ['1d'] : [])];
	const synced: IDataObject[] = [];
	for (const symbol of symbols) {
		for (const tf of timeframes) {
			synced.push(await mathServiceRequest.call(this, 'POST', '/v1/candles/sync', { exchange, symbol, timeframe: tf, max_pages: maxPages }, itemIndex));
		}
	}
	return {
		exchange,
		synced,
		inserted: synced.reduce((sum, s) => sum + Number(s.inserted ?? 0), 0),
		complete: synced.every((s) => s.complete === true),
	};
}
