/**
 * @module routes/candles
 * Market data kept by the incremental crawler (crawler/README.md):
 * - `POST /v1/candles/sync` `{exchange?, symbol, timeframe?, since?, until?, max_pages?}` fetches the
 *   closed candles after the newest stored one (or from `since` for an empty series) through ccxt and
 *   upserts them → `{fetched, inserted, latest_open_time, …}`. Call it every minute (n8n Schedule
 *   Trigger). A symbol outside the whitelist → 422 before the exchange is asked; exchange rate
 *   limit (429/418) → 503 with Retry-After.
 * - `GET /v1/candles?exchange&symbol&timeframe&from&to&limit` reads stored candles, oldest first:
 *   with `from`, the first `limit` bars at or after it; otherwise the newest `limit` bars before `to`.
 * Times: Unix ms or ISO 8601 in, Unix ms out (plus an ISO copy of the newest open time).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { marketDataFor } from '../crawler/marketDataFor';
import { parseTimeMs } from '../crawler/parseTimeMs';
import { lookupCandleKey, MAX_PAGES_LIMIT, syncCandles } from '../crawler/syncCandles';
import { timeframeMs, TIMEFRAMES } from '../crawler/timeframes';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';

const timeParam = (what: string) =>
	z
		.union([z.number(), z.string().max(40)])
		.refine((v) => parseTimeMs(v) !== null, { message: 'must be Unix milliseconds or an ISO 8601 date-time (2000-2200)' })
		.transform((v) => parseTimeMs(v)!)
		.openapi({ type: 'string', description: `${what}: Unix ms or ISO 8601`, example: '2025-06-02T07:00:00Z' });

const exchangeField = z.string().max(32).default('binance').openapi({ description: 'ccxt exchange id (binance)', example: 'binance' });
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
	})
	.openapi('CandleSyncRequest');

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
	})
	.openapi('CandleSyncResponse');

const CandleSchema = z.object({
	open_time: z.number().int().openapi({ description: 'Bar open time, Unix ms UTC' }),
	open: z.number(),
	high: z.number(),
	low: z.number(),
	close: z.number(),
	volume: z.number().openapi({ description: 'Base-asset volume' }),
});

const ListResponseSchema = z
	.object({ exchange: z.string(), symbol: z.string(), timeframe: z.string(), count: z.number().int(), candles: z.array(CandleSchema) })
	.openapi('CandleList');

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

export function candlesRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(syncRoute, async (c) => {
			const b = c.req.valid('json');
			const md = marketDataFor(deps);
			const r = await syncCandles(
				{ exchange: b.exchange, symbol: b.symbol, timeframe: b.timeframe, sinceMs: b.since, untilMs: b.until, maxPages: b.max_pages },
				{ storage: md.storage, exchangeClient: md.exchangeClient(), clock: { now: md.now } },
			);
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
				},
				200,
			);
		})
		.openapi(listRoute, async (c) => {
			const q = c.req.valid('query');
			const md = marketDataFor(deps);
			const key = lookupCandleKey(q);
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
			const candles = rows.slice(-q.limit).map((r) => ({ open_time: r.openTime, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
			return c.json({ ...key, count: candles.length, candles }, 200);
		});
}
