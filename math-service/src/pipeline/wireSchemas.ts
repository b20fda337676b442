/**
 * @module pipeline/wireSchemas
 * The zod/OpenAPI contract of the pipeline endpoints (signals, decisions, positions, trades):
 * snake_case JSON, ratios as fractions, `..._pct` 0–100, times as ISO 8601 strings plus `_ms`
 * where a client computes with them. The n8n nodes and the end-to-end test code against these.
 */
import { z } from '@hono/zod-openapi';
import type { NormalizedAlert } from '../core/intake/evaluateIntake.js';
import { rewardRiskRatio } from '../core/risk/gates/minRewardRisk.js';
import { HeartbeatRunSchema, LeaseRequestFields, RiskMonitorEventSchema } from './heartbeatWire.js';
import { ThresholdsSchema } from './thresholds.js';

export const GateSchema = z
	.object({
		name: z.string().openapi({ description: 'symbol, whitelist, staleness (intake); sizing, dailyDrawdownHalt, operatorHalt, panicSwitch, minRewardRisk, maxPositionPerAsset, portfolioHeat, cashAvailable, varBudget, timeStop (risk)', example: 'portfolioHeat' }),
		passed: z.boolean(),
		value: z.number().nullable().openapi({ description: 'Measured value (ratios as fractions; staleness in seconds; whitelist = tier); null when not numeric' }),
		limit: z.number().nullable().openapi({ description: 'The limit the value is compared with' }),
		detail: z.string().openapi({ description: 'The comparison in words' }),
		reason_code: z.string().optional().openapi({ description: 'Set on a failing gate' }),
		action: z.string().optional().openapi({ description: 'reject | resize | halt' }),
	})
	.openapi('Gate');

export const DecisionResponseSchema = z
	.object({
		status: z.enum(['approved', 'rejected']),
		reason_code: z.string().openapi({ description: 'Stable code, see docs/api.md', example: 'approved' }),
		reason: z.string(),
		decision_id: z.number().int(),
		alert_id: z.string().openapi({ description: "TradingView's alert_id, or sha256:<hex> of ticker+time+action when it sent none" }),
		signal_id: z.number().int().nullable(),
		duplicate: z.boolean().openapi({ description: 'True when an earlier delivery already made this decision' }),
		mode: z.enum(['PAPER', 'LIVE']),
		gates: z.array(GateSchema),
		receipt: z.record(z.string(), z.unknown()).openapi({ description: 'Full receipt: size {position_pct, quantity, notional, …}, entry/stop/target, reward_risk, kelly, var, panic {score, basis, currency, computed_at, age_hours, note}, llm, account, execution, thresholds' }),
	})
	.openapi('DecisionResponse');

export const NormalizedSignalSchema = z
	.object({
		symbol: z.string().openapi({ example: 'BTC/USDT' }),
		original_symbol: z.string(),
		asset: z.string(),
		quote: z.string(),
		tier: z.number().int().nullable(),
		contract: z.enum(['spot', 'perpetual']),
		exchange: z.string().nullable(),
		action: z.enum(['buy', 'sell', 'exit']),
		intent: z.enum(['open', 'close']),
		interval: z.string().nullable(),
		time: z.string(),
		time_ms: z.number(),
		close: z.number(),
		vwap: z.number().nullable(),
		stop: z.number().nullable(),
		target: z.number().nullable(),
		reward_risk: z.number().nullable(),
		notes: z.array(z.string()),
	})
	.openapi('NormalizedSignal');

export function normalizedToWire(n: NormalizedAlert) {
	return {
		symbol: n.symbol,
		original_symbol: n.originalSymbol,
		asset: n.base,
		quote: n.quote,
		tier: n.tier,
		contract: n.contract,
		exchange: n.exchange,
		action: n.action,
		intent: n.intent,
		interval: n.interval,
		time: new Date(n.timeMs).toISOString(),
		time_ms: n.timeMs,
		close: n.close,
		vwap: n.vwap,
		stop: n.stop,
		target: n.target,
		reward_risk: n.stop !== null && n.target !== null ? rewardRiskRatio(n.close, n.stop, n.target) : null,
		notes: n.notes,
	};
}

export const ValidateResponseSchema = z
	.object({
		status: z.enum(['accepted', 'rejected']).openapi({ description: 'accepted: passed intake, call POST /v1/decisions next; rejected: stored as a rejected decision' }),
		reason_code: z.string().nullable(),
		reason: z.string(),
		alert_id: z.string(),
		signal_id: z.number().int(),
		decision_id: z.number().int().nullable().openapi({ description: 'The stored decision (rejection or an earlier decision), else null' }),
		duplicate: z.boolean(),
		signal: NormalizedSignalSchema.nullable(),
		gates: z.array(GateSchema),
		decision: DecisionResponseSchema.nullable(),
		thresholds: z.record(z.string(), z.unknown()),
	})
	.openapi('ValidateResponse');

export const UnauthorizedSchema = z.object({ detail: z.string() }).openapi('Unauthorized');

export const DecideRequestSchema = z
	.object({
		alert_id: z.string().min(1).max(255).optional().openapi({ description: 'The alert id returned by /v1/signals/validate' }),
		signal_id: z.number().int().positive().optional(),
		thresholds: ThresholdsSchema.optional(),
	})
	.strict()
	.refine((b) => b.alert_id !== undefined || b.signal_id !== undefined, { message: 'send alert_id or signal_id', path: ['alert_id'], params: { type: 'missing' } })
	.openapi('DecideRequest');

export const CallbackRequestSchema = z
	.object({
		action: z.enum(['executed', 'skipped']),
		user: z.string().trim().min(1).max(128).openapi({ description: 'Who pressed (Telegram username or id)' }),
		callback_query_id: z.string().min(1).max(128).nullable().optional().openapi({ description: "Telegram's callback_query.id: a redelivery with the same id is recorded once" }),
		raw: z.unknown().optional().openapi({ description: 'The Telegram update as received' }),
	})
	.openapi('CallbackRequest');

export const CallbackResponseSchema = z
	.object({
		event_id: z.number().int(),
		decision_id: z.number().int(),
		action: z.enum(['executed', 'skipped']),
		user: z.string(),
		callback_query_id: z.string().nullable(),
		received_at: z.string(),
		duplicate: z.boolean(),
	})
	.openapi('CallbackResponse');

export const CheckPositionsRequestSchema = z
	.object({
		now: z.union([z.number().int().nonnegative(), z.string().datetime({ offset: true })]).optional().openapi({ description: 'Evaluation time (Unix ms or ISO 8601); default the service clock' }),
		prices: z.record(z.string().min(1).max(64), z.number().finite().positive()).optional().openapi({ description: 'Current prices by symbol ("BTC/USDT": 64000); missing symbols use the latest stored candle close' }),
		thresholds: ThresholdsSchema.optional(),
		exchange: z.string().trim().min(1).max(32).optional().openapi({ description: 'Exchange whose stored candles are examined. Default HFQ_EXCHANGE (binance)' }),
		timeframe: z.string().trim().min(1).max(8).optional().openapi({ description: 'Candle timeframe examined. Default 1m' }),
		slippage_ratio: z.number().finite().min(0).lt(0.1).optional().openapi({ description: 'Adverse slippage on stop and time-stop fills, fraction. Default 0.0002 (the backtester\'s 2 bps)' }),
		...LeaseRequestFields,
	})
	.strict()
	.openapi('CheckPositionsRequest');

const ClosedPositionSchema = z.object({
	position_id: z.number().int(),
	symbol: z.string(),
	strategy: z.string(),
	exit_reason: z.enum(['stop', 'target', 'time_stop']),
	fill_basis: z.enum(['candles', 'price']).openapi({ description: 'candles: every closed candle since the last check, with the backtester\'s fill rules; price: no candle stored, the price alone' }),
	exit_time: z.string().openapi({ description: 'When the exit filled (candle open time or the check time), ISO 8601' }),
	entry_price: z.number(),
	exit_price: z.number(),
	quantity: z.number(),
	pnl: z.number(),
	return_ratio: z.number(),
	fees: z.number(),
	trade_id: z.number().int(),
	held_hours: z.number(),
	live_via: z.enum(['market', 'oco_stop', 'oco_target']).nullable().openapi({ description: 'A LIVE position: how the exchange closed it (market sell, or the OCO leg that filled); null for paper' }),
});

export const CheckPositionsResponseSchema = z
	.object({
		checked_at: z.string(),
		checked: z.number().int(),
		closed: z.array(ClosedPositionSchema),
		still_open: z.array(z.object({ position_id: z.number().int(), symbol: z.string(), price: z.number(), price_source: z.enum(['request', 'candle']), age_hours: z.number() })),
		skipped: z.array(z.object({ position_id: z.number().int(), symbol: z.string(), reason: z.string() })),
		equity: z.number().nullable().openapi({ description: 'Cash + open positions marked to market after the exits' }),
		day_return_ratio: z.number().nullable().openapi({ description: 'equity / equity at 00:00 UTC − 1' }),
		halt: z
			.object({ halt_until: z.string(), day_return_ratio: z.number(), limit: z.number() })
			.nullable()
			.openapi({ description: 'Set when this check started a daily-drawdown halt (marked-to-market loss at or below the limit)' }),
		ran: z.boolean().openapi({ description: 'False when a previous risk_monitor run still held the lease: nothing was checked (see run.reason)' }),
		run: HeartbeatRunSchema,
		events: z.array(RiskMonitorEventSchema).openapi({ description: 'One per close and one per halt started, each with a ready Telegram message' }),
	})
	.openapi('CheckPositionsResponse');

export const PositionSchema = z
	.object({
		position_id: z.number().int(),
		decision_id: z.number().int().nullable(),
		strategy: z.string(),
		symbol: z.string(),
		status: z.enum(['open', 'closed']),
		quantity: z.number(),
		entry_price: z.number(),
		stop_price: z.number().nullable(),
		target_price: z.number().nullable(),
		fees: z.number(),
		opened_at: z.string(),
		closed_at: z.string().nullable(),
		exit_price: z.number().nullable(),
		exit_reason: z.string().nullable(),
		realized_pnl: z.number().nullable(),
		mark_price: z.number().nullable().openapi({ description: 'Open positions: latest stored close (or entry when none)' }),
		unrealized_pnl: z.number().nullable(),
	})
	.openapi('Position');

export const TradeSchema = z
	.object({
		trade_id: z.number().int(),
		strategy: z.string(),
		symbol: z.string(),
		mode: z.enum(['PAPER', 'LIVE']),
		entry_time: z.string(),
		entry_price: z.number(),
		exit_time: z.string(),
		exit_price: z.number(),
		exit_reason: z.string(),
		quantity: z.number(),
		pnl: z.number(),
		return_ratio: z.number(),
		fees: z.number(),
	})
	.openapi('Trade');

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
