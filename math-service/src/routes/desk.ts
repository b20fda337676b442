/**
 * @module routes/desk
 * The operator's desk (the kill switch and manual closes):
 * - `GET /v1/desk`: mode, halted (since, by whom, why), open positions marked to the latest price,
 *   today's P&L (desk/deskStatus);
 * - `POST /v1/desk/halt` `{by?, reason?, flatten?, prices?}`: no new entries until resumed (the
 *   operatorHalt gate); `flatten: true` also closes every open position and lists each close;
 * - `POST /v1/desk/resume` `{by?}`;
 * - `POST /v1/desk/close` `{symbol, by?, prices?}`: closes the open position(s) in one symbol.
 * Closes are market sells at the latest price less the backtester's slippage (desk/closeOpenPosition).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { pipelineFor } from '../pipeline/createPipeline';
import { closeOpenPositions } from '../desk/closeOpenPosition';
import { readDeskStatus } from '../desk/deskStatus';
import { haltDesk, resumeDesk } from '../desk/haltDesk';

const Actor = z.string().trim().min(1).max(128).default('api').openapi({ description: 'Who acts, for the audit trail (desk_events)', example: 'api' });
const Prices = z
	.record(z.string().max(64), z.number().finite().positive())
	.optional()
	.openapi({ description: 'Prices to close at by symbol (BASE/QUOTE); default: the latest stored candle close', example: { 'BTC/USDT': 84000 } });

const DeskPositionSchema = z.object({
	position_id: z.number().int(),
	strategy: z.string(),
	symbol: z.string(),
	quantity: z.number(),
	entry_price: z.number(),
	stop_price: z.number().nullable(),
	target_price: z.number().nullable(),
	mark_price: z.number(),
	mark_source: z.enum(['candle', 'entry']).openapi({ description: 'candle: the latest stored close; entry: no price stored yet' }),
	unrealized_pnl: z.number().openapi({ description: '(mark − entry) × quantity − entry fees' }),
	opened_at: z.string(),
});

export const DeskStatusSchema = z
	.object({
		mode: z.enum(['PAPER', 'LIVE']),
		halted: z.boolean().openapi({ description: 'true while the operator has halted the desk: every entry is refused (operator_halt)' }),
		halted_since: z.string().nullable(),
		halted_by: z.string().nullable(),
		halt_reason: z.string().nullable(),
		drawdown_halt_until: z.string().nullable().openapi({ description: 'The daily-drawdown halt (risk monitor), when one is active' }),
		open_positions: z.array(DeskPositionSchema),
		pnl_today: z.object({
			day: z.string().openapi({ example: '2026-12-05' }),
			realized: z.number().openapi({ description: 'Σ net P&L of trades closed since 00:00 UTC' }),
			trades_closed: z.number().int(),
			unrealized: z.number(),
			equity: z.number(),
			day_start_equity: z.number(),
			equity_change: z.number(),
			equity_change_ratio: z.number().nullable(),
		}),
		as_of: z.string(),
	})
	.openapi('DeskStatus');

const ClosedSchema = z.object({
	position_id: z.number().int(),
	symbol: z.string(),
	strategy: z.string(),
	quantity: z.number(),
	entry_price: z.number(),
	mark_price: z.number(),
	price_source: z.enum(['request', 'candle']),
	exit_price: z.number().openapi({ description: 'mark × (1 − slippage), slippage 2 bps (the backtester’s)' }),
	pnl: z.number(),
	return_ratio: z.number(),
	fees: z.number(),
	trade_id: z.number().int(),
	exit_reason: z.enum(['operator_close', 'operator_flatten']),
});

const LiveClosedSchema = z.object({
	position_id: z.number().int(),
	symbol: z.string(),
	strategy: z.string(),
	quantity: z.number(),
	entry_price: z.number(),
	exit_price: z.number().openapi({ description: 'The exchange’s fill price: the market sell’s average, or the OCO leg that filled first' }),
	pnl: z.number(),
	return_ratio: z.number(),
	fees: z.number(),
	trade_id: z.number().int(),
	exit_reason: z.string().openapi({ description: 'operator_close / operator_flatten; stop or target when the exchange had already filled that OCO leg' }),
	via: z.enum(['market', 'oco_stop', 'oco_target']),
	message: z.string(),
});

export const CloseOutcomeSchema = z
	.object({
		closed: z.array(ClosedSchema),
		skipped: z.array(z.object({ position_id: z.number().int(), symbol: z.string(), reason: z.string() })),
		live: z
			.object({
				closed: z.array(LiveClosedSchema),
				failed: z.array(z.object({ position_id: z.number().int(), symbol: z.string(), reason: z.string() })),
			})
			.nullable()
			.openapi({ description: 'LIVE mode: each LIVE position closed on the exchange, or why not (left open); null in PAPER' }),
	})
	.openapi('DeskCloseOutcome');

const HaltResponse = z
	.object({
		halted: z.literal(true),
		changed: z.boolean().openapi({ description: 'false when the desk was already halted (the first halt is kept)' }),
		halted_since: z.string(),
		halted_by: z.string(),
		reason: z.string().nullable(),
		flatten: CloseOutcomeSchema.nullable().openapi({ description: 'What flatten closed, position by position; null without flatten' }),
	})
	.openapi('DeskHalt');

const json = <T extends z.ZodType>(schema: T) => ({ body: { required: false, content: { 'application/json': { schema } } } });

const statusRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Desk status: mode, halt, open positions, today’s P&L',
	tags: ['desk'],
	responses: { 200: jsonResponse(DeskStatusSchema, 'The desk now'), ...errorResponses },
});

const haltRoute = createRoute({
	method: 'post',
	path: '/halt',
	summary: 'Halt new entries (the kill switch); flatten closes every open position',
	tags: ['desk'],
	request: json(z.object({ by: Actor, reason: z.string().max(255).optional(), flatten: z.boolean().default(false), prices: Prices })),
	responses: { 200: jsonResponse(HaltResponse, 'Halted; with flatten, each close'), ...errorResponses },
});

const resumeRoute = createRoute({
	method: 'post',
	path: '/resume',
	summary: 'Lift the operator halt',
	tags: ['desk'],
	request: json(z.object({ by: Actor })),
	responses: { 200: jsonResponse(z.object({ halted: z.literal(false), changed: z.boolean() }).openapi('DeskResume'), 'Trading again'), ...errorResponses },
});

const closeRoute = createRoute({
	method: 'post',
	path: '/close',
	summary: 'Close the open position(s) in one symbol at the latest price',
	tags: ['desk'],
	request: {
		body: {
			required: true,
			content: {
				'application/json': {
					schema: z.object({
						symbol: z
							.string()
							.trim()
							.regex(/^[A-Za-z0-9]{1,20}([/:_-][A-Za-z0-9]{1,20})?$/, 'must be a symbol such as BTC, BTCUSDT or BTC/USDT')
							.openapi({ description: 'BTC/USDT, BTCUSDT, or a bare base (BTC: every quote)', example: 'BTC/USDT' }),
						by: Actor,
						prices: Prices,
					}),
				},
			},
		},
	},
	responses: { 200: jsonResponse(CloseOutcomeSchema, 'Closed and skipped positions'), ...errorResponses },
});

const emptyBody = (c: { req: { header(name: string): string | undefined } }) => c.req.header('content-length') === '0' || c.req.header('content-type') === undefined;

export function deskRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(statusRoute, async (c) => c.json(await readDeskStatus(pipelineFor(deps)), 200))
		.openapi(haltRoute, async (c) => {
			const body = emptyBody(c) ? { by: 'api', flatten: false } : (c.req.valid('json') ?? { by: 'api', flatten: false });
			const p = pipelineFor(deps);
			const out = await haltDesk(p, { by: body.by, reason: 'reason' in body ? body.reason : null, flatten: body.flatten, prices: 'prices' in body ? body.prices : undefined });
			return c.json(out, 200);
		})
		.openapi(resumeRoute, async (c) => {
			const body = emptyBody(c) ? { by: 'api' } : (c.req.valid('json') ?? { by: 'api' });
			return c.json(await resumeDesk(pipelineFor(deps), { by: body.by }), 200);
		})
		.openapi(closeRoute, async (c) => {
			const body = c.req.valid('json');
			const out = await closeOpenPositions(pipelineFor(deps), { symbol: body.symbol, actor: body.by, exitReason: 'operator_close', prices: body.prices });
			return c.json(out, 200);
		});
}
