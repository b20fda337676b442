/**
 * @module crawler/syncCandles
 * Incremental candle crawler (seed 2, "fetch only the latest missing candles").
 *
 * Financial logic: indicators and signals may only see *closed* bars; a bar still forming would
 * move the VWAP, bands and signals after the fact (look-ahead). So the crawler stores a bar only
 * once its close time (open + length − 1 ms) is in the past on the injected clock, and resumes
 * from the bar after the newest stored one. Each call costs the exchange one request per 1,000
 * new bars (Binance klines weight 2, budget 6,000/minute) and at most `maxPages` requests, so a
 * one-minute schedule on a handful of symbols uses well under 1 % of the budget.
 *
 * Steps: normalise the symbol and check the whitelist (core/intake; nothing else is crawled) →
 * start = newest stored open time + one bar, else `sinceMs`, else the last 1,000 bars → request the
 * window of at most 1,000 bars [start, start + 999 bars] (capped at `until`) with
 * `fetchOHLCV(symbol, timeframe, start, 1000, {until: windowEnd})` → keep bars with
 * start ≤ open ≤ windowEnd whose close time < now → upsert (idempotent by exchange, symbol,
 * timeframe, open time) → next window right after this one, until `until` or `maxPages`.
 * Every request names both ends, so Binance (which pages forward from `startTime`) and Bybit (whose
 * v5 kline answers newest first) return the same bars, and a backfill of N missing bars costs
 * exactly ceil(N / 1000) requests. Bars the exchange does not have stay missing: they are reported
 * as gaps (storage candles.gaps), never invented.
 * Syncs of one series in this process run one after another, so overlapping callers (the n8n
 * schedule and a chart request) never download the same bars twice.
 */
import type { Clock } from '../appDeps.js';
import { checkWhitelist, DEFAULT_WHITELIST, normalizeSymbol, type WhitelistConfig } from '../core/intake/index.js';
import { InvalidInputError } from '../errors.js';
import type { CandleGap } from '../storage/candles.js';
import type { Storage } from '../storage/openStorage.js';
import type { Candle } from '../storage/schema.js';
import { supportedExchange } from './createExchangeClient.js';
import type { ExchangeClient } from './ExchangeClient.js';
import { mapExchangeError } from './mapExchangeError.js';
import { timeframeMs } from './timeframes.js';
import { log } from '../observability/logger.js';

/** The largest kline page of Binance spot and of Bybit v5. */
export const PAGE_LIMIT = 1000;
/** Requests per call unless told otherwise: 5,000 bars (3.5 days of 1m) catch up after a pause. */
export const DEFAULT_MAX_PAGES = 5;
/** Hard ceiling on `maxPages` (a backfill of 50,000 bars per call). */
export const MAX_PAGES_LIMIT = 50;
/** An empty series without `sinceMs` starts this many bars back (one page). */
export const DEFAULT_BACKFILL_BARS = 1000;

export interface SyncCandlesRequest {
	exchange: string;
	/** Any spelling normalizeSymbol accepts (`BTC/USDT`, `BINANCE:BTCUSDT`, `btcusdt`). */
	symbol: string;
	timeframe: string;
	/** Where an empty series starts (Unix ms). Ignored when the stored series already reaches past it. */
	sinceMs?: number;
	/** Last open time to fetch (Unix ms, inclusive); default: up to the newest closed bar. */
	untilMs?: number;
	maxPages?: number;
}

export interface SyncCandlesDeps {
	storage: Pick<Storage, 'candles'>;
	exchangeClient: ExchangeClient;
	clock?: Clock;
	whitelist?: WhitelistConfig;
}

export interface SyncCandlesResult {
	exchange: string;
	/** The normalised, whitelisted pair that was crawled (`MATIC/USDT` → `POL/USDT`). */
	symbol: string;
	timeframe: string;
	/** Rows the exchange returned (what the call cost), including dropped open bars. */
	fetched: number;
	/** Closed bars written; all are new, since the crawl starts after the newest stored bar. */
	inserted: number;
	/** Bars received but not stored because they had not closed yet on the clock. */
	droppedOpen: number;
	/** Exchange requests made. */
	pages: number;
	/** False when `maxPages` ran out before the series caught up (call again). */
	complete: boolean;
	/** Newest stored open time after the call (Unix ms), null for a still-empty series. */
	latestOpenTime: number | null;
	/** Missing bars in the span this call covered (from the bar before its first request to the newest stored bar). */
	gaps: CandleGap[];
}

/** The market key a request crawls: exchange id, whitelisted `BASE/QUOTE`, timeframe. Throws InvalidInputError. */
export function resolveCandleKey(req: Pick<SyncCandlesRequest, 'exchange' | 'symbol' | 'timeframe'>, whitelist: WhitelistConfig = DEFAULT_WHITELIST) {
	const exchange = supportedExchange(req.exchange);
	timeframeMs(req.timeframe);
	let normalized;
	try {
		normalized = normalizeSymbol(req.symbol);
	} catch (error) {
		throw new InvalidInputError((error as Error).message, ['symbol']);
	}
	if (normalized.contract !== 'spot') throw new InvalidInputError(`${normalized.symbol} is a perpetual; the crawler stores spot candles only`, ['symbol']);
	const listed = checkWhitelist(normalized.base, whitelist);
	if (!listed.allowed) throw new InvalidInputError(`${listed.reasonCode}: ${listed.reason}`, ['symbol']);
	return { exchange, symbol: `${listed.asset}/${normalized.quote}`, timeframe: req.timeframe };
}

/**
 * The stored series a reader means: exchange and timeframe checked, symbol normalised and aliased
 * like the crawler stores it (`MATIC/USDT` → `POL/USDT`), but not whitelist-filtered (candles
 * imported from files may hold other pairs). Throws InvalidInputError.
 */
export function lookupCandleKey(req: Pick<SyncCandlesRequest, 'exchange' | 'symbol' | 'timeframe'>, whitelist: WhitelistConfig = DEFAULT_WHITELIST) {
	const exchange = supportedExchange(req.exchange);
	timeframeMs(req.timeframe);
	let normalized;
	try {
		normalized = normalizeSymbol(req.symbol);
	} catch (error) {
		throw new InvalidInputError((error as Error).message, ['symbol']);
	}
	const listed = checkWhitelist(normalized.base, whitelist);
	return { exchange, symbol: `${listed.allowed ? listed.asset : normalized.base}/${normalized.quote}`, timeframe: req.timeframe };
}

const running = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `fn` after any earlier sync of the same series on the same storage has finished. */
function oneAtATime<T>(storage: object, id: string, fn: () => Promise<T>): Promise<T> {
	let map = running.get(storage);
	if (!map) running.set(storage, (map = new Map()));
	const previous = map.get(id) ?? Promise.resolve();
	const next = previous.catch(() => undefined).then(fn);
	const tail = next.catch(() => undefined);
	map.set(id, tail);
	void tail.then(() => {
		if (map!.get(id) === tail) map!.delete(id);
	});
	return next;
}

export async function syncCandles(req: SyncCandlesRequest, deps: SyncCandlesDeps): Promise<SyncCandlesResult> {
	const key = resolveCandleKey(req, deps.whitelist);
	const maxPages = req.maxPages ?? DEFAULT_MAX_PAGES;
	if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > MAX_PAGES_LIMIT) {
		throw new InvalidInputError(`maxPages must be an integer from 1 to ${MAX_PAGES_LIMIT}`, ['max_pages']);
	}
	for (const [name, v] of [['since', req.sinceMs], ['until', req.untilMs]] as const) {
		if (v !== undefined && !Number.isSafeInteger(v)) throw new InvalidInputError(`${name} must be Unix milliseconds`, [name]);
	}
	if (deps.exchangeClient.id !== key.exchange) throw new InvalidInputError(`the configured exchange client is ${deps.exchangeClient.id}, not ${key.exchange}`, ['exchange']);
	return oneAtATime(deps.storage, `${key.exchange}|${key.symbol}|${key.timeframe}`, () => crawl(key, req, maxPages, deps));
}

async function crawl(key: { exchange: string; symbol: string; timeframe: string }, req: SyncCandlesRequest, maxPages: number, deps: SyncCandlesDeps): Promise<SyncCandlesResult> {
	const { storage, exchangeClient: client } = deps;
	const barMs = timeframeMs(key.timeframe);
	const nowMs = deps.clock ? deps.clock.now() : Date.now();
	const latest = await storage.candles.latestOpenTime(key);
	let start = latest !== null ? latest + barMs : req.sinceMs ?? Math.floor(nowMs / barMs) * barMs - DEFAULT_BACKFILL_BARS * barMs;
	if (req.sinceMs !== undefined && req.sinceMs > start) start = req.sinceMs;
	// Newest open time a *closed* bar can have: its close (open + barMs − 1) must be before now.
	const lastClosedOpen = nowMs - barMs;
	const until = Math.min(req.untilMs ?? Number.POSITIVE_INFINITY, lastClosedOpen);
	const result: SyncCandlesResult = { ...key, fetched: 0, inserted: 0, droppedOpen: 0, pages: 0, complete: false, latestOpenTime: latest, gaps: [] };
	const firstStart = start;
	const finish = async (complete: boolean) => {
		result.complete = complete;
		if (result.inserted > 0 && result.latestOpenTime !== null) {
			result.gaps = await storage.candles.gaps(key, barMs, firstStart - barMs, result.latestOpenTime + 1);
		}
		return result;
	};

	while (start <= until) {
		if (result.pages >= maxPages) return finish(false);
		const windowEnd = Math.min(until, start + (PAGE_LIMIT - 1) * barMs);
		let rows: unknown[][];
		try {
			// `until` (Binance endTime, Bybit end, inclusive) bounds the window and asks for closed bars
			// only; the filter below still drops a forming bar from an exchange that ignores it.
			rows = await client.fetchOHLCV(key.symbol, key.timeframe, start, PAGE_LIMIT, { until: windowEnd });
		} catch (error) {
			log.warn({ err: error, exchange: key.exchange, symbol: key.symbol, timeframe: key.timeframe }, 'exchange request failed');
			throw mapExchangeError(error, client, `fetchOHLCV ${key.symbol} ${key.timeframe} from ${new Date(start).toISOString()}`);
		}
		result.pages += 1;
		result.fetched += rows.length;
		const closed: Candle[] = [];
		for (const row of rows) {
			const openTime = Number(row[0]);
			if (!Number.isSafeInteger(openTime) || openTime < start) continue;
			if (openTime > lastClosedOpen) {
				result.droppedOpen += 1;
				continue;
			}
			if (openTime > windowEnd) continue;
			const [open, high, low, close, volume] = row.slice(1, 6).map(Number) as [number, number, number, number, number];
			closed.push({ ...key, openTime, open, high, low, close, volume });
		}
		if (closed.length > 0) {
			await storage.candles.upsertMany(closed);
			result.inserted += closed.length;
			result.latestOpenTime = Math.max(result.latestOpenTime ?? 0, closed[closed.length - 1]!.openTime);
		}
		// The next window starts after this one even when the exchange had no bars in it (a gap).
		start = windowEnd + barMs;
	}
	return finish(true);
}
