/**
 * @module routes/positions
 * Paper positions: `POST /v1/positions/check` (the risk monitor, every 10 s) applies stops, targets
 * and the 48 h time stop to the open positions at the request's prices (else the latest stored
 * candle closes) and logs every exit in the trade log (pipeline/checkPositions), under the
 * `risk_monitor` heartbeat lease (an overlapping run skips or waits and says so in `run`); its
 * `events[]` carry one ready Telegram message per close and per halt; `GET /v1/positions?status=open|closed|all`
 * lists them, open ones marked to the latest stored close (entry price when none).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { latestClose } from '../pipeline/accountState';
import { riskMonitorEvents } from '../core/positions/riskMonitorEvents';
import { marketDataFor } from '../crawler/marketDataFor';
import { timeframeMs } from '../crawler/timeframes';
import { heartbeatFor } from '../heartbeat/heartbeatFor';
import { runHeartbeatJob } from '../heartbeat/runHeartbeatJob';
import { recordHeartbeat } from '../observability/serviceMetrics';
import { checkPositions, type CheckPositionsResult } from '../pipeline/checkPositions';
import { runBlock } from '../pipeline/heartbeatWire';
import { pipelineFor } from '../pipeline/createPipeline';
import { readThresholds } from '../pipeline/intakeSignal';
import { CheckPositionsRequestSchema, CheckPositionsResponseSchema, iso, PositionSchema } from '../pipeline/wireSchemas';

/** The heartbeat job name of the risk monitor (its lease and freshness in GET /v1/heartbeat). */
export const RISK_MONITOR_JOB = 'risk_monitor';

const checkRoute = createRoute({
	method: 'post',
	path: '/check',
	summary: 'Apply stop, target and time stop to open paper positions',
	tags: ['positions'],
	request: { body: { required: false, content: { 'application/json': { schema: CheckPositionsRequestSchema } } } },
	responses: { 200: jsonResponse(CheckPositionsResponseSchema, 'Closed, still open and skipped positions'), ...errorResponses },
});

const listRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Paper positions',
	tags: ['positions'],
	request: {
		query: z.object({
			status: z.enum(['open', 'closed', 'all']).default('open'),
			symbol: z.string().max(64).optional(),
			strategy: z.string().max(64).optional(),
			limit: z.coerce.number().int().min(1).max(1000).default(100),
		}),
	},
	responses: { 200: jsonResponse(z.object({ positions: z.array(PositionSchema) }), 'Positions, newest first'), ...errorResponses },
});

export function positionsRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(checkRoute, async (c) => {
			const p = pipelineFor(deps);
			const body = (c.req.header('content-length') === '0' ? {} : c.req.valid('json')) ?? {};
			const nowMs = body.now === undefined ? undefined : typeof body.now === 'number' ? body.now : Date.parse(body.now);
			const thresholds = readThresholds({}, body.thresholds);
			const timeframe = body.timeframe ?? '1m';
			const input = { nowMs, prices: body.prices, thresholds, exchange: body.exchange ?? marketDataFor(deps).defaultExchange, timeframe, timeframeMs: timeframeMs(timeframe), slippageRatio: body.slippage_ratio };
			const answer = await runHeartbeatJob(heartbeatFor(deps), RISK_MONITOR_JOB, () => checkPositions(p, input), { ttlMs: 30_000, waitMs: body.wait_ms ?? 0, onRun: recordHeartbeat });
			const result: CheckPositionsResult = answer.result ?? { checked_at: new Date(answer.started_at).toISOString(), checked: 0, closed: [], still_open: [], skipped: [], equity: null, day_return_ratio: null, halt: null };
			return c.json({ ...result, ran: answer.ran, run: runBlock(answer), events: riskMonitorEvents(result.closed, result.halt, result.equity) }, 200);
		})
		.openapi(listRoute, async (c) => {
			const q = c.req.valid('query');
			const p = pipelineFor(deps);
			const rows = await p.storage.db
				.selectFrom('paperPositions')
				.selectAll()
				.$if(q.status !== 'all', (b) => b.where('status', '=', q.status as 'open' | 'closed'))
				.$if(q.symbol !== undefined, (b) => b.where('symbol', '=', q.symbol!))
				.$if(q.strategy !== undefined, (b) => b.where('strategy', '=', q.strategy!))
				.orderBy('openedAt', 'desc')
				.orderBy('id', 'desc')
				.limit(q.limit)
				.execute();
			const marks = new Map<string, number | null>();
			const positions = [];
			for (const r of rows) {
				let mark: number | null = null;
				if (r.status === 'open') {
					if (!marks.has(r.symbol)) marks.set(r.symbol, await latestClose(p.storage, r.symbol));
					mark = marks.get(r.symbol) ?? r.entryPrice;
				}
				positions.push({
					position_id: r.id,
					decision_id: r.decisionId,
					strategy: r.strategy,
					symbol: r.symbol,
					status: r.status,
					quantity: r.quantity,
					entry_price: r.entryPrice,
					stop_price: r.stopPrice,
					target_price: r.targetPrice,
					fees: r.fees,
					opened_at: iso(r.openedAt)!,
					closed_at: iso(r.closedAt),
					exit_price: r.exitPrice,
					exit_reason: r.exitReason,
					realized_pnl: r.realizedPnl,
					mark_price: mark,
					unrealized_pnl: mark === null ? null : (mark - r.entryPrice) * r.quantity - r.fees,
				});
			}
			return c.json({ positions }, 200);
		});
}
