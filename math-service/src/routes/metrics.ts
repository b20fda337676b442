/**
 * @module routes/metrics
 * `POST /v1/metrics`: performance metrics as empyrical defines them (risk-free rate 0), from a
 * return series (`returns` + `periods_per_year`: 365 daily, 8760 hourly, 525600 minute) and/or from
 * a list of closed trades (`trades[].pnl`). The formulas live in core/metrics; each response field's
 * OpenAPI description is its definition from core/metrics/metricDefinitions. Undefined metrics
 * (zero variance, no losing trade, …) are null, never a sentinel like 1e16 or −100.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { METRIC_DEFINITIONS } from '../core/metrics/metricDefinitions';
import { returnMetrics } from '../core/metrics/returnMetrics';
import { tradeMetrics } from '../core/metrics/tradeMetrics';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';

/** Metrics of a return series, snake_case as on the wire; the integers are never null. */
export const RETURN_METRIC_NAMES = [
	'periods',
	'total_return_ratio',
	'cagr_ratio',
	'annual_volatility_ratio',
	'sharpe_ratio',
	'sortino_ratio',
	'max_drawdown_ratio',
	'max_drawdown_duration_periods',
	'calmar_ratio',
	'omega_ratio',
	'tail_ratio',
] as const;

/** Metrics of a trade list, snake_case as on the wire. */
export const TRADE_METRIC_NAMES = [
	'trade_count',
	'win_count',
	'loss_count',
	'breakeven_count',
	'win_rate',
	'profit_factor',
	'payoff_ratio',
	'expectancy',
	'avg_win',
	'avg_loss',
] as const;

/** Counts: integers, never null. */
const COUNT_METRICS = new Set(['periods', 'trade_count', 'win_count', 'loss_count', 'breakeven_count']);

const definitions = METRIC_DEFINITIONS as Record<string, string | undefined>;

function metricsObject(names: readonly string[], refId: string, description: string) {
	const shape: Record<string, z.ZodType> = {};
	for (const name of names) {
		const base = COUNT_METRICS.has(name)
			? z.number().int()
			: name === 'max_drawdown_duration_periods'
				? z.number().int().nullable()
				: z.number().nullable();
		shape[name] = base.openapi({ description: definitions[name] ?? name });
	}
	return z.object(shape).openapi(refId, { description });
}

const ReturnMetrics = metricsObject(RETURN_METRIC_NAMES, 'ReturnMetrics', 'Metrics of the return series; null where undefined');
const TradeMetrics = metricsObject(TRADE_METRIC_NAMES, 'TradeMetrics', 'Metrics of the trade list; null where undefined');

const Trade = z
	.object({
		pnl: z.number().openapi({ description: 'Profit (> 0) or loss (< 0) of the closed trade, any consistent unit; 0 is breakeven' }),
	})
	.openapi('Trade', { description: 'A closed trade; fields other than pnl are ignored' });

export const MetricsRequest = z
	.object({
		returns: z
			.array(z.number())
			.optional()
			.openapi({ description: 'Simple per-period returns as ratios (0.01 = +1 %), oldest first', example: [0.01, -0.02, 0.015] }),
		periods_per_year: z
			.number()
			.gt(0)
			.optional()
			.openapi({ description: 'Return periods per year for annualisation (365 daily, 8760 hourly, 525600 minute); required with returns', example: 365 }),
		trades: z
			.array(Trade)
			.optional()
			.openapi({ description: 'Closed trades, for win rate, profit factor, payoff ratio and expectancy' }),
	})
	.superRefine((body, ctx) => {
		if (body.returns === undefined && body.trades === undefined) {
			ctx.addIssue({ code: 'custom', path: [], message: 'send returns (with periods_per_year) or trades, or both' });
		}
		if (body.returns !== undefined && body.periods_per_year === undefined) {
			ctx.addIssue({ code: 'custom', path: ['periods_per_year'], message: 'required with returns', params: { type: 'missing' } });
		}
	})
	.openapi('MetricsRequest');

export const MetricsResponse = z
	.object({
		return_metrics: ReturnMetrics.nullable().openapi({ description: 'Present when returns were sent, else null' }),
		trade_metrics: TradeMetrics.nullable().openapi({ description: 'Present when trades were sent, else null' }),
	})
	.openapi('MetricsResponse');

const metricsRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Performance metrics from returns and/or trades',
	description: 'empyrical-compatible metrics (risk-free 0). Each field of ReturnMetrics and TradeMetrics documents its definition.',
	tags: ['metrics'],
	request: { body: jsonBody(MetricsRequest) },
	responses: { 200: jsonResponse(MetricsResponse, 'Every metric, null where undefined'), ...errorResponses },
});

const camelCase = (snake: string) => snake.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

/** Picks `names` (snake_case) out of a camelCase core result; a missing or non-finite value becomes null. */
export function pickSnake(result: object, names: readonly string[]): Record<string, number | null> {
	const src = result as Record<string, unknown>;
	const out: Record<string, number | null> = {};
	for (const name of names) {
		const v = src[camelCase(name)];
		out[name] = typeof v === 'number' && Number.isFinite(v) ? v : null;
	}
	return out;
}

export function metricsRoutes(_deps: AppDeps) {
	return createRouter().openapi(metricsRoute, (c) => {
		const body = c.req.valid('json');
		const returnPart =
			body.returns !== undefined && body.periods_per_year !== undefined
				? pickSnake(returnMetrics(body.returns, body.periods_per_year), RETURN_METRIC_NAMES)
				: null;
		const tradePart = body.trades !== undefined ? pickSnake(tradeMetrics(body.trades), TRADE_METRIC_NAMES) : null;
		return c.json({ return_metrics: returnPart, trade_metrics: tradePart } as never, 200);
	});
}
