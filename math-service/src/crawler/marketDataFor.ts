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
 * An injected client serves requests for its own exchange (`client.id`); `exchangeClients` injects
 * several (Binance and Bybit). Any other exchange gets a ccxt client built on first use from the
 * environment (crawlerSettings: BINANCE_BASE_URL, BYBIT_BASE_URL). A request naming no exchange means
 * HFQ_EXCHANGE (default binance). `exchangeClient: null` switches exchange access off (sync → 500
 * operator error).
 */
import type { AppDeps } from '../appDeps.js';
import { OperatorError } from '../errors.js';
import type { Storage } from '../storage/openStorage.js';
import { createExchangeClient, supportedExchange, type SupportedExchange } from './createExchangeClient.js';
import { baseUrlOf, crawlerSettingsFromEnv, type CrawlerSettings } from './crawlerSettings.js';
import type { ExchangeClient } from './ExchangeClient.js';

export interface MarketDataDepsExtension {
	/** ccxt-shaped client for public market data; null = no exchange access. */
	exchangeClient?: ExchangeClient | null;
	/** More injected clients, one per exchange id (e.g. a Binance and a Bybit fake). */
	exchangeClients?: readonly ExchangeClient[];
	/** Overrides of the environment-derived crawler settings. */
	crawler?: Partial<CrawlerSettings>;
}

export interface MarketData {
	readonly storage: Storage;
	now(): number;
	/** Exchange of requests that name none (HFQ_EXCHANGE, or the injected client's). */
	readonly defaultExchange: SupportedExchange;
	/** True when an exchange was configured on purpose (injected client or the default exchange's base URL). */
	readonly exchangeConfigured: boolean;
	/** The client of `exchange` (default: defaultExchange), built on first use; OperatorError when exchange access is off. */
	exchangeClient(exchange?: string): ExchangeClient;
}

const cache = new WeakMap<object, MarketData>();

export function marketDataFor(deps: AppDeps): MarketData {
	const cached = cache.get(deps);
	if (cached) return cached;
	const ext = deps as AppDeps & MarketDataDepsExtension;
	const settings: CrawlerSettings = { ...crawlerSettingsFromEnv(process.env), ...ext.crawler };
	const clients = new Map<string, ExchangeClient>();
	for (const injected of [...(ext.exchangeClients ?? []), ...(ext.exchangeClient ? [ext.exchangeClient] : [])]) clients.set(injected.id, injected);
	const defaultExchange = ext.exchangeClient ? supportedExchange(ext.exchangeClient.id) : settings.defaultExchange;
	const md: MarketData = {
		get storage(): Storage {
			if (deps.storage === undefined) throw new OperatorError('the math service was started without a database; candles need one');
			return deps.storage;
		},
		now: () => (deps.clock ? deps.clock.now() : Date.now()),
		defaultExchange,
		exchangeConfigured: ext.exchangeClient !== undefined ? ext.exchangeClient !== null : clients.size > 0 || baseUrlOf(settings, defaultExchange) !== null,
		exchangeClient(name?: string) {
			if (ext.exchangeClient === null) throw new OperatorError('exchange access is switched off in this service (exchangeClient: null)');
			const exchange = name === undefined ? defaultExchange : supportedExchange(name);
			let client = clients.get(exchange);
			if (!client) {
				client = createExchangeClient(exchange, { baseUrl: baseUrlOf(settings, exchange), timeoutMs: settings.requestTimeoutMs });
				clients.set(exchange, client);
			}
			return client;
		},
	};
	cache.set(deps, md);
	return md;
}
