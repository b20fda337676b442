/**
 * @module crawler/mapExchangeError
 * ccxt's error hierarchy → the service's errors, named for what the caller does next:
 * - rate limited (Binance HTTP 429, Bybit retCode 10006 or HTTP 403: ccxt RateLimitExceeded) or
 *   IP-banned (Binance HTTP 418, ccxt DDoSProtection) → `RetryableError` with the exchange's Retry-After (Binance sends seconds);
 *   Bybit's retCode 10006 waits until its X-Bapi-Limit-Reset-Timestamp, its HTTP 403 IP block 10 minutes;
 *   calling again before then extends a Binance ban, so the n8n schedule should skip a beat.
 * - network trouble, timeouts, maintenance (ccxt NetworkError) → `RetryableError`;
 * - an unknown market (ccxt BadSymbol) or a request the exchange calls malformed (BadRequest) →
 *   `InvalidInputError` (fix the symbol or timeframe);
 * - a region block (HTTP 451) or authentication trouble → `OperatorError` (point BINANCE_BASE_URL or
 *   BYBIT_BASE_URL at a reachable mirror);
 * - any other exchange error → `RetryableError` (the exchange failed, not the caller).
 */
import ccxt from 'ccxt';
import { InvalidInputError, OperatorError, RetryableError } from '../errors.js';
import { BYBIT_IP_BAN_RETRY_MS, retryAfterMsOf } from './createExchangeClient.js';
import type { ExchangeClient } from './ExchangeClient.js';

/** Without a Retry-After header, wait this long after a 429 (Binance's weight window is 1 minute). */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 60_000;

export function mapExchangeError(error: unknown, client: ExchangeClient, what: string): Error {
	if (error instanceof RetryableError || error instanceof InvalidInputError || error instanceof OperatorError) return error;
	const e = error as { message?: string; retryAfterMs?: number | null; httpStatus?: number };
	const message = `${what}: ${(e?.message ?? String(error)).slice(0, 300)}`;
	const retryAfterMs = e?.retryAfterMs ?? retryAfterMsOf(e?.httpStatus ?? 0, client.last_response_headers);
	if (error instanceof ccxt.DDoSProtection || error instanceof ccxt.RateLimitExceeded) {
		// ccxt throws Bybit's text-bodied 403 from its status table, past the handleErrors hook: read the status off the message.
		const ipBlocked = client.id === 'bybit' && (e?.httpStatus === 403 || / 403 /.test(message));
		const fallback = ipBlocked ? BYBIT_IP_BAN_RETRY_MS : DEFAULT_RATE_LIMIT_RETRY_MS;
		return new RetryableError(`rate limited by ${client.id}; ${message}`, retryAfterMs ?? fallback, { cause: error });
	}
	if (error instanceof ccxt.BadSymbol) return new InvalidInputError(`${client.id} does not list this market; ${message}`, ['symbol']);
	if (error instanceof ccxt.BadRequest) return new InvalidInputError(`${client.id} refused the request; ${message}`);
	if (e?.httpStatus === 451 || /restricted location|451/.test(message)) {
		return new OperatorError(`${client.id} refuses this location; set ${client.id.toUpperCase()}_BASE_URL to a reachable mirror. ${message}`);
	}
	if (error instanceof ccxt.AuthenticationError || error instanceof ccxt.PermissionDenied) return new OperatorError(message);
	if (error instanceof ccxt.NetworkError) return new RetryableError(`${client.id} unreachable; ${message}`, retryAfterMs, { cause: error });
	if (error instanceof ccxt.BaseError) return new RetryableError(message, retryAfterMs, { cause: error });
	return error instanceof Error ? error : new Error(message);
}
