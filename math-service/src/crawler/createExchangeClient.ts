/**
 * @module crawler/createExchangeClient
 * A real ccxt client for public market data. Only Binance spot is wired: `new ccxt.binance` with
 * ccxt's rate limiter on (requests are spaced by the exchange's `rateLimit`, 50 ms for Binance,
 * so one process never bursts past the 6,000 weight/minute budget), spot markets only (no futures
 * or margin endpoints are touched), no currency list (that endpoint needs an API key), and a
 * request timeout. With `baseUrl` the public REST root points at a mirror or a loopback fake.
 *
 * Binance answers 429 (rate limited) and 418 (IP banned for ignoring 429s) with a `Retry-After`
 * header in seconds; ccxt throws DDoSProtection without it, so the client copies the header onto
 * the thrown error as `retryAfterMs` for mapExchangeError.
 */
import ccxt from 'ccxt';
import { InvalidInputError } from '../errors.js';
import type { ExchangeClient } from './ExchangeClient.js';

export const SUPPORTED_EXCHANGES = ['binance'] as const;
export type SupportedExchange = (typeof SUPPORTED_EXCHANGES)[number];

export interface ExchangeClientOptions {
	/** Spot public REST root, e.g. `http://127.0.0.1:PORT/api/v3`; null/undefined = ccxt's default. */
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

export function createExchangeClient(exchange: SupportedExchange, options: ExchangeClientOptions = {}): ExchangeClient {
	const config: Record<string, unknown> = {
		enableRateLimit: true,
		timeout: options.timeoutMs ?? 10_000,
		options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
	};
	if (options.baseUrl) config.urls = { api: { public: options.baseUrl } };
	const client = new ccxt[exchange](config);
	const hooks = client as unknown as { handleErrors: (...a: unknown[]) => unknown };
	const handleErrors = hooks.handleErrors.bind(client);
	hooks.handleErrors = (...args: unknown[]) => {
		try {
			return handleErrors(...args);
		} catch (error) {
			if (error !== null && typeof error === 'object') {
				const [code, , , , headers] = args as [number, string, string, string, Record<string, string> | undefined];
				Object.assign(error, { httpStatus: code, retryAfterMs: parseRetryAfterMs(headerOf(headers, 'retry-after')) });
			}
			throw error;
		}
	};
	return client as unknown as ExchangeClient;
}

export { headerOf };
