/**
 * @module crawler/crawlerSettings
 * The crawler's environment, read here rather than in config.ts (the shared Config belongs to the
 * service foundation; the pipeline reads its own settings the same way, see pipeline/pipelineSettings):
 *
 * | Variable           | Default                          | Meaning                                                    |
 * | ------------------ | -------------------------------- | ---------------------------------------------------------- |
 * | `BINANCE_BASE_URL` | none (ccxt's https://api.binance.com/api/v3) | Spot public REST root for ccxt, e.g. a mirror (`https://data-api.binance.vision/api/v3`) or a loopback fake (`http://127.0.0.1:PORT/api/v3`). A bare origin gets `/api/v3` appended. |
 *
 * Whether the chart route may crawl on its own: only when an exchange is *configured* — a client
 * injected through AppDeps or `BINANCE_BASE_URL` set. With neither, charts use the stored candles
 * only, so tests and offline installs never reach the internet; production keeps candles fresh
 * with the scheduled `POST /v1/candles/sync` (crawler/README.md).
 */
import { OperatorError } from '../errors.js';

export interface CrawlerSettings {
	/** Binance spot public REST root (ends in `/api/v3`), or null for ccxt's default. */
	binanceBaseUrl: string | null;
	/** Timeout of one exchange request, ms. */
	requestTimeoutMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Reads the crawler settings; an unusable BINANCE_BASE_URL is an OperatorError naming it. */
export function crawlerSettingsFromEnv(env: Record<string, string | undefined> = process.env): CrawlerSettings {
	const raw = env.BINANCE_BASE_URL?.trim() ?? '';
	return { binanceBaseUrl: raw === '' ? null : normalizeBinanceBaseUrl(raw), requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS };
}

/** `http(s)://host[:port][/path]` → the spot REST root; a bare origin gets `/api/v3`. */
export function normalizeBinanceBaseUrl(raw: string): string {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new OperatorError(`BINANCE_BASE_URL ${JSON.stringify(raw.slice(0, 200))} is not a URL; use e.g. https://data-api.binance.vision/api/v3`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new OperatorError(`BINANCE_BASE_URL must be http(s), got ${url.protocol}`);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new OperatorError('BINANCE_BASE_URL must not carry credentials, a query or a fragment');
	}
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.origin}${path === '' ? '/api/v3' : path}`;
}
