/**
 * Parameters both operations share: which stored candles (exchange, symbol, timeframe, window),
 * the trading costs and the broker rules (capital, position size, time stop — 0 switches it off —,
 * intrabar tie rule, tick size), each with the Pine strategy's default. Candles come from the math service's database (a crawler or
 * `npm run import-candles` fills it).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { candleTimeframeParameter } from '../../shared/candleParameters';

const show = { show: { operation: ['runBacktest', 'runSweep'] } };

export const dataParameters: INodeProperties[] = [
	{
		displayName: 'Symbol',
		name: 'symbol',
		type: 'string',
		default: 'BTC/USDT',
		required: true,
		description: 'Market of the stored candles, e.g. BTC/USDT',
		displayOptions: show,
	},
	candleTimeframeParameter({ timeframes: ['1m', '5m', '15m', '1h', '4h', '1d'], default: '1h', description: 'Bar length of the stored candles', displayOptions: show }),
	{
		displayName: 'Exchange',
		name: 'exchange',
		type: 'string',
		default: 'binance',
		description: 'Exchange of the stored candles',
		displayOptions: show,
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2024-01-01',
		description: 'First bar open time (UTC, ISO 8601 or YYYY-MM-DD). Empty: the first stored candle.',
		displayOptions: show,
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2025-01-01',
		description: 'End of the window, exclusive (UTC). Empty: up to the last stored candle.',
		displayOptions: show,
	},
	{
		displayName: 'Fee',
		name: 'fee',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 0.1, numberPrecision: 5 },
		default: 0.001,
		description: 'Commission per side as a ratio (0.001 = 0.1%, Binance spot)',
		displayOptions: show,
	},
	{
		displayName: 'Slippage',
		name: 'slippage',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 0.1, numberPrecision: 5 },
		default: 0.0002,
		description: 'Adverse slippage on market and stop fills as a ratio (0.0002 = 2 basis points)',
		displayOptions: show,
	},
	{
		displayName: 'Initial Capital',
		name: 'initialCapital',
		type: 'number',
		typeOptions: { minValue: 0.01 },
		default: 10000,
		description: 'Starting equity in the quote currency (the Pine strategy\'s initial_capital)',
		displayOptions: show,
	},
	{
		displayName: 'Position Size',
		name: 'positionSizeRatio',
		type: 'number',
		typeOptions: { minValue: 0.0001, maxValue: 1, numberPrecision: 4 },
		default: 0.1,
		description: 'Share of equity per trade as a ratio (0.1 = 10% of equity, the Pine strategy\'s default)',
		displayOptions: show,
	},
	{
		displayName: 'Time Stop (Hours)',
		name: 'timeStopHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 48,
		description: 'Close a trade at the first bar close this many hours after entry. 0 switches the time stop off (the Pine script as written has none).',
		displayOptions: show,
	},
	{
		displayName: 'Tie Break',
		name: 'tieBreak',
		type: 'options',
		options: [
			{ name: 'High First (PineTS)', value: 'high_first' },
			{ name: 'Low First (PyneCore)', value: 'low_first' },
		],
		default: 'low_first',
		description: 'Intrabar path when the open is exactly as far from the high as from the low: which extreme the broker emulator visits first',
		displayOptions: show,
	},
	{
		displayName: 'Tick Size',
		name: 'tickSize',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 8 },
		default: 0,
		description: 'Price tick: the target is rounded up and the stop down to it. 0 = no rounding.',
		displayOptions: show,
	},
	{
		displayName: 'Trade Limit',
		name: 'tradeLimit',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 20,
		description: 'How many trades to list in the output (all trades count in the metrics)',
		displayOptions: show,
	},
];

/** The request fields of {@link dataParameters} for one item. */
export function dataBody(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const body: IDataObject = {
		symbol: text('symbol'),
		timeframe: text('timeframe'),
		exchange: text('exchange') || 'binance',
		fee: this.getNodeParameter('fee', itemIndex) as number,
		slippage: this.getNodeParameter('slippage', itemIndex) as number,
		initial_capital: this.getNodeParameter('initialCapital', itemIndex, 10000) as number,
		position_size_ratio: this.getNodeParameter('positionSizeRatio', itemIndex, 0.1) as number,
		time_stop_hours: this.getNodeParameter('timeStopHours', itemIndex, 48) as number,
		tie_break: this.getNodeParameter('tieBreak', itemIndex, 'low_first') as string,
		trade_limit: this.getNodeParameter('tradeLimit', itemIndex) as number,
	};
	const tickSize = this.getNodeParameter('tickSize', itemIndex, 0) as number;
	if (tickSize > 0) body.tick_size = tickSize;
	if (text('from')) body.from = text('from');
	if (text('to')) body.to = text('to');
	return body;
}
