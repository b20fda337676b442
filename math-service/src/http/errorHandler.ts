/**
 * @module errorHandler
 * One place that turns every thrown error into a FastAPI-shaped JSON response, so no client ever
 * sees a stack trace or an HTML error page:
 *
 * | Thrown                                  | Status | Body                                                     |
 * | --------------------------------------- | ------ | -------------------------------------------------------- |
 * | `InvalidInputError(message, loc)`       | 422    | `{"detail":[{"type":"value_error","loc":["body",…],…}]}` |
 * | malformed JSON (Hono's 400)             | 400    | `{"detail":"Malformed JSON body: <parser message>"}`     |
 * | `HTTPException` (401, 413, 415, …)      | its    | `{"detail":"<message>"}` (+ its headers)                 |
 * | `RetryableError(msg, retryAfterMs)`     | 503    | `{"detail":msg}` + `Retry-After` seconds                 |
 * | `OperatorError(msg)`                    | 500    | `{"detail":"Operator action required: msg"}`             |
 * | anything else                           | 500    | `{"detail":"Internal Server Error"}` (logged, not sent)  |
 *
 * Unknown routes get 404 `{"detail":"Not Found"}`; a known path with the wrong method gets
 * 405 `{"detail":"Method Not Allowed"}` with an `Allow` header, as FastAPI does.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidInputError, OperatorError, RetryableError } from '../errors';
import { log } from '../observability/logger';
import { boundedInput, snakeCaseKey, type Loc } from './validationDetail';

/** Hono's validator throws a 400 with exactly this message when JSON.parse fails. */
const HONO_MALFORMED_JSON = 'Malformed JSON in request body';

export type ErrorLogger = (message: string, error: unknown) => void;

/** The service logger (JSON, secrets redacted); the error goes under `err` with its stack. */
const defaultLogger: ErrorLogger = (message, error) => {
	log.error({ err: error }, message);
};

/** `loc` of an `InvalidInputError` in FastAPI form: snake_case, starting with `body`. */
export function invalidInputLoc(loc: readonly (string | number)[]): Loc {
	const snake = loc.map(snakeCaseKey);
	return snake[0] === 'body' || snake[0] === 'query' || snake[0] === 'path' ? snake : ['body', ...snake];
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
	let cur = root;
	for (const key of path) {
		if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return null;
		cur = (cur as Record<string | number, unknown>)[key];
	}
	return cur;
}

async function malformedJsonMessage(c: Context): Promise<string> {
	try {
		JSON.parse(await c.req.text());
		return 'Malformed JSON body';
	} catch (e) {
		return `Malformed JSON body: ${e instanceof Error ? e.message : String(e)}`;
	}
}

/** Builds the app-wide `onError` handler. */
export function createErrorHandler(log: ErrorLogger = defaultLogger): ErrorHandler {
	return async (err, c) => {
		if (err instanceof InvalidInputError) {
			const loc = invalidInputLoc(err.loc);
			let input: unknown = null;
			if (loc[0] === 'body') {
				try {
					input = boundedInput(valueAt(c.req.valid('json' as never), loc.slice(1)));
				} catch {
					input = null;
				}
			}
			return c.json({ detail: [{ type: 'value_error', loc, msg: err.message, input }] }, 422);
		}
		if (err instanceof HTTPException) {
			if (err.status === 400 && err.message === HONO_MALFORMED_JSON) {
				return c.json({ detail: await malformedJsonMessage(c) }, 400);
			}
			const headers: Record<string, string> = {};
			err.res?.headers.forEach((value, name) => {
				if (name !== 'content-type' && name !== 'content-length') headers[name] = value;
			});
			let detail = err.message || defaultReason(err.status);
			if (err.status === 415) {
				const got = c.req.header('content-type');
				detail = `Unsupported Media Type: send the body as application/json (got ${got ? JSON.stringify(got) : 'no Content-Type header'})`;
			}
			return c.json({ detail }, err.status as ContentfulStatusCode, headers);
		}
		if (err instanceof RetryableError) {
			const retryAfterS = err.retryAfterMs === null ? 1 : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
			return c.json({ detail: err.message }, 503, { 'Retry-After': String(retryAfterS) });
		}
		if (err instanceof OperatorError) {
			log(`OperatorError on ${c.req.method} ${c.req.path}:`, err);
			return c.json({ detail: `Operator action required: ${err.message}` }, 500);
		}
		log(`Unhandled error on ${c.req.method} ${c.req.path}:`, err);
		return c.json({ detail: 'Internal Server Error' }, 500);
	};
}

function defaultReason(status: number): string {
	switch (status) {
		case 401:
			return 'Unauthorized';
		case 403:
			return 'Forbidden';
		case 413:
			return 'Request body too large';
		case 415:
			return 'Unsupported Media Type';
		default:
			return 'Error';
	}
}

/**
 * 404 for unknown paths, 405 (with `Allow`) when the path exists under another method.
 * `methodsFor(path)` lists the methods registered for a concrete path; called only on misses.
 */
export function createNotFoundHandler(methodsFor: (path: string) => string[]): NotFoundHandler {
	return (c) => {
		const allowed = methodsFor(c.req.path);
		if (allowed.length > 0) {
			return c.json({ detail: 'Method Not Allowed' }, 405, { Allow: allowed.join(', ') });
		}
		return c.json({ detail: 'Not Found' }, 404);
	};
}
