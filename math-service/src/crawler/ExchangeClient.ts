/**
 * @module crawler/ExchangeClient
 * The slice of a ccxt exchange the crawler uses: `fetchOHLCV` (same signature on every ccxt
 * exchange). Tests and main.ts pass a real `ccxt.binance` (see createExchangeClient.ts); nothing
 * else in the service talks to an exchange.
 */

/** ccxt's OHLCV row: [open time ms, open, high, low, close, base volume]. */
export type Ohlcv = [number, number, number, number, number, number];

export interface ExchangeClient {
	/** ccxt exchange id, e.g. `binance`. */
	readonly id: string;
	fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<unknown[][]>;
	/** ccxt keeps the headers of the last response (used for Retry-After when the error lacks it). */
	last_response_headers?: Record<string, string> | undefined;
}
