/**
 * @module crawler/marketDataFor
 * What the candle and chart routes need from AppDeps, resolved once per app: the storage, the
 * clock and the exchange client. Tests (and main.ts, if it wants) add `exchangeClient` to the deps
 * object, like the pipeline's `PipelineDepsExtension`:
 *
 * ```ts
 * const deps: AppDeps & MarketDataDepsExtension = { config, storage, clock, exchangeClient: createExchangeClient('binance', { baseUrl }) };
 * createApp(deps);
 * ```
 * Without one, a ccxt Binance client is built on first use from the environment (crawlerSettings:
 * BINANCE_BASE_URL). `exchangeClient: null` switches exchange access off (sync → 500 operator error).
 */
import type { AppDeps } from '../appDeps.js';
import { OperatorError } from '../errors.js';
import type { Storage } from '../storage/openStorage.js';
import { createExchangeClient } from './createExchangeClient.js';
import { crawlerSettingsFromEnv, type CrawlerSettings } from './crawlerSettings.js';
import type { ExchangeClient } from './ExchangeClient.js';

export interface MarketDataDepsExtension {
	/** ccxt-shaped client for public market data; null = no exchange access. */
	exchangeClient?: ExchangeClient | null;
	/** Overrides of the environment-derived crawler settings. */
	crawler?: Partial<CrawlerSettings>;
}

export interface MarketData {
	readonly storage: Storage;
	now(): number;
	/** True when an exchange was configured on purpose (injected client or BINANCE_BASE_URL). */
	readonly exchangeConfigured: boolean;
	/** The exchange client (built on first use); OperatorError when exchange access is off. */
	exchangeClient(): ExchangeClient;
}

const cache = new WeakMap<object, MarketData>();

export function marketDataFor(deps: AppDeps): MarketData {
	const cached = cache.get(deps);
	if (cached) return cached;
	const ext = deps as AppDeps & MarketDataDepsExtension;
	const settings: CrawlerSettings = { ...crawlerSettingsFromEnv(process.env), ...ext.crawler };
	let client: ExchangeClient | undefined;
	const md: MarketData = {
		get storage(): Storage {
			if (deps.storage === undefined) throw new OperatorError('the math service was started without a database; candles need one');
			return deps.storage;
		},
		now: () => (deps.clock ? deps.clock.now() : Date.now()),
		exchangeConfigured: ext.exchangeClient !== undefined ? ext.exchangeClient !== null : settings.binanceBaseUrl !== null,
		exchangeClient() {
			if (ext.exchangeClient === null) throw new OperatorError('exchange access is switched off in this service (exchangeClient: null)');
			client ??= ext.exchangeClient ?? createExchangeClient('binance', { baseUrl: settings.binanceBaseUrl, timeoutMs: settings.requestTimeoutMs });
			return client;
		},
	};
	cache.set(deps, md);
	return md;
}
