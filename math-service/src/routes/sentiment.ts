/**
 * @module routes/sentiment
 * News sentiment (CryptoPanic), stored point in time:
 * - `POST /v1/sentiment/posts` `{source?, posts: [{id, title, url?, published_at, currencies, votes}],
 *   currencies?, half_life_hours?, panic_vote_scale?}` stores the posts (votes refreshed) and records
 *   a sentiment and panic snapshot for each currency and for the market as a whole ('*') from the
 *   posts known now (formula: core/alpha/newsSentiment).
 * - `GET /v1/sentiment/latest?currency=` the newest snapshot of a currency ('*' = market).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ingestNews } from '../alpha/ingestNews';
import { whitelistUniverse } from '../alpha/whitelistUniverse';
import type { AppDeps } from '../appDeps';
import { marketDataFor } from '../crawler/marketDataFor';
import { parseTimeMs } from '../crawler/parseTimeMs';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { leaseKey } from '../heartbeat/leaseKey';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { HeartbeatRunSchema, LeaseRequestFields, runBlock } from '../pipeline/heartbeatWire';

const count = z.number().finite().min(0).optional();

const PostSchema = z.object({
	id: z.union([z.string().min(1).max(64), z.number().int()]).transform(String),
	title: z.string().max(2000).default(''),
	url: z.string().max(2000).nullable().default(null),
	published_at: z
		.union([z.number(), z.string().max(40)])
		.refine((v) => parseTimeMs(v) !== null, { message: 'must be Unix milliseconds or an ISO 8601 date-time' })
		.transform((v) => parseTimeMs(v)!),
	currencies: z.array(z.string().min(1).max(16)).max(50).default([]),
	votes: z.object({ positive: count, negative: count, liked: count, disliked: count, toxic: count, important: count }).partial().default({}),
});

const IngestRequestSchema = z
	.object({
		source: z.string().min(1).max(32).default('cryptopanic'),
		posts: z.array(PostSchema).max(5_000),
		currencies: z.array(z.string().min(1).max(16)).max(100).optional().openapi({ description: 'Currencies to snapshot (default: the whitelist)' }),
		half_life_hours: z.number().gt(0).max(24 * 30).default(6),
		panic_vote_scale: z.number().gt(0).max(100_000).default(20),
		lookback_hours: z.number().gt(0).max(24 * 30).default(48),
		...LeaseRequestFields,
	})
	.openapi('NewsPosts');

const SnapshotSchema = z.object({ currency: z.string(), sentiment_score: z.number().nullable(), panic_score: z.number().nullable(), post_count: z.number().int() });

const ingestRoute = createRoute({
	method: 'post',
	path: '/posts',
	summary: 'Store news posts and snapshot sentiment and panic per currency (point in time)',
	tags: ['sentiment'],
	request: { body: jsonBody(IngestRequestSchema) },
	responses: {
		200: jsonResponse(
			z.object({
				inserted: z.number().int(),
				updated: z.number().int(),
				computed_at: z.number().int(),
				snapshots: z.array(SnapshotSchema),
				ran: z.boolean().openapi({ description: 'False when a run of the same source still held the sentiment lease: nothing stored (see run.reason)' }),
				run: HeartbeatRunSchema,
			}),
			'Stored posts and snapshots',
		),
		...errorResponses,
	},
});

const latestRoute = createRoute({
	method: 'get',
	path: '/latest',
	summary: "The newest sentiment snapshot of a currency ('*' = the market)",
	tags: ['sentiment'],
	request: { query: z.object({ currency: z.string().min(1).max(16).default('*') }) },
	responses: { 200: jsonResponse(z.object({ snapshot: SnapshotSchema.extend({ computed_at: z.number().int() }).nullable() }), 'Newest snapshot or null'), ...errorResponses },
});

export function sentimentRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(ingestRoute, async (c) => {
			const b = c.req.valid('json');
			const md = marketDataFor(deps);
			const nowMs = md.now();
			const currencies = b.currencies ?? whitelistUniverse().map((s) => s.split('/')[0]!);
			const answer = await runHeartbeatJob(
				heartbeatFor(deps),
				'sentiment',
				() =>
					md.storage.transaction((tx) =>
						ingestNews(
							tx,
							b.posts.map((p) => ({ postId: p.id, currencies: p.currencies, title: p.title, url: p.url, publishedAt: p.published_at, votes: p.votes })),
							{ nowMs, currencies, source: b.source, halfLifeMs: b.half_life_hours * 3_600_000, panicVoteScale: b.panic_vote_scale, lookbackMs: b.lookback_hours * 3_600_000 },
						),
					),
				{ lockKey: leaseKey('sentiment', [b.source]), waitMs: b.wait_ms ?? 0, onRun: recordHeartbeat },
			);
			const r = answer.result ?? { inserted: 0, updated: 0, snapshots: [] };
			return c.json(
				{
					inserted: r.inserted,
					updated: r.updated,
					computed_at: nowMs,
					snapshots: r.snapshots.map((s) => ({ currency: s.currency, sentiment_score: s.sentimentScore, panic_score: s.panicScore, post_count: s.postCount })),
					ran: answer.ran,
					run: runBlock(answer),
				},
				200,
			);
		})
		.openapi(latestRoute, async (c) => {
			const { currency } = c.req.valid('query');
			const md = marketDataFor(deps);
			const s = await md.storage.news.latestAtOrBefore(currency, md.now());
			return c.json(
				{ snapshot: s === null ? null : { currency: s.currency, computed_at: s.computedAt, sentiment_score: s.sentimentScore, panic_score: s.panicScore, post_count: s.postCount } },
				200,
			);
		});
}
