/**
 * @module routes/candles
 * Market data kept by the incremental crawler (crawler/README.md):
 * - `POST /v1/candles/sync` `{exchange?, symbol, timeframe?, since?, until?, max_pages?}` fetches the
 *   closed candles after the newest stored one (or from `since` for an empty series) through ccxt and
 *   upserts them → `{fetched, inserted, latest_open_time, …}`. Call it every minute (n8n Schedule
 *   Trigger). A symbol outside the whitelist → 422 before the exchange is asked; exchange rate
 *   limit (429/418) → 503 with Retry-After. Every sync is a run of the `market_data`
 *   heartbeat job (GET /v1/heartbeat: its freshness, which the watchdog watches), under a lease per
 *   market (exchange, symbol, timeframe): two syncs of one market act once, different markets run
 *   side by side.
 * - `GET /v1/candles?exchange&symbol&timeframe&from&to&limit` reads stored candles, oldest first:
 *   with `from`, the first `limit` bars at or after it; otherwise the newest `limit` bars before `to`.
 *   A timeframe with no stored bars in the window is built from the stored 1m bars (core/resample:
 *   UTC-aligned OHLCV aggregation; a bucket still forming is left out; `source: "resampled_1m"`).
 * - `GET /v1/candles/gaps?exchange&symbol&timeframe&from&to` lists the runs of missing bars between
 *   stored ones (the sync answer carries those of the span it crawled). Gaps are never filled.
 * - `GET /v1/candles/ticker?exchange&symbol` the latest stored 1m close (null with a reason when none).
 * `exchange` defaults to HFQ_EXCHANGE (binance); candles are stored per exchange.
 * Times: Unix ms or ISO 8601 in, Unix ms out (plus an ISO copy of the newest open time).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { marketDataFor } from '../crawler/marketDataFor';
import { parseTimeMs } from '../crawler/parseTimeMs';
import { lookupCandleKey, MAX_PAGES_LIMIT, syncCandles } from '../crawler/syncCandles';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { leaseKey } from '../heartbeat/leaseKey';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { HeartbeatRunSchema, LeaseRequestFields, runBlock } from '../pipeline/heartbeatWire';
import { resampleCandles } from '../core/resample/resampleCandles';
import type { CandleGap } from '../storage/candles';
import { timeframeMs, TIMEFRAMES } from '../crawler/timeframes';
import { MARKET_DATA_JOB } from '../heartbeat/recordHeartbeatRun';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';

const timeParam = (what: string) =>
	z
		.union([z.number(), z.string().max(40)])
		.refine((v) => parseTimeMs(v) !== null, { message: 'must be Unix milliseconds or an ISO 8601 date-time (2000-2200)' })
		.transform((v) => parseTimeMs(v)!)
		.openapi({ type: 'string', description: `${what}: Unix ms or ISO 8601`, example: '2025-06-02T07:00:00Z' });

const exchangeField = z.string().max(32).optional().openapi({ description: 'ccxt exchange id: binance or bybit (default HFQ_EXCHANGE, binance)', example: 'binance' });
const symbolField = z.string().min(1).max(64).openapi({ description: 'Pair in any common spelling (BTC/USDT, BTCUSDT, BINANCE:BTCUSDT)', example: 'BTC/USDT' });
const timeframeField = z.enum(TIMEFRAMES as [string, ...string[]]).default('1m').openapi({ description: 'Bar length', example: '1m' });

const SyncRequestSchema = z
	.object({
		exchange: exchangeField,
		symbol: symbolField,
		timeframe: timeframeField,
		since: timeParam('Where an empty series starts (default: the last 1,000 bars); ignored when stored bars reach past it').optional(),
		until: timeParam('Last open time to fetch (default: the newest closed bar)').optional(),
		max_pages: z.number().int().min(1).max(MAX_PAGES_LIMIT).default(5).openapi({ description: 'Exchange requests of up to 1,000 bars each, at most' }),
		...LeaseRequestFields,
	})
	.openapi('CandleSyncRequest');

const GapSchema = z
	.object({
		from_open_time: z.number().int().openapi({ description: 'First missing open time, Unix ms' }),
		to_open_time: z.number().int().openapi({ description: 'Last missing open time, Unix ms (inclusive)' }),
		missing_bars: z.number().int(),
	})
	.openapi('CandleGap');
const gapJson = (g: CandleGap) => ({ from_open_time: g.fromOpenTime, to_open_time: g.toOpenTime, missing_bars: g.missingBars });

const SyncResponseSchema = z
	.object({
		exchange: z.string(),
		symbol: z.string().openapi({ description: 'The crawled pair after normalising and aliasing (MATIC/USDT → POL/USDT)' }),
		timeframe: z.string(),
		fetched: z.number().int().openapi({ description: 'Rows the exchange returned (what the call cost)' }),
		inserted: z.number().int().openapi({ description: 'New closed bars stored' }),
		dropped_open: z.number().int().openapi({ description: 'Bars not stored because they had not closed yet' }),
		pages: z.number().int().openapi({ description: 'Exchange requests made' }),
		complete: z.boolean().openapi({ description: 'False when max_pages ran out before catching up; call again' }),
		latest_open_time: z.number().int().nullable().openapi({ description: 'Newest stored open time, Unix ms (null: empty series)' }),
		latest_open_time_iso: z.string().nullable(),
		gaps: z.array(GapSchema).openapi({ description: 'Bars missing in the crawled span (the exchange had none); never filled' }),
		ran: z.boolean().openapi({ description: 'False when a sync of the same market still held its market_data lease: nothing fetched (see run.reason)' }),
		run: HeartbeatRunSchema,
	})
	.openapi('CandleSyncResponse');

const CandleSchema = z.object({
	open_time: z.number().int().openapi({ description: 'Bar open time, Unix ms UTC' }),
	open: z.number(),
	high: z.number(),
	low: z.number(),
	close: z.number(),
	volume: z.number().openapi({ description: 'Base-asset volume' }),
	missing_bars: z.number().int().optional().openapi({ description: 'Resampled bars only: 1m bars the bucket lacks (0 = complete)' }),
});

const ListResponseSchema = z
	.object({
		exchange: z.string(),
		symbol: z.string(),
		timeframe: z.string(),
		source: z.enum(['stored', 'resampled_1m']).openapi({ description: 'Stored bars of the timeframe, or built from stored 1m bars' }),
		count: z.number().int(),
		candles: z.array(CandleSchema),
	})
	.openapi('CandleList');

const GapsResponseSchema = z
	.object({ exchange: z.string(), symbol: z.string(), timeframe: z.string(), count: z.number().int(), gaps: z.array(GapSchema) })
	.openapi('CandleGaps');

const TickerResponseSchema = z
	.object({
		exchange: z.string(),
		symbol: z.string(),
		price: z.number().nullable().openapi({ description: 'Close of the newest stored 1m bar; null when none is stored' }),
		open_time: z.number().int().nullable(),
		as_of: z.number().int().nullable().openapi({ description: 'When that price was the last trade: the bar close, Unix ms' }),
		as_of_iso: z.string().nullable(),
		reason: z.string().nullable(),
	})
	.openapi('CandleTicker');

/** Resampled reads stop at this many source 1m bars (694 daily bars), bounding memory. */
const MAX_RESAMPLE_SOURCE_BARS = 1_000_000;

const syncRoute = createRoute({
	method: 'post',
	path: '/sync',
	summary: 'Fetch the missing closed candles from the exchange (incremental crawler)',
	description: 'Resumes after the newest stored bar; stores closed bars only; at most max_pages requests of 1,000 bars. 422 for a pair outside the whitelist or unknown to the exchange; 503 + Retry-After when the exchange rate-limits.',
	tags: ['candles'],
	request: { body: jsonBody(SyncRequestSchema) },
	responses: { 200: jsonResponse(SyncResponseSchema, 'What the sync fetched and stored'), ...errorResponses },
});

const listRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Stored candles, oldest first',
	tags: ['candles'],
	request: {
		query: z.object({
			exchange: exchangeField,
			symbol: symbolField,
			timeframe: timeframeField,
			from: timeParam('First open time (inclusive)').optional(),
			to: timeParam('End (exclusive); default now').optional(),
			limit: z.coerce.number().int().min(1).max(5000).default(500),
		}),
	},
	responses: { 200: jsonResponse(ListResponseSchema, 'Candles'), ...errorResponses },
});

const gapsRoute = createRoute({
	method: 'get',
	path: '/gaps',
	summary: 'Runs of missing bars between stored bars (recorded, never filled)',
	tags: ['candles'],
	request: {
		query: z.object({
			exchange: exchangeField,
			symbol: symbolField,
			timeframe: timeframeField,
			from: timeParam('First open time (inclusive); default the first stored bar').optional(),
			to: timeParam('End (exclusive); default no end').optional(),
		}),
	},
	responses: { 200: jsonResponse(GapsResponseSchema, 'Gaps, oldest first'), ...errorResponses },
});

const tickerRoute = createRoute({
	method: 'get',
	path: '/ticker',
	summary: 'Latest stored price (close of the newest 1m bar)',
	tags: ['candles'],
	request: { query: z.object({ exchange: exchangeField, symbol: symbolField }) },
	responses: { 200: jsonResponse(TickerResponseSchema, 'Latest close'), ...errorResponses },
});

export function candlesRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(syncRoute, async (c) => {
			const b = c.req.valid('json');
			const md = marketDataFor(deps);
			const exchange = b.exchange ?? md.defaultExchange;
			const market = lookupCandleKey({ exchange, symbol: b.symbol, timeframe: b.timeframe });
			const answer = await runHeartbeatJob(
				heartbeatFor(deps),
				MARKET_DATA_JOB,
				() =>
					syncCandles(
						{ exchange, symbol: b.symbol, timeframe: b.timeframe, sinceMs: b.since, untilMs: b.until, maxPages: b.max_pages },
						{ storage: md.storage, exchangeClient: md.exchangeClient(exchange), clock: { now: md.now } },
					),
				{ lockKey: leaseKey(MARKET_DATA_JOB, [market.exchange, market.symbol, market.timeframe]), waitMs: b.wait_ms ?? 0, onRun: recordHeartbeat },
			);
			const r = answer.result ?? { exchange: market.exchange, symbol: market.symbol, timeframe: market.timeframe, fetched: 0, inserted: 0, droppedOpen: 0, pages: 0, complete: false, latestOpenTime: null, gaps: [] };
			return c.json(
				{
					exchange: r.exchange,
					symbol: r.symbol,
					timeframe: r.timeframe,
					fetched: r.fetched,
					inserted: r.inserted,
					dropped_open: r.droppedOpen,
					pages: r.pages,
					complete: r.complete,
					latest_open_time: r.latestOpenTime,
					latest_open_time_iso: r.latestOpenTime === null ? null : new Date(r.latestOpenTime).toISOString(),
					gaps: r.gaps.map(gapJson),
					ran: answer.ran,
					run: runBlock(answer),
				},
				200,
			);
		})
		.openapi(listRoute, async (c) => {
			const q = c.req.valid('query');
			const md = marketDataFor(deps);
			const key = lookupCandleKey({ ...q, exchange: q.exchange ?? md.defaultExchange });
			const barMs = timeframeMs(key.timeframe);
			// Open times are multiples of the bar length, so a window of n bar lengths holds at most n rows.
			let from: number;
			let to: number;
			if (q.from !== undefined) {
				from = q.from;
				to = Math.min(q.to ?? Number.MAX_SAFE_INTEGER, from + q.limit * barMs);
			} else {
				to = q.to ?? md.now() + 1;
				from = to - (q.limit + 1) * barMs; // one spare bar: `to` rarely falls on a bar boundary
			}
			const rows = from < to ? await md.storage.candles.range(key, from, to) : [];
			if (rows.length === 0 && key.timeframe !== '1m' && from < to) {
				// No native bars: build them from stored 1m bars, whole UTC buckets only.
				const minuteKey = { ...key, timeframe: '1m' };
				const closedThrough = await md.storage.candles.latestOpenTime(minuteKey);
				const bucketFrom = from - (from % barMs);
				const lastBucketEnd = (Math.floor((to - 1) / barMs) + 1) * barMs; // end of the bucket holding to − 1 ms
				const sourceTo = Math.min(lastBucketEnd, bucketFrom + Math.floor(MAX_RESAMPLE_SOURCE_BARS / (barMs / 60_000)) * barMs);
				const source = closedThrough === null ? [] : await md.storage.candles.range(minuteKey, bucketFrom, sourceTo);
				const bars = resampleCandles(source, 60_000, barMs, closedThrough ?? 0).filter((b) => b.openTime >= from && b.openTime < to);
				const candles = (q.from !== undefined ? bars.slice(0, q.limit) : bars.slice(-q.limit)).map((r) => ({
					open_time: r.openTime,
					open: r.open,
					high: r.high,
					low: r.low,
					close: r.close,
					volume: r.volume,
					missing_bars: r.missingBars,
				}));
				return c.json({ ...key, source: 'resampled_1m' as const, count: candles.length, candles }, 200);
			}
			const candles = rows.slice(-q.limit).map((r) => ({ open_time: r.openTime, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
			return c.json({ ...key, source: 'stored' as const, count: candles.length, candles }, 200);
		})
		.openapi(gapsRoute, async (c) => {
			const q = c.req.valid('query');
			const md = marketDataFor(deps);
			const key = lookupCandleKey({ ...q, exchange: q.exchange ?? md.defaultExchange });
			const gaps = await md.storage.candles.gaps(key, timeframeMs(key.timeframe), q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER);
			return c.json({ ...key, count: gaps.length, gaps: gaps.map(gapJson) }, 200);
		})
		.openapi(tickerRoute, async (c) => {
			const q = c.req.valid('query');
			const md = marketDataFor(deps);
			const key = lookupCandleKey({ exchange: q.exchange ?? md.defaultExchange, symbol: q.symbol, timeframe: '1m' });
			const latest = await md.storage.candles.latestOpenTime(key);
			const bar = latest === null ? undefined : (await md.storage.candles.range(key, latest, latest + 1))[0];
			if (!bar) {
				return c.json({ exchange: key.exchange, symbol: key.symbol, price: null, open_time: null, as_of: null, as_of_iso: null, reason: 'no 1m candle is stored for this market; sync it first' }, 200);
			}
			const asOf = bar.openTime + 60_000;
			return c.json({ exchange: key.exchange, symbol: key.symbol, price: bar.close, open_time: bar.openTime, as_of: asOf, as_of_iso: new Date(asOf).toISOString(), reason: null }, 200);
		});
}
