/** Parameters shared by the Market Data operations: the exchange and, for reads, one market. */
import type { INodeProperties } from 'n8n-workflow';

import { exchangeParameter } from '../../shared/candleParameters';

export const marketExchangeParameter: INodeProperties = exchangeParameter('Spot exchange whose candles are synced or read; candles are stored per exchange');

export const TIMEFRAME_OPTIONS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w'].map((tf) => ({ name: tf, value: tf }));

export const symbolParameter = (operation: string): INodeProperties => ({
	displayName: 'Symbol',
	name: 'symbol',
	type: 'string',
	default: 'BTC/USDT',
	required: true,
	placeholder: 'e.g. BTC/USDT',
	description: 'Pair in any common spelling (BTC/USDT, BTCUSDT, BINANCE:BTCUSDT)',
	displayOptions: { show: { operation: [operation] } },
});

/** The service's query string for GET requests. */
export const query = (values: Record<string, string | number>) => new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString();
