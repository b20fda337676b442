/**
 * Node parameters that say which stored candles an operation reads: the exchange (candles are
 * stored per exchange) and the bar length. One definition for every node (Risk Monitor, Signal
 * Scan, Backtester, Market Data), so the same choice reads the same everywhere and a new exchange
 * or timeframe is added once.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The exchanges the math service stores candles of (its crawler's ccxt clients). */
export const EXCHANGE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Binance', value: 'binance' },
	{ name: 'Bybit', value: 'bybit' },
];

/** `Exchange` (options, default binance): whose stored candles the operation reads. */
export function exchangeParameter(description: string, displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Exchange',
		name: 'exchange',
		type: 'options',
		options: EXCHANGE_OPTIONS,
		default: 'binance',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** Display names of the bar lengths a candle timeframe parameter offers. */
const TIMEFRAME_NAMES = {
	'1m': '1 Minute',
	'5m': '5 Minutes',
	'15m': '15 Minutes',
	'1h': '1 Hour',
	'4h': '4 Hours',
	'1d': '1 Day',
} as const satisfies Record<string, string>;

export type CandleTimeframe = keyof typeof TIMEFRAME_NAMES;

/** The heartbeat's bar lengths: a scan or a risk tick every minute reads at most hourly bars. */
export const HEARTBEAT_TIMEFRAMES: CandleTimeframe[] = ['1m', '5m', '15m', '1h'];

/**
 * `Timeframe` (options, listed by display name as n8n's lint wants): the bar length of the stored
 * candles, one of `timeframes`, `default` among them.
 */
export function candleTimeframeParameter({
	timeframes,
	default: defaultTimeframe,
	description,
	displayOptions,
}: {
	timeframes: CandleTimeframe[];
	default: CandleTimeframe;
	description: string;
	displayOptions?: IDisplayOptions;
}): INodeProperties {
	if (!timeframes.includes(defaultTimeframe)) throw new Error(`timeframe default ${defaultTimeframe} is not among ${timeframes.join(', ')}`);
	const options = timeframes.map((value) => ({ name: TIMEFRAME_NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name));
	return {
		displayName: 'Timeframe',
		name: 'timeframe',
		type: 'options',
		options,
		default: defaultTimeframe,
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}
