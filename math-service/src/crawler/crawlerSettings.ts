/**
 * @module crawler/crawlerSettings
 * The crawler's environment, read here rather than in config.ts (the shared Config belongs to the
 * service foundation; the pipeline reads its own settings the same way, see pipeline/pipelineSettings):
 *
 * | Variable           | Default                          | Meaning                                                    |
 * | ------------------ | -------------------------------- | ---------------------------------------------------------- |
 * | `HFQ_EXCHANGE`     | `binance`                        | Exchange a candle request means when it names none (`binance` or `bybit`). |
 * | `BINANCE_BASE_URL` | none (ccxt's https://api.binance.com/api/v3) | Spot public REST root for ccxt, e.g. a mirror (`https://data-api.binance.vision/api/v3`) or a loopback fake (`http://127.0.0.1:PORT/api/v3`). A bare origin gets `/api/v3` appended. |
 * | `BYBIT_BASE_URL`   | none (ccxt's https://api.bybit.com) | Bybit public REST origin the v5 paths hang off, e.g. `https://api.bytick.com` or a loopback fake (`http://127.0.0.1:PORT`). |
 *
 * Whether the chart route may crawl on its own: only when an exchange is *configured* — a client
 * injected through AppDeps or the default exchange's base URL set. With neither, charts use the
 * stored candles only, so tests and offline installs never reach the internet; production keeps
 * candles fresh with the scheduled `POST /v1/candles/sync` (crawler/README.md).
 */
import { OperatorError } from '../errors.js';
import { SUPPORTED_EXCHANGES, type SupportedExchange } from './createExchangeClient.js';

export interface CrawlerSettings {
	/** Exchange of requests that name none. */
	defaultExchange: SupportedExchange;
	/** Binance spot public REST root (ends in `/api/v3`), or null for ccxt's default. */
	binanceBaseUrl: string | null;
	/** Bybit public REST origin (the v5 paths are appended), or null for ccxt's default. */
	bybitBaseUrl: string | null;
	/** Timeout of one exchange request, ms. */
	requestTimeoutMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Reads the crawler settings; an unusable HFQ_EXCHANGE, BINANCE_BASE_URL or BYBIT_BASE_URL is an OperatorError naming it. */
export function crawlerSettingsFromEnv(env: Record<string, string | undefined> = process.env): CrawlerSettings {
	const binance = env.BINANCE_BASE_URL?.trim() ?? '';
	const bybit = env.BYBIT_BASE_URL?.trim() ?? '';
	const exchange = (env.HFQ_EXCHANGE?.trim() ?? '').toLowerCase() || 'binance';
	if (!(SUPPORTED_EXCHANGES as readonly string[]).includes(exchange)) {
		throw new OperatorError(`HFQ_EXCHANGE ${JSON.stringify(String(env.HFQ_EXCHANGE).slice(0, 40))} is not supported; use one of ${SUPPORTED_EXCHANGES.join(', ')}`);
	}
	return {
		defaultExchange: exchange as SupportedExchange,
		binanceBaseUrl: binance === '' ? null : normalizeBinanceBaseUrl(binance),
		bybitBaseUrl: bybit === '' ? null : normalizeBybitBaseUrl(bybit),
		requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
	};
}

function parseBaseUrl(name: string, raw: string, example: string): URL {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new OperatorError(`${name} ${JSON.stringify(raw.slice(0, 200))} is not a URL; use e.g. ${example}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new OperatorError(`${name} must be http(s), got ${url.protocol}`);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new OperatorError(`${name} must not carry credentials, a query or a fragment`);
	}
	return url;
}

/** `http(s)://host[:port][/path]` → the spot REST root; a bare origin gets `/api/v3`. */
export function normalizeBinanceBaseUrl(raw: string): string {
	const url = parseBaseUrl('BINANCE_BASE_URL', raw, 'https://data-api.binance.vision/api/v3');
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.origin}${path === '' ? '/api/v3' : path}`;
}

/** `http(s)://host[:port][/prefix]` → the root ccxt appends `/v5/market/...` to, without a trailing slash. */
export function normalizeBybitBaseUrl(raw: string): string {
	const url = parseBaseUrl('BYBIT_BASE_URL', raw, 'https://api.bybit.com');
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The configured base URL of `exchange`, or null for ccxt's default. */
export function baseUrlOf(settings: CrawlerSettings, exchange: SupportedExchange): string | null {
	return exchange === 'bybit' ? settings.bybitBaseUrl : settings.binanceBaseUrl;
}
