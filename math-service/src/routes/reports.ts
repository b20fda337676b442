/**
 * @module routes/reports
 * The operator's daily report (desk/dailyReport): `GET /v1/reports/daily?date=YYYY-MM-DD` (default
 * today, UTC) — P&L of the day, open positions, gate hits by gate, the equity curve, operator
 * actions and the report as plain text — and `GET /v1/reports/daily/equity.png`, the equity curve
 * as a 900×420 PNG. The daily-report workflow sends both to Telegram.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { pipelineFor } from '../pipeline/createPipeline';
import { readDailyReport, renderDailyEquityPng } from '../desk/dailyReport';

const Query = z.object({
	date: z.string().optional().openapi({ description: 'UTC day YYYY-MM-DD; default today (up to now)', example: '2026-12-05' }),
});

const DailyReportSchema = z
	.object({
		date: z.string(),
		from: z.string(),
		to: z.string(),
		mode: z.enum(['PAPER', 'LIVE']),
		halted: z.boolean(),
		halted_since: z.string().nullable(),
		halted_by: z.string().nullable(),
		pnl: z.object({
			realized: z.number().openapi({ description: 'Σ net P&L of the trades closed that day' }),
			trades_closed: z.number().int(),
			wins: z.number().int(),
			losses: z.number().int(),
			unrealized: z.number().nullable().openapi({ description: 'Open positions now (today only)' }),
			equity_start: z.number().openapi({ description: 'Equity at 00:00 UTC' }),
			equity_end: z.number().openapi({ description: 'Equity now (today) or at the last snapshot of the day' }),
			equity_change: z.number(),
			equity_change_ratio: z.number().nullable(),
		}),
		open_positions: z.array(z.record(z.string(), z.unknown())).nullable().openapi({ description: 'As in GET /v1/desk; null for a past day' }),
		gate_hits: z.object({
			decisions: z.number().int(),
			approved: z.number().int(),
			rejected: z.number().int(),
			by_gate: z.record(z.string(), z.number().int()).openapi({ description: 'gate → times it did not pass', example: { operatorHalt: 3, portfolioHeat: 1 } }),
			by_reason: z.record(z.string(), z.number().int()),
			unreadable: z.number().int(),
		}),
		equity_curve: z.array(z.object({ at: z.string(), equity: z.number() })),
		operator_actions: z.array(z.object({ at: z.string(), action: z.string(), actor: z.string() })),
		text: z.string().openapi({ description: 'The report as a plain-text Telegram message' }),
	})
	.openapi('DailyReport');

const dailyRoute = createRoute({
	method: 'get',
	path: '/daily',
	summary: 'The daily report: P&L, open positions, gate hits, equity curve',
	tags: ['reports'],
	request: { query: Query },
	responses: { 200: jsonResponse(DailyReportSchema, 'The report of the day'), ...errorResponses },
});

const pngRoute = createRoute({
	method: 'get',
	path: '/daily/equity.png',
	summary: 'The day’s equity curve as a PNG',
	tags: ['reports'],
	request: { query: Query },
	responses: { 200: { description: '900×420 PNG', content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses },
});

export function reportsRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(dailyRoute, async (c) => c.json(await readDailyReport(pipelineFor(deps), { date: c.req.valid('query').date }), 200))
		.openapi(pngRoute, async (c) => {
			const report = await readDailyReport(pipelineFor(deps), { date: c.req.valid('query').date });
			return c.body(new Uint8Array(renderDailyEquityPng(report)), 200, {
				'content-type': 'image/png',
				'content-disposition': `inline; filename="equity-${report.date}.png"`,
			}) as never;
		});
}
