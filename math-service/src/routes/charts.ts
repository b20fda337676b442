/**
 * @module routes/charts
 * `GET /v1/decisions/:id/chart.png`: the signal card's chart (chart/decisionChart) as an 800×450
 * PNG — recent candles, session VWAP with ±2σ bands, and the decision's entry, stop and target.
 * Query: `bars` (30–500, default 150), `timeframe` (default: the alert's interval). 404 for an
 * unknown decision. Headers `X-Chart-Bars` (bars drawn) and `X-Chart-Note` (why fewer, if so).
 * Mounted at /v1/decisions beside routes/decisions.ts. The Telegram node downloads this URL and
 * uploads the bytes with sendPhoto.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { decisionChart, DEFAULT_CHART_BARS } from '../chart/decisionChart';
import { marketDataFor } from '../crawler/marketDataFor';
import { TIMEFRAMES } from '../crawler/timeframes';
import { createRouter, errorResponses, HTTPError } from '../http/createRouter';

const chartRoute = createRoute({
	method: 'get',
	path: '/{id}/chart.png',
	summary: 'Chart of a decision (PNG): candles, VWAP bands, entry/stop/target',
	description:
		'Reads stored candles (the crawler keeps them; with fewer than 60 and an exchange configured, one bounded sync runs first). Without market data the levels are drawn alone and the title says so.',
	tags: ['decisions'],
	request: {
		params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }) }),
		query: z.object({
			bars: z.coerce.number().int().min(30).max(500).default(DEFAULT_CHART_BARS).openapi({ description: 'Bars to draw' }),
			timeframe: z.enum(TIMEFRAMES as [string, ...string[]]).optional().openapi({ description: "Bar length (default: the alert's interval, else 1m)" }),
		}),
	},
	responses: {
		200: { description: '800×450 PNG', content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } },
		404: { description: 'No such decision', content: { 'application/json': { schema: HTTPError } } },
		...errorResponses,
	},
});

export function chartsRoutes(deps: AppDeps) {
	return createRouter().openapi(chartRoute, async (c) => {
		const { id } = c.req.valid('param');
		const { bars, timeframe } = c.req.valid('query');
		const chart = await decisionChart(marketDataFor(deps), id, { bars, timeframe });
		if (chart === null) return c.json({ detail: `decision ${id} not found` }, 404);
		const headers: Record<string, string> = {
			'content-type': 'image/png',
			'content-disposition': `inline; filename="decision-${id}.png"`,
			'cache-control': 'no-store',
			'x-chart-bars': String(chart.bars),
		};
		if (chart.note !== null) headers['x-chart-note'] = chart.note.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
		return c.body(new Uint8Array(chart.png), 200, headers);
	});
}
