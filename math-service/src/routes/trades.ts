/**
 * @module routes/trades
 * `GET /v1/trades?strategy=&symbol=&limit=`: the trade log of closed round trips (paper exits:
 * stop, target, time stop, signal exit), newest first, with the Kelly statistics they give:
 * win rate = wins / n (pnl > 0), avg_win / avg_loss = mean |return_ratio| of wins / losses.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { pipelineFor } from '../pipeline/createPipeline';
import { iso, TradeSchema } from '../pipeline/wireSchemas';

const listRoute = createRoute({
	method: 'get',
	path: '/',
	summary: 'Closed trades (trade log) and their Kelly statistics',
	tags: ['trades'],
	request: {
		query: z.object({
			strategy: z.string().max(64).optional(),
			symbol: z.string().max(64).optional(),
			mode: z.enum(['PAPER', 'LIVE']).optional(),
			limit: z.coerce.number().int().min(1).max(10_000).default(200),
		}),
	},
	responses: {
		200: jsonResponse(
			z.object({
				trades: z.array(TradeSchema),
				stats: z.object({ n: z.number().int(), wins: z.number().int(), losses: z.number().int(), win_rate: z.number().nullable(), avg_win: z.number().nullable(), avg_loss: z.number().nullable(), total_pnl: z.number() }),
			}),
			'Trades, newest first',
		),
		...errorResponses,
	},
});

export function tradesRoutes(deps: AppDeps) {
	return createRouter().openapi(listRoute, async (c) => {
		const q = c.req.valid('query');
		const rows = await pipelineFor(deps)
			.storage.db.selectFrom('tradeLog')
			.selectAll()
			.$if(q.strategy !== undefined, (b) => b.where('strategy', '=', q.strategy!))
			.$if(q.symbol !== undefined, (b) => b.where('symbol', '=', q.symbol!))
			.$if(q.mode !== undefined, (b) => b.where('mode', '=', q.mode!))
			.orderBy('exitTime', 'desc')
			.orderBy('id', 'desc')
			.limit(q.limit)
			.execute();
		const wins = rows.filter((t) => t.pnl > 0);
		const losses = rows.filter((t) => t.pnl < 0);
		const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
		return c.json(
			{
				trades: rows.map((t) => ({
					trade_id: t.id,
					strategy: t.strategy,
					symbol: t.symbol,
					mode: t.mode,
					entry_time: iso(t.entryTime)!,
					entry_price: t.entryPrice,
					exit_time: iso(t.exitTime)!,
					exit_price: t.exitPrice,
					exit_reason: t.exitReason,
					quantity: t.quantity,
					pnl: t.pnl,
					return_ratio: t.returnRatio,
					fees: t.fees,
				})),
				stats: {
					n: rows.length,
					wins: wins.length,
					losses: losses.length,
					win_rate: rows.length === 0 ? null : wins.length / rows.length,
					avg_win: mean(wins.map((t) => Math.abs(t.returnRatio))),
					avg_loss: mean(losses.map((t) => Math.abs(t.returnRatio))),
					total_pnl: rows.reduce((s, t) => s + t.pnl, 0),
				},
			},
			200,
		);
	});
}
