/**
 * @module routes/scan
 * `POST /v1/scan`: the signal-scan heartbeat (every minute after the candle close). Under the
 * `signal_scan` lease (an overlapping run skips or waits and says so in `run`), every whitelisted
 * symbol's latest closed bar is evaluated with the VWAP mean-reversion and the alpha-threshold
 * strategies, and each signal is decided exactly as the TradingView alert for that bar would be
 * (pipeline/scanSignals): `signals[]` carry the decision answer (status, reason_code, decision_id,
 * duplicate, gates, receipt) plus `outcome` new | duplicate | rejected.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { whitelistUniverse } from '../alpha/whitelistUniverse';
import type { AppDeps } from '../appDeps';
import { normalizeSymbol } from '../core/intake/normalizeSymbol';
import { DEFAULT_ALPHA_SCAN } from '../core/signals/scanLatestBar';
import { marketDataFor } from '../crawler/marketDataFor';
import { timeframeMs } from '../crawler/timeframes';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { pipelineFor } from '../pipeline/createPipeline';
import { HeartbeatRunSchema, LeaseRequestFields, runBlock } from '../pipeline/heartbeatWire';
import { readThresholds } from '../pipeline/intakeSignal';
import { scanSignals, type ScanSignalsResult } from '../pipeline/scanSignals';
import { ThresholdsSchema } from '../pipeline/thresholds';
import { DecisionResponseSchema } from '../pipeline/wireSchemas';

/** The heartbeat job name of the scan (its lease and freshness in GET /v1/heartbeat). */
export const SIGNAL_SCAN_JOB = 'signal_scan';

const ratio = z.number().finite().gt(0).lt(1);

export const ScanRequestSchema = z
	.object({
		symbols: z.array(z.string().min(1).max(64)).min(1).max(100).optional().openapi({ description: 'Pairs to scan (default: every whitelisted asset against USDT)', example: ['BTC/USDT'] }),
		exchange: z.enum(['binance', 'bybit']).optional().openapi({ description: 'Whose stored candles are read (default HFQ_EXCHANGE, binance); also the alert id prefix' }),
		timeframe: z.string().trim().min(1).max(8).default('1m').openapi({ description: 'Candle timeframe of the scan (the Pine chart\'s). Default 1m' }),
		strategies: z
			.object({ vwap_mean_reversion: z.boolean().default(true), alpha_threshold: z.boolean().default(true) })
			.strict()
			.default({ vwap_mean_reversion: true, alpha_threshold: true })
			.openapi({ description: 'Which strategies run (both by default)' }),
		vwap: z
			.object({
				stdev_length: z.number().int().min(1).max(10_000).default(50),
				deviation_threshold: z.number().finite().min(0).max(100).default(2),
				trend_ema_length: z.number().int().min(1).max(10_000).default(50),
				stop_loss_ratio: ratio.default(0.03),
				min_reward_risk: z.number().finite().min(0).max(100).default(1.5),
			})
			.strict()
			.default({ stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_loss_ratio: 0.03, min_reward_risk: 1.5 })
			.openapi({ description: 'The Pine script\'s inputs (its defaults)' }),
		alpha: z
			.object({
				threshold: z.number().finite().min(0).max(100).default(DEFAULT_ALPHA_SCAN.threshold),
				stop_ratio: ratio.default(DEFAULT_ALPHA_SCAN.stopRatio),
				target_ratio: z.number().finite().gt(0).max(10).default(DEFAULT_ALPHA_SCAN.targetRatio),
				allow_partial: z.boolean().default(DEFAULT_ALPHA_SCAN.allowPartial),
			})
			.strict()
			.default({ threshold: 70, stop_ratio: 0.03, target_ratio: 0.045, allow_partial: true })
			.openapi({ description: 'Alpha threshold strategy: entry when the score known at the bar close crosses up through threshold; stop −3 %, target +4.5 %' }),
		warmup_bars: z.number().int().min(0).max(10_000).default(300).openapi({ description: 'Bars read before the latest one at least (EMA warm-up); the VWAP reads from 00:00 UTC anyway' }),
		thresholds: ThresholdsSchema.optional().openapi({ description: 'Risk thresholds sent with every signal, as a TradingView alert\'s `thresholds` (strategy is set per strategy)' }),
		...LeaseRequestFields,
	})
	.strict()
	.openapi('ScanRequest');

const ScannedSignalSchema = DecisionResponseSchema.extend({
	outcome: z.enum(['new', 'duplicate', 'rejected']).openapi({ description: 'new: decided now and approved; duplicate: this bar was already decided (e.g. the TradingView alert came first); rejected: decided now and refused' }),
	strategy: z.enum(['vwap-mean-reversion', 'alpha-threshold']),
	symbol: z.string(),
	bar_open_time: z.string(),
	bar_close_time: z.string(),
	close: z.number(),
	stop: z.number(),
	target: z.number(),
	reward_risk: z.number(),
	vwap: z.number().nullable(),
	alpha_score: z.number().nullable(),
	previous_alpha_score: z.number().nullable(),
}).openapi('ScannedSignal');

const ScanResponseSchema = z
	.object({
		ran: z.boolean().openapi({ description: 'False when a previous signal_scan run still held the lease: nothing was scanned (see run.reason)' }),
		run: HeartbeatRunSchema,
		scanned_at: z.string(),
		symbols: z.array(z.object({ symbol: z.string(), bar_open_time: z.string().nullable(), bars_read: z.number().int(), signals: z.number().int(), note: z.string().nullable() })),
		signals: z.array(ScannedSignalSchema),
		new_signals: z.number().int(),
		duplicates: z.number().int(),
		rejected: z.number().int(),
	})
	.openapi('ScanResponse');

const scanRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Scan the universe at the latest closed bar and decide every signal like a TradingView alert',
	tags: ['heartbeat'],
	request: { body: { ...jsonBody(ScanRequestSchema), required: false } },
	responses: { 200: jsonResponse(ScanResponseSchema, 'Signals and their decisions'), ...errorResponses },
});

export function scanRoutes(deps: AppDeps) {
	return createRouter().openapi(scanRoute, async (c) => {
		const raw = c.req.header('content-length') === '0' ? undefined : c.req.valid('json');
		const b = ScanRequestSchema.parse(raw ?? {});
		const p = pipelineFor(deps);
		// Validated here (422 naming the field) before any signal is sent with them.
		readThresholds({}, b.thresholds, ['body', 'thresholds']);
		const symbols = b.symbols ? b.symbols.map((s) => normalizeSymbol(s).symbol) : whitelistUniverse();
		const input = {
			symbols,
			exchange: b.exchange ?? marketDataFor(deps).defaultExchange,
			timeframe: b.timeframe,
			timeframeMs: timeframeMs(b.timeframe),
			vwap: b.strategies.vwap_mean_reversion
				? { stdevLength: b.vwap.stdev_length, deviationThreshold: b.vwap.deviation_threshold, trendEmaLength: b.vwap.trend_ema_length, stopLossRatio: b.vwap.stop_loss_ratio, minRewardRisk: b.vwap.min_reward_risk }
				: null,
			alpha: b.strategies.alpha_threshold ? { threshold: b.alpha.threshold, stopRatio: b.alpha.stop_ratio, targetRatio: b.alpha.target_ratio, allowPartial: b.alpha.allow_partial } : null,
			thresholds: (b.thresholds ?? {}) as Record<string, unknown>,
			warmupBars: b.warmup_bars,
		};
		const answer = await runHeartbeatJob(heartbeatFor(deps), SIGNAL_SCAN_JOB, () => scanSignals(p, input), { ttlMs: 60_000, waitMs: b.wait_ms ?? 0, onRun: recordHeartbeat });
		const result: ScanSignalsResult = answer.result ?? { scanned_at: new Date(answer.started_at).toISOString(), symbols: [], signals: [], new_signals: 0, duplicates: 0, rejected: 0 };
		return c.json({ ran: answer.ran, run: runBlock(answer), ...result }, 200);
	});
}
