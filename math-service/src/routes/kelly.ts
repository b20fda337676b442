/**
 * @module routes/kelly
 * `POST /v1/kelly`: position size from the discrete Kelly criterion (core/kelly/kellyPosition).
 * Full Kelly f* = p − (1 − p)/b with p the win rate and b = avg_win/avg_loss (the payoff ratio);
 * f* < 0 means no edge. The size actually used is fractional Kelly, max(0, f*)·fraction (seed 1:
 * 0.25×), capped at `cap` of equity (seed 1: 10 % per asset) and reported in percent.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { kellyPosition } from '../core/kelly/kellyPosition';
import { METRIC_DEFINITIONS } from '../core/metrics/metricDefinitions';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import type { FastJsonAnswer } from '../http/fastJsonRoutes';

export const KellyRequest = z
	.object({
		win_rate: z
			.number()
			.min(0)
			.max(1)
			.openapi({ description: 'Probability that a trade wins, p, as a ratio 0–1', example: 0.55 }),
		avg_win: z
			.number()
			.gt(0)
			.openapi({ description: 'Average profit of a winning trade (> 0, same unit as avg_loss)', example: 1.5 }),
		avg_loss: z
			.number()
			.gt(0)
			.openapi({ description: 'Average loss of a losing trade as a positive number (> 0, same unit as avg_win)', example: 1 }),
		fraction: z
			.number()
			.gt(0)
			.max(1)
			.default(0.25)
			.openapi({ description: 'Kelly multiplier applied to f* (0.25 = quarter Kelly, 0.5 = half Kelly)', example: 0.25 }),
		cap: z
			.number()
			.gt(0)
			.max(1)
			.default(0.1)
			.openapi({ description: 'Largest position as a ratio of equity, 0 < cap ≤ 1 (0.10 = 10 %)', example: 0.1 }),
	})
	.openapi('KellyRequest');

export const KellyResponse = z
	.object({
		kelly_fraction: z.number().openapi({ description: METRIC_DEFINITIONS.kelly_fraction, example: 0.25 }),
		fractional_kelly: z.number().openapi({ description: METRIC_DEFINITIONS.fractional_kelly, example: 0.0625 }),
		position_pct: z.number().openapi({ description: METRIC_DEFINITIONS.position_pct, example: 6.25 }),
	})
	.openapi('KellyResponse');

const kellyRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Kelly position size',
	description: 'Discrete Kelly criterion with a fractional multiplier and a cap. Negative f* (no edge) sizes to 0.',
	tags: ['risk'],
	request: { body: jsonBody(KellyRequest) },
	responses: { 200: jsonResponse(KellyResponse, 'Kelly fraction and the capped position size'), ...errorResponses },
});

/** The 200 body for a validated request (shared by the route and its fast path). */
function kellyAnswer(body: z.output<typeof KellyRequest>): z.input<typeof KellyResponse> {
	const r = kellyPosition({
		winRate: body.win_rate,
		avgWin: body.avg_win,
		avgLoss: body.avg_loss,
		fraction: body.fraction,
		cap: body.cap,
	});
	return { kelly_fraction: r.kellyFraction, fractional_kelly: r.fractionalKelly, position_pct: r.positionPct };
}

/**
 * The happy path for http/fastJsonRoutes.ts: the same schema, parsed synchronously; anything but a
 * valid body (undefined, or a throw from JSON.parse) goes to the route below for its error answer.
 */
export const kellyFastAnswer: FastJsonAnswer = (raw) => {
	const parsed = KellyRequest.safeParse(JSON.parse(raw.toString('utf8')));
	return parsed.success ? kellyAnswer(parsed.data) : undefined;
};

export function kellyRoutes(_deps: AppDeps) {
	return createRouter().openapi(kellyRoute, (c) => c.json(kellyAnswer(c.req.valid('json')), 200));
}
