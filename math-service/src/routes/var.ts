/**
 * @module routes/var
 * `POST /v1/var`: Value at Risk and Conditional VaR (expected shortfall) of a return series
 * (core/var/valueAtRisk). Both are reported as a positive loss fraction of equity (0.031 = a 3.1 %
 * loss) at `confidence` over `horizon` periods. Methods: historical (empirical quantile),
 * parametric (Gaussian), cornish_fisher (Gaussian quantile corrected for skewness and kurtosis).
 * Where a figure is undefined (e.g. the Cornish-Fisher quantile is a gain, or too few returns) it is
 * null and `reason` says why; no number is invented.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { METRIC_DEFINITIONS } from '../core/metrics/metricDefinitions';
import { valueAtRisk } from '../core/var/valueAtRisk';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import type { FastJsonAnswer } from '../http/fastJsonRoutes';
import { parseFlatJson } from '../http/parseFlatJson';

export const VAR_METHODS = ['historical', 'parametric', 'cornish_fisher'] as const;

export const VarRequest = z
	.object({
		returns: z
			.array(z.number())
			.openapi({ description: 'Simple per-period returns as ratios (0.01 = +1 %), oldest first; empty gives null with a reason', example: [0.01, -0.02, 0.005, -0.001, 0.012] }),
		confidence: z
			.number()
			.gt(0)
			.lt(1)
			.default(0.95)
			.openapi({ description: 'Confidence level, 0 < c < 1 (0.95 = the loss exceeded on 5 % of periods)', example: 0.95 }),
		method: z
			.enum(VAR_METHODS)
			.default('historical')
			.openapi({ description: 'historical (empirical quantile), parametric (Gaussian) or cornish_fisher (modified VaR)' }),
		horizon: z
			.number()
			.int()
			.min(1)
			.default(1)
			.openapi({ description: 'Holding period in return periods; VaR and CVaR are scaled by sqrt(horizon)', example: 1 }),
	})
	.openapi('VarRequest');

export const VarResponse = z
	.object({
		var: z.number().nullable().openapi({ description: METRIC_DEFINITIONS.var }),
		cvar: z.number().nullable().openapi({ description: METRIC_DEFINITIONS.cvar }),
		method: z.enum(VAR_METHODS).openapi({ description: 'The method used' }),
		confidence: z.number().openapi({ description: 'The confidence level used' }),
		horizon: z.number().int().openapi({ description: 'The horizon used, in periods' }),
		reason: z.string().nullable().openapi({ description: 'Why var or cvar is null; null when both are defined' }),
	})
	.openapi('VarResponse');

const varRoute = createRoute({
	method: 'post',
	path: '/',
	summary: 'Value at Risk and expected shortfall',
	description: 'VaR and CVaR as positive loss ratios; historical, parametric Gaussian or Cornish-Fisher; horizon-scaled.',
	tags: ['risk'],
	request: { body: jsonBody(VarRequest) },
	responses: { 200: jsonResponse(VarResponse, 'VaR and CVaR, null with a reason where undefined'), ...errorResponses },
});

/** The 200 body for validated inputs (shared by the route and its fast path). */
function varAnswer(returns: ArrayLike<number>, options: Omit<z.output<typeof VarRequest>, 'returns'>): z.input<typeof VarResponse> {
	const r = valueAtRisk(returns, { confidence: options.confidence, method: options.method, horizon: options.horizon });
	return { var: r.var, cvar: r.cvar, method: r.method, confidence: r.confidence, horizon: r.horizon, reason: r.reason ?? null };
}

/** VarRequest without `returns`: the fast path reads the returns itself (as a Float64Array). */
const VarOptionsRequest = VarRequest.omit({ returns: true });

/**
 * The happy path for http/fastJsonRoutes.ts: `returns` read straight into a Float64Array
 * (http/parseFlatJson.ts: only finite JSON numbers, which is all `z.array(z.number())` accepts),
 * the other fields through the same schema. Anything else goes to the route below.
 */
export const varFastAnswer: FastJsonAnswer = (raw) => {
	const flat = parseFlatJson(raw);
	if (flat === undefined || !(flat.returns instanceof Float64Array)) return undefined;
	const { returns, ...options } = flat;
	const parsed = VarOptionsRequest.safeParse(options);
	return parsed.success ? varAnswer(returns, parsed.data) : undefined;
};

export function varRoutes(_deps: AppDeps) {
	return createRouter().openapi(varRoute, (c) => {
		const body = c.req.valid('json');
		return c.json(varAnswer(body.returns, body), 200);
	});
}
