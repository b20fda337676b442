/**
 * @module crawler/createExchangeClient
 * A real ccxt client for public market data, Binance spot or Bybit spot: `new ccxt.binance` /
 * `new ccxt.bybit` with ccxt's rate limiter on (requests are spaced by the exchange's `rateLimit`,
 * 50 ms for Binance, 20 ms for Bybit, so one process never bursts past the budgets), spot markets
 * only (no futures, options or margin endpoints are touched), no currency list (that endpoint needs
 * an API key), and a request timeout. With `baseUrl` the public REST root points at a mirror or a
 * loopback fake.
 *
 * Binance answers 429 (rate limited) and 418 (IP banned for ignoring 429s) with a `Retry-After`
 * header in seconds; ccxt throws DDoSProtection without it, so the client copies the header onto
 * the thrown error as `retryAfterMs` for mapExchangeError. Bybit answers retCode 10006 (too many
 * visits) with `X-Bapi-Limit-Reset-Timestamp` (Unix ms when the window resets), which becomes
 * `retryAfterMs` the same way; its HTTP 403 (IP rate limit) carries no time, and Bybit asks for a
 * 10-minute pause (BYBIT_IP_BAN_RETRY_MS).
 */
import ccxt from 'ccxt';
import { InvalidInputError } from '../errors.js';
import type { ExchangeClient } from './ExchangeClient.js';

export const SUPPORTED_EXCHANGES = ['binance', 'bybit'] as const;
export type SupportedExchange = (typeof SUPPORTED_EXCHANGES)[number];

export interface ExchangeClientOptions {
	/**
	 * Public REST root; null/undefined = ccxt's default. Binance: the spot root ending in `/api/v3`
	 * (`http://127.0.0.1:PORT/api/v3`); Bybit: the origin the `/v5/...` paths hang off (`https://api.bybit.com`).
	 */
	baseUrl?: string | null;
	timeoutMs?: number;
}

/** Checks and lower-cases an exchange name; InvalidInputError for anything not supported. */
export function supportedExchange(name: string): SupportedExchange {
	const id = String(name).trim().toLowerCase();
	if (!(SUPPORTED_EXCHANGES as readonly string[]).includes(id)) {
		throw new InvalidInputError(`exchange "${String(name).slice(0, 32)}" is not supported; use ${SUPPORTED_EXCHANGES.join(', ')}`, ['exchange']);
	}
	return id as SupportedExchange;
}

/** Parses a Retry-After header (seconds, or an HTTP date relative to `nowMs`) into ms; null if absent. */
export function parseRetryAfterMs(value: string | undefined | null, nowMs = Date.now()): number | null {
	if (value === undefined || value === null || value.trim() === '') return null;
	const v = value.trim();
	if (/^\d+$/.test(v)) return Number(v) * 1000;
	const at = Date.parse(v);
	return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
	return undefined;
}

/** Bybit's HTTP 403 "access too frequently": the IP is blocked; Bybit's docs ask for a 10-minute pause. */
export const BYBIT_IP_BAN_RETRY_MS = 600_000;

/** How long the exchange asked us to wait: Retry-After (Binance), X-Bapi-Limit-Reset-Timestamp (Bybit, Unix ms), or null. */
export function retryAfterMsOf(httpStatus: number, headers: Record<string, string> | undefined, nowMs = Date.now()): number | null {
	const retryAfter = parseRetryAfterMs(headerOf(headers, 'retry-after'), nowMs);
	if (retryAfter !== null) return retryAfter;
	const reset = headerOf(headers, 'x-bapi-limit-reset-timestamp');
	if (reset !== undefined && /^\d{10,16}$/.test(reset.trim())) return Math.max(0, Number(reset.trim()) - nowMs);
	return null;
}

export function createExchangeClient(exchange: SupportedExchange, options: ExchangeClientOptions = {}): ExchangeClient {
	const config: Record<string, unknown> = {
		enableRateLimit: true,
		timeout: options.timeoutMs ?? 10_000,
		options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
	};
	if (options.baseUrl) {
		// ccxt's bybit signs every v5 path against urls.api[api]; all four public slots point at the root.
		config.urls = exchange === 'bybit' ? { api: { public: options.baseUrl, spot: options.baseUrl, futures: options.baseUrl, v2: options.baseUrl, private: options.baseUrl } } : { api: { public: options.baseUrl } };
	}
	const client = exchange === 'bybit' ? new ccxt.bybit(config) : new ccxt.binance(config);
	const hooks = client as unknown as { handleErrors: (...a: unknown[]) => unknown };
	const handleErrors = hooks.handleErrors.bind(client);
	hooks.handleErrors = (...args: unknown[]) => {
		try {
			return handleErrors(...args);
		} catch (error) {
			if (error !== null && typeof error === 'object') {
				const [code, , , , headers] = args as [number, string, string, string, Record<string, string> | undefined];
				Object.assign(error, { httpStatus: code, retryAfterMs: retryAfterMsOf(code, headers) });
			}
			throw error;
		}
	};
	return client as unknown as ExchangeClient;
}

export { headerOf };
