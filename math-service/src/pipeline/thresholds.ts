/**
 * @module pipeline/thresholds
 * The `thresholds` object shared by `POST /v1/signals/tradingview`, `/v1/signals/validate`,
 * `/v1/decisions` and `/v1/positions/check`: every limit of seed 1's risk table and of the signal
 * intake, each optional, each defaulting to the seed's value. The n8n nodes send what the user set
 * on the canvas; whatever is absent falls back to the default here, so the service enforces the
 * seed's framework even when called bare.
 *
 * Financial defaults (seed 1): fractional Kelly 0.25× of f* = p − (1 − p)/b, capped at 10 % of
 * equity per asset; daily drawdown −5 % halts new entries for 24 h; portfolio heat (exposure) at
 * most 30 % of equity; reward/risk at entry at least 1.5; 48 h time stop; (seed 2) no new buys while
 * the asset's news panic score is above 70 of 100. Added by this project: a
 * VaR budget of 1 % of equity per position (historical 95 % VaR of the asset's daily returns), a
 * 0.1 % paper fee, and a Kelly prior of p = 0.5, avg win 3 %, avg loss 2 % (payoff 1.5, the
 * minimum R/R) used until the strategy has 30 closed trades for this symbol.
 *
 * Wire names are snake_case; ratios are fractions (0.10 = 10 %). Query strings carry the same
 * names flat (`?kelly_fraction=0.5&tier1=BTC,ETH&kelly_prior.win_rate=0.55`); the body's
 * `thresholds` object overrides the query, which overrides the defaults.
 */
import { z } from '@hono/zod-openapi';
import { DEFAULT_KELLY_PRIOR } from '../core/risk/kellyInputsFromTrades.js';
import type { RiskGateConfigs } from '../core/risk/riskGates.js';
import type { IntakeConfigInput } from '../core/intake/evaluateIntake.js';
import { parseAssetList } from '../core/intake/whitelist.js';
import { deepFreeze } from '../core/deepFreeze.js';

const assetList = z
	.union([z.array(z.string().max(20)).max(200), z.string().max(2000)])
	.transform((v) => (typeof v === 'string' ? parseAssetList(v) : v.map((a) => a.trim().toUpperCase()).filter((a) => a !== '')));

const ratio = (max = 1) => z.number().finite().gt(0).max(max);

export const ThresholdsSchema = z
	.object({
		strategy: z.string().trim().min(1).max(64).regex(/^[\w.:-]+$/, 'letters, digits, _ . : -').optional().openapi({ description: 'Strategy name: trade-log bucket for the Kelly statistics', example: 'vwap-mean-reversion' }),
		max_lag_seconds: z.number().finite().min(0).max(86_400).optional().openapi({ description: 'Largest accepted alert age (now − alert time), seconds. Default 60', example: 60 }),
		max_future_skew_seconds: z.number().finite().min(0).max(3_600).optional().openapi({ description: 'Largest accepted clock skew into the future, seconds. Default 5' }),
		alert_time_is: z.enum(['event', 'bar_open']).optional().openapi({ description: '"event" (time_close / {{timenow}}, default) or "bar_open" ({{time}}: one interval is added)' }),
		whitelist: z
			.object({ tier1: assetList.optional(), tier2: assetList.optional(), tier3: assetList.optional() })
			.strict()
			.optional()
			.openapi({ description: 'Tiered asset universe; lists or comma-separated text. Defaults: BTC, ETH | SOL, AVAX, NEAR, BNB | ARB, OP, BASE, POL (MATIC → POL)' }),
		kelly_fraction: ratio().optional().openapi({ description: 'Multiplier on full Kelly, (0, 1]. Default 0.25', example: 0.25 }),
		max_position_ratio: ratio().optional().openapi({ description: 'Cap per asset (Kelly cap and gate), fraction of equity. Default 0.10', example: 0.1 }),
		kelly_min_sample: z.number().int().min(1).max(100_000).optional().openapi({ description: 'Closed trades needed before the trade log replaces the prior. Default 30' }),
		kelly_window: z.number().int().min(1).max(100_000).optional().openapi({ description: 'Most recent closed trades (strategy + symbol) used for the statistics. Default 200' }),
		kelly_prior: z
			.object({ win_rate: z.number().finite().min(0).max(1), avg_win: z.number().finite().gt(0), avg_loss: z.number().finite().gt(0) })
			.strict()
			.optional()
			.openapi({ description: 'Kelly inputs used while the trade log is too short. Default {win_rate 0.5, avg_win 0.03, avg_loss 0.02} (payoff 1.5)' }),
		max_daily_drawdown_ratio: z.number().finite().gt(0).lt(1).optional().openapi({ description: 'Daily drawdown that halts new entries, fraction of the 00:00 UTC equity. Default 0.05' }),
		halt_hours: z.number().finite().gt(0).max(24 * 30).optional().openapi({ description: 'How long a drawdown halt lasts, hours. Default 24' }),
		max_heat_ratio: ratio().optional().openapi({ description: 'Portfolio heat limit after the entry, fraction of equity. Default 0.30' }),
		heat_basis: z.enum(['exposure', 'risk_to_stop']).optional().openapi({ description: 'Heat = invested exposure (default) or risk to the stops' }),
		min_reward_risk: z.number().finite().min(0).max(100).optional().openapi({ description: 'Minimum (target − entry)/(entry − stop) at entry. Default 1.5' }),
		max_var_ratio: ratio().optional().openapi({ description: 'VaR budget per position: position ratio × asset VaR, fraction of equity. Default 0.01' }),
		var_confidence: z.number().finite().gt(0.5).lt(1).optional().openapi({ description: 'VaR confidence. Default 0.95' }),
		var_timeframe: z.string().trim().min(1).max(16).optional().openapi({ description: 'Candle timeframe of the VaR returns. Default "1d"' }),
		var_lookback: z.number().int().min(2).max(100_000).optional().openapi({ description: 'Candles read for VaR. Default 365' }),
		var_min_returns: z.number().int().min(1).max(100_000).optional().openapi({ description: 'Returns needed for a VaR; fewer → the gate passes with "no data". Default 30' }),
		on_missing_var: z.enum(['pass', 'reject']).optional().openapi({ description: 'Without VaR data: pass with a note (default) or reject' }),
		max_panic_score: z.number().finite().min(0).max(100).optional().openapi({ description: 'Panic switch: no new buys while the asset\'s news panic score (0–100, CryptoPanic snapshots, point in time) is above this. Default 70' }),
		on_missing_panic: z.enum(['pass', 'reject']).optional().openapi({ description: 'Without a panic score (no snapshot, or older than panic_max_age_hours): pass with a note (default) or reject' }),
		panic_max_age_hours: z.number().finite().gt(0).max(24 * 30).optional().openapi({ description: 'An older panic snapshot counts as missing. Default 24' }),
		time_stop_hours: z.number().finite().gt(0).max(24 * 365).optional().openapi({ description: 'Close positions that reached neither stop nor target after this many hours. Default 48' }),
		fee_ratio: z.number().finite().min(0).lt(0.1).optional().openapi({ description: 'Paper fee per fill, fraction of notional. Default 0.001' }),
		allow_resize: z.boolean().optional().openapi({ description: 'Shrink an oversized entry to the limit instead of rejecting it. Default true' }),
		llm: z
			.object({
				enabled: z.boolean().optional(),
				model: z.string().trim().min(1).max(100).optional(),
				timeout_ms: z.number().int().min(1).max(120_000).optional(),
				tolerance: z.number().finite().min(0).max(1).optional(),
			})
			.strict()
			.optional()
			.openapi({ description: 'Advisory LLM cross-check: enabled (default true when OLLAMA_HOST is set), model (default OLLAMA_MODEL or glm-5:cloud), timeout_ms (default OLLAMA_TIMEOUT_MS or 2000), tolerance in fraction of equity (default 0.005). The host comes only from OLLAMA_HOST.' }),
	})
	.strict()
	.openapi('Thresholds', { description: 'Every limit, optional; absent fields take the seed defaults' });

export type ThresholdsInput = z.infer<typeof ThresholdsSchema>;

/** Resolved thresholds (camelCase, every field set). */
export interface Thresholds {
	strategy: string;
	maxLagMs: number;
	maxFutureSkewMs: number;
	alertTimeIs: 'event' | 'bar_open';
	whitelist: { tier1?: string[]; tier2?: string[]; tier3?: string[] };
	kellyFraction: number;
	maxPositionRatio: number;
	kellyMinSample: number;
	kellyWindow: number;
	kellyPrior: { winRate: number; avgWin: number; avgLoss: number };
	maxDailyDrawdownRatio: number;
	haltMs: number;
	maxHeatRatio: number;
	heatBasis: 'exposure' | 'risk_to_stop';
	minRewardRisk: number;
	maxVarRatio: number;
	varConfidence: number;
	varTimeframe: string;
	varLookback: number;
	varMinReturns: number;
	onMissingVar: 'pass' | 'reject';
	maxPanicScore: number;
	onMissingPanic: 'pass' | 'reject';
	panicMaxAgeMs: number;
	timeStopMs: number;
	feeRatio: number;
	allowResize: boolean;
	llm: { enabled: boolean | null; model: string | null; timeoutMs: number | null; tolerance: number | null };
}

export const DEFAULT_STRATEGY = 'vwap-mean-reversion';
const HOUR_MS = 3_600_000;

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
	strategy: DEFAULT_STRATEGY,
	maxLagMs: 60_000,
	maxFutureSkewMs: 5_000,
	alertTimeIs: 'event',
	whitelist: {},
	kellyFraction: 0.25,
	maxPositionRatio: 0.1,
	kellyMinSample: 30,
	kellyWindow: 200,
	kellyPrior: { ...DEFAULT_KELLY_PRIOR },
	maxDailyDrawdownRatio: 0.05,
	haltMs: 24 * HOUR_MS,
	maxHeatRatio: 0.3,
	heatBasis: 'exposure',
	minRewardRisk: 1.5,
	maxVarRatio: 0.01,
	varConfidence: 0.95,
	varTimeframe: '1d',
	varLookback: 365,
	varMinReturns: 30,
	onMissingVar: 'pass',
	maxPanicScore: 70,
	onMissingPanic: 'pass',
	panicMaxAgeMs: 24 * HOUR_MS,
	timeStopMs: 48 * HOUR_MS,
	feeRatio: 0.001,
	allowResize: true,
	llm: { enabled: null, model: null, timeoutMs: null, tolerance: null },
} as Thresholds);

/** Defaults overlaid with the wire input (already validated by ThresholdsSchema). */
export function resolveThresholds(input: ThresholdsInput = {}, defaults: Thresholds = DEFAULT_THRESHOLDS): Thresholds {
	const d = defaults;
	return {
		strategy: input.strategy ?? d.strategy,
		maxLagMs: input.max_lag_seconds !== undefined ? input.max_lag_seconds * 1000 : d.maxLagMs,
		maxFutureSkewMs: input.max_future_skew_seconds !== undefined ? input.max_future_skew_seconds * 1000 : d.maxFutureSkewMs,
		alertTimeIs: input.alert_time_is ?? d.alertTimeIs,
		whitelist: { ...d.whitelist, ...stripUndefined(input.whitelist ?? {}) },
		kellyFraction: input.kelly_fraction ?? d.kellyFraction,
		maxPositionRatio: input.max_position_ratio ?? d.maxPositionRatio,
		kellyMinSample: input.kelly_min_sample ?? d.kellyMinSample,
		kellyWindow: input.kelly_window ?? d.kellyWindow,
		kellyPrior: input.kelly_prior
			? { winRate: input.kelly_prior.win_rate, avgWin: input.kelly_prior.avg_win, avgLoss: input.kelly_prior.avg_loss }
			: { ...d.kellyPrior },
		maxDailyDrawdownRatio: input.max_daily_drawdown_ratio ?? d.maxDailyDrawdownRatio,
		haltMs: input.halt_hours !== undefined ? Math.round(input.halt_hours * HOUR_MS) : d.haltMs,
		maxHeatRatio: input.max_heat_ratio ?? d.maxHeatRatio,
		heatBasis: input.heat_basis ?? d.heatBasis,
		minRewardRisk: input.min_reward_risk ?? d.minRewardRisk,
		maxVarRatio: input.max_var_ratio ?? d.maxVarRatio,
		varConfidence: input.var_confidence ?? d.varConfidence,
		varTimeframe: input.var_timeframe ?? d.varTimeframe,
		varLookback: input.var_lookback ?? d.varLookback,
		varMinReturns: input.var_min_returns ?? d.varMinReturns,
		onMissingVar: input.on_missing_var ?? d.onMissingVar,
		maxPanicScore: input.max_panic_score ?? d.maxPanicScore,
		onMissingPanic: input.on_missing_panic ?? d.onMissingPanic,
		panicMaxAgeMs: input.panic_max_age_hours !== undefined ? Math.round(input.panic_max_age_hours * HOUR_MS) : d.panicMaxAgeMs,
		timeStopMs: input.time_stop_hours !== undefined ? Math.round(input.time_stop_hours * HOUR_MS) : d.timeStopMs,
		feeRatio: input.fee_ratio ?? d.feeRatio,
		allowResize: input.allow_resize ?? d.allowResize,
		llm: {
			enabled: input.llm?.enabled ?? d.llm.enabled,
			model: input.llm?.model ?? d.llm.model,
			timeoutMs: input.llm?.timeout_ms ?? d.llm.timeoutMs,
			tolerance: input.llm?.tolerance ?? d.llm.tolerance,
		},
	};
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const intakeConfigCache = new WeakMap<Thresholds, { expectedSecret: string; ipAllowlist: IntakeConfigInput['ipAllowlist']; config: IntakeConfigInput }>();

/**
 * The intake part, in `evaluateIntake`'s terms (the secret and IP allowlist come from settings).
 * Frozen thresholds (shared between requests) share one deep-frozen config, which evaluateIntake
 * validates once.
 */
export function intakeConfigOf(t: Thresholds, expectedSecret: string, ipAllowlist: IntakeConfigInput['ipAllowlist']): IntakeConfigInput {
	if (!Object.isFrozen(t)) return toIntakeConfig(t, expectedSecret, ipAllowlist);
	const cached = intakeConfigCache.get(t);
	if (cached !== undefined && cached.expectedSecret === expectedSecret && cached.ipAllowlist === ipAllowlist) return cached.config;
	const config = deepFreeze(toIntakeConfig(t, expectedSecret, Array.isArray(ipAllowlist) ? [...ipAllowlist] : ipAllowlist));
	intakeConfigCache.set(t, { expectedSecret, ipAllowlist, config });
	return config;
}

function toIntakeConfig(t: Thresholds, expectedSecret: string, ipAllowlist: IntakeConfigInput['ipAllowlist']): IntakeConfigInput {
	return {
		expectedSecret,
		ipAllowlist: ipAllowlist ?? null,
		whitelist: t.whitelist,
		maxLagMs: t.maxLagMs,
		maxFutureSkewMs: t.maxFutureSkewMs,
		alertTimeIs: t.alertTimeIs,
	};
}

const gateConfigCache = new WeakMap<Thresholds, RiskGateConfigs>();

/**
 * The risk-gate part, in `evaluateRiskGates`'s terms. Frozen thresholds (shared between requests)
 * share one frozen config, which evaluateRiskGates validates once.
 */
export function riskGateConfigsOf(t: Thresholds): RiskGateConfigs {
	if (!Object.isFrozen(t)) return gateConfigsOf(t);
	let configs = gateConfigCache.get(t);
	if (configs === undefined) {
		configs = Object.freeze(gateConfigsOf(t));
		gateConfigCache.set(t, configs);
	}
	return configs;
}

function gateConfigsOf(t: Thresholds): RiskGateConfigs {
	const resize = { allowResize: t.allowResize };
	return {
		dailyDrawdownHalt: { maxDailyDrawdownRatio: t.maxDailyDrawdownRatio, haltMs: t.haltMs },
		panicSwitch: { maxPanicScore: t.maxPanicScore, onMissing: t.onMissingPanic },
		minRewardRisk: { minRewardRisk: t.minRewardRisk },
		maxPositionPerAsset: { maxPositionRatio: t.maxPositionRatio, ...resize },
		portfolioHeat: { maxHeatRatio: t.maxHeatRatio, heatBasis: t.heatBasis, ...resize },
		cashAvailable: { feeRatio: t.feeRatio, ...resize },
		varBudget: { maxVarRatio: t.maxVarRatio, onMissingVar: t.onMissingVar, ...resize },
		timeStop: { maxHoldMs: t.timeStopMs },
	};
}

const wireCache = new WeakMap<Thresholds, ReturnType<typeof toWire>>();

/**
 * The resolved thresholds back in wire form, for the receipt (what was actually enforced). Frozen
 * thresholds (shared between requests, see intakeSignal.readThresholds) share one wire object.
 */
export function thresholdsToWire(t: Thresholds): ReturnType<typeof toWire> {
	if (!Object.isFrozen(t)) return toWire(t);
	let wire = wireCache.get(t);
	if (wire === undefined) {
		wire = deepFreeze(toWire(t));
		wireCache.set(t, wire);
	}
	return wire;
}

function toWire(t: Thresholds) {
	return {
		strategy: t.strategy,
		max_lag_seconds: t.maxLagMs / 1000,
		max_future_skew_seconds: t.maxFutureSkewMs / 1000,
		alert_time_is: t.alertTimeIs,
		kelly_fraction: t.kellyFraction,
		max_position_ratio: t.maxPositionRatio,
		kelly_min_sample: t.kellyMinSample,
		kelly_window: t.kellyWindow,
		kelly_prior: { win_rate: t.kellyPrior.winRate, avg_win: t.kellyPrior.avgWin, avg_loss: t.kellyPrior.avgLoss },
		max_daily_drawdown_ratio: t.maxDailyDrawdownRatio,
		halt_hours: t.haltMs / HOUR_MS,
		max_heat_ratio: t.maxHeatRatio,
		heat_basis: t.heatBasis,
		min_reward_risk: t.minRewardRisk,
		max_var_ratio: t.maxVarRatio,
		var_confidence: t.varConfidence,
		var_timeframe: t.varTimeframe,
		var_lookback: t.varLookback,
		var_min_returns: t.varMinReturns,
		on_missing_var: t.onMissingVar,
		max_panic_score: t.maxPanicScore,
		on_missing_panic: t.onMissingPanic,
		panic_max_age_hours: t.panicMaxAgeMs / HOUR_MS,
		time_stop_hours: t.timeStopMs / HOUR_MS,
		fee_ratio: t.feeRatio,
		allow_resize: t.allowResize,
	};
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Query parameters → a thresholds wire object: only known names are taken (others are the caller's
 * business), numbers and booleans are converted, `tier1`/`tier2`/`tier3` and `whitelist.tierN`
 * fill `whitelist`, dotted names (`kelly_prior.win_rate`, `llm.model`) fill nested objects.
 */
export function thresholdsFromQuery(query: Record<string, string>): Record<string, unknown> {
	const known = new Set(Object.keys(ThresholdsSchema.shape));
	const out: Record<string, unknown> = Object.create(null);
	const value = (v: string): unknown => {
		const t = v.trim();
		if (t === 'true') return true;
		if (t === 'false') return false;
		return NUMERIC.test(t) ? Number(t) : t;
	};
	for (const [rawKey, raw] of Object.entries(query)) {
		let key = rawKey;
		if (/^tier[123]$/.test(key)) key = `whitelist.${key}`;
		const [head, sub, ...more] = key.split('.');
		if (head === undefined || !known.has(head) || more.length > 0) continue;
		if (sub === undefined) {
			out[head] = head === 'strategy' || head === 'var_timeframe' ? raw : value(raw);
			continue;
		}
		const nested = (out[head] ??= Object.create(null)) as Record<string, unknown>;
		if (typeof nested !== 'object') continue;
		nested[sub] = head === 'whitelist' ? raw : sub === 'model' ? raw : value(raw);
	}
	return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
