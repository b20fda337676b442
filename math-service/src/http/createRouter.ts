/**
 * @module createRouter
 * The factory every resource sub-app uses: an `OpenAPIHono` whose validation failures come out as
 * FastAPI's 422 body (see validationDetail.ts), plus the OpenAPI shapes of the error bodies so each
 * route can list them with `...errorResponses`.
 *
 * @example
 * ```ts
 * const route = createRoute({ method: 'post', path: '/', request: { body: jsonBody(MyRequest) },
 *   responses: { 200: jsonResponse(MyResponse, 'What it returns'), ...errorResponses } });
 * export function myRoutes(deps: AppDeps) {
 *   return createRouter().openapi(route, (c) => c.json(compute(c.req.valid('json')), 200));
 * }
 * ```
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { locPrefixFor, zodErrorToDetail } from './validationDetail';

/** Hook shared by all routes: a failed zod parse becomes HTTP 422 in FastAPI's shape. */
export const fastApiValidationHook = (
	result: { success: boolean; error?: unknown; data?: unknown; target: string },
	c: { json: (body: unknown, status: 422) => Response },
): Response | undefined => {
	if (result.success) return undefined;
	return c.json(zodErrorToDetail(result.error as z.ZodError, result.data, locPrefixFor(result.target)), 422);
};

export function createRouter<E extends Env = Env>(): OpenAPIHono<E> {
	return new OpenAPIHono<E>({ defaultHook: fastApiValidationHook as never });
}

const ValidationErrorItem = z
	.object({
		type: z.string().openapi({ description: 'pydantic v2 error type, e.g. missing, float_parsing, greater_than_equal', example: 'missing' }),
		loc: z.array(z.union([z.string(), z.number()])).openapi({ description: 'Where the error is: request part, then the field path', example: ['body', 'win_rate'] }),
		msg: z.string().openapi({ description: 'Human-readable reason', example: 'Field required' }),
		input: z.unknown().openapi({ description: 'The offending input value' }),
		ctx: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Constraint details, e.g. {"ge": 0}' }),
	})
	.openapi('ValidationError');

export const HTTPValidationError = z
	.object({ detail: z.array(ValidationErrorItem) })
	.openapi('HTTPValidationError', { description: "FastAPI's validation error body" });

export const HTTPError = z
	.object({ detail: z.string().openapi({ description: 'Why the request failed', example: 'Malformed JSON body: Unexpected token' }) })
	.openapi('HTTPError');

const errorContent = (description: string, schema: z.ZodType = HTTPError) => ({
	description,
	content: { 'application/json': { schema } },
});

/** Error responses every JSON-body route can return, for its OpenAPI `responses`. */
export const errorResponses = {
	400: errorContent('Malformed JSON body'),
	401: errorContent('Missing or invalid X-API-Key header (when the service has a key)'),
	413: errorContent('Request body larger than the limit (5 MB by default)'),
	415: errorContent('Body is not application/json'),
	422: errorContent('Validation error (FastAPI shape)', HTTPValidationError),
	500: errorContent('Internal error; no stack trace is sent'),
	503: errorContent('A dependency is briefly unavailable; retry after the Retry-After header'),
} as const;

/** `request.body` for a required JSON body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
	return { required: true, description, content: { 'application/json': { schema } } } as const;
}

/** A JSON success response for `responses`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
	return { description, content: { 'application/json': { schema } } } as const;
}
