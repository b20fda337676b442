/**
 * @module routes/alpha
 * `POST /v1/alpha`: the composite alpha score 0–100 of each symbol (default: the whitelist universe)
 * from what the database knows now — technical 40 %, on-chain 35 %, sentiment 15 % by default,
 * weights relative (core/alpha/compositeAlphaScore) — with every component's score, the inputs, the
 * missing components and a `partial` flag. Each score is recorded (`record: false` to only compute).
 * `GET /v1/alpha/latest?symbol=` reads the newest recorded score.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { scoreAlpha, SCORE_ALPHA_DEFAULTS, ALPHA_EXPRESSION_INPUTS } from '../alpha/scoreAlpha';
import { whitelistUniverse } from '../alpha/whitelistUniverse';
import type { AppDeps } from '../appDeps';
import { marketDataFor } from '../crawler/marketDataFor';
import { timeframeMs, TIMEFRAMES } from '../crawler/timeframes';
import { normalizeSymbol } from '../core/intake/normalizeSymbol';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { leaseKey } from '../heartbeat/leaseKey';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { HeartbeatRunSchema, LeaseRequestFields, runBlock } from '../pipeline/heartbeatWire';

const weight = (name: string, seed: number) => z.number().min(0).max(100).default(seed).openapi({ description: `Relative weight of the ${name} component (seed: ${seed})` });

const AlphaRequestSchema = z
	.object({
		symbols: z.array(z.string().min(1).max(64)).min(1).max(100).optional().openapi({ description: 'Pairs to score (default: every whitelisted asset against USDT)', example: ['BTC/USDT'] }),
		exchange: z.string().max(32).default('binance'),
		timeframe: z.enum(TIMEFRAMES as [string, ...string[]]).default('1h').openapi({ description: 'Candles the technical component reads' }),
		weights: z
			.object({ technical: weight('technical', 40), onchain: weight('on-chain', 35), sentiment: weight('sentiment', 15), custom: weight('custom', 0) })
			.default({ technical: 40, onchain: 35, sentiment: 15, custom: 0 }),
		on_missing: z.enum(['renormalize', 'neutral']).default('renormalize').openapi({ description: 'A component without data: left out (renormalize) or counted as 50 (neutral); the score is flagged partial either way' }),
		custom_expression: z.string().max(500).nullable().default(null).openapi({ description: `mathjs expression 0–100 over ${ALPHA_EXPRESSION_INPUTS.join(', ')}`, example: '100 - rsi' }),
		rsi_length: z.number().int().min(2).max(500).default(14),
		bb_length: z.number().int().min(2).max(500).default(20),
		bb_mult: z.number().gt(0).max(10).default(2),
		onchain_resolution: z.enum(['1h', '24h']).default('24h'),
		onchain_window: z.number().int().min(5).max(365).default(30).openapi({ description: 'Earlier on-chain points the latest is compared with (z-score)' }),
		record: z.boolean().default(true),
		...LeaseRequestFields,
	})
	.openapi('AlphaRequest');

const ComponentSchema = z.object({ score: z.number().nullable(), weight: z.number(), detail: z.string().optional() });
const AlphaScoreSchema = z
	.object({
		symbol: z.string(),
		computed_at: z.number().int(),
		score: z.number().nullable().openapi({ description: '0–100; null when no weighted component had data' }),
		partial: z.boolean(),
		missing: z.array(z.string()),
		coverage_ratio: z.number(),
		components: z.record(z.string(), ComponentSchema),
		inputs: z.record(z.string(), z.number().nullable()),
	})
	.openapi('AlphaScore');

const scoreRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Composite alpha score 0–100 (technical, on-chain, sentiment, custom)',
	tags: ['alpha'],
	request: { body: jsonBody(AlphaRequestSchema) },
	responses: {
		200: jsonResponse(
			z.object({
				scores: z.array(AlphaScoreSchema),
				ran: z.boolean().openapi({ description: 'False when a recording run of the same symbols still held the alpha_score lease: nothing scored (see run.reason)' }),
				run: HeartbeatRunSchema.nullable().openapi({ description: 'The alpha_score lease of a recording run (record: true); null for an unrecorded score' }),
			}),
			'One score per symbol',
		),
		...errorResponses,
	},
});

const latestRoute = createRoute({
	method: 'get',
	path: '/latest',
	summary: 'The newest recorded alpha score of a symbol',
	tags: ['alpha'],
	request: { query: z.object({ symbol: z.string().min(1).max(64) }) },
	responses: { 200: jsonResponse(z.object({ score: AlphaScoreSchema.nullable() }), 'Newest score, or null'), ...errorResponses },
});

type Composite = Awaited<ReturnType<typeof scoreAlpha>>[number];

function wire(s: Pick<Composite, 'symbol' | 'computedAt' | 'score' | 'partial' | 'missing' | 'coverageRatio' | 'components' | 'inputs'>) {
	return {
		symbol: s.symbol,
		computed_at: s.computedAt,
		score: s.score,
		partial: s.partial,
		missing: s.missing,
		coverage_ratio: s.coverageRatio,
		components: s.components,
		inputs: s.inputs,
	};
}

export function alphaRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(scoreRoute, async (c) => {
			const b = c.req.valid('json');
			const md = marketDataFor(deps);
			const symbols = b.symbols ? b.symbols.map((s) => normalizeSymbol(s).symbol) : whitelistUniverse();
			const score = () => scoreAlpha(md.storage, {
				...SCORE_ALPHA_DEFAULTS,
				symbols,
				nowMs: md.now(),
				exchange: b.exchange,
				timeframe: b.timeframe,
				timeframeMs: timeframeMs(b.timeframe),
				weights: b.weights,
				onMissing: b.on_missing,
				customExpression: b.custom_expression,
				technical: { rsiLength: b.rsi_length, bbLength: b.bb_length, bbMult: b.bb_mult },
				onchainResolution: b.onchain_resolution,
				onchainWindow: b.onchain_window,
				record: b.record,
			});
			// A recording run is the alpha refresh of the heartbeat: under its lease (per symbol set), so
			// overlapping schedule runs record once. An unrecorded score is a pure read: no lease.
			if (!b.record) return c.json({ scores: (await score()).map(wire), ran: true, run: null }, 200);
			const answer = await runHeartbeatJob(heartbeatFor(deps), 'alpha_score', score, { lockKey: leaseKey('alpha_score', [b.exchange, b.timeframe, ...symbols]), waitMs: b.wait_ms ?? 0, onRun: recordHeartbeat });
			return c.json({ scores: (answer.result ?? []).map(wire), ran: answer.ran, run: runBlock(answer) }, 200);
		})
		.openapi(latestRoute, async (c) => {
			const { symbol } = c.req.valid('query');
			const md = marketDataFor(deps);
			const canonical = normalizeSymbol(symbol).symbol;
			const row = await md.storage.alphaScores.latestAtOrBefore(canonical, md.now());
			if (row === null) return c.json({ score: null }, 200);
			const stored = JSON.parse(row.componentsJson) as Omit<Composite, 'symbol' | 'computedAt'>;
			return c.json({ score: wire({ ...stored, symbol: row.symbol, computedAt: row.computedAt, score: row.score, partial: row.partial === 1 }) }, 200);
		});
}
