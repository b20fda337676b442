/**
 * @module fastJsonRoutes
 * A node:http request listener in front of the Hono app that answers the happy path of the small
 * numeric JSON routes (/v1/kelly, /v1/var) itself and hands every other request to Hono.
 *
 * Why: for a 100-byte Kelly request the math takes a microsecond; the rest is framework work per
 * request (WHATWG Request/Headers adaptation, the async middleware chain, the validator's async
 * parse). Here a matching request costs one header check, one body read, one synchronous
 * validation with the route's own zod schema and one `res.end()`.
 *
 * The contract stays in one place, the Hono app: this listener only ever sends a 200 that the app
 * would send for the same request. It takes a request only when it is `POST <path>` (no query),
 * `Content-Type: application/json`, a Content-Length within the body limit, and the right
 * `X-API-Key` (when one is configured); it then reads the body and asks the route's `answer`.
 * When `answer` returns undefined or throws (malformed JSON, a failed validation, an input the
 * math rejects) the already-read body is handed to Hono (`incoming.rawBody`, which @hono/node-server
 * and http/readBody.ts read instead of the stream), and Hono answers 400/401/413/415/422/500 as it
 * always does. app.fastPath.test.ts checks both give the same answers.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { API_KEY_HEADER, apiKeyMatcher } from './apiKeyAuth';

/**
 * The 200 body of a route for a raw request body, or undefined to let the app answer (it must then
 * answer something else than 200, or the same 200).
 */
export type FastJsonAnswer = (body: Buffer) => unknown;

export interface FastJsonRoutesOptions {
	/** Exact path (no query string) → answer. */
	routes: Readonly<Record<string, FastJsonAnswer>>;
	/** The configured API key, null when the service runs without one. */
	apiKey: string | null;
	/** Bodies above this many bytes always go to the app (its 413). */
	maxBytes: number;
	/** Everything this listener does not answer. */
	fallback: RequestListener;
	/**
	 * Told of every 200 this listener sends: the route path and the seconds from the request's arrival
	 * to `res.end()` (the app's own requestMetrics never sees these requests).
	 */
	onAnswered?: (path: string, seconds: number) => void;
}

const API_KEY = API_KEY_HEADER.toLowerCase();

function isJsonContentType(value: string | undefined): boolean {
	return value === 'application/json' || value === 'application/json; charset=utf-8' || value === 'application/json;charset=utf-8';
}

export function fastJsonRoutes({ routes, apiKey, maxBytes, fallback, onAnswered }: FastJsonRoutesOptions): RequestListener {
	const answers = new Map(Object.entries(routes));
	const keyMatches = apiKey === null ? null : apiKeyMatcher(apiKey);

	return (req: IncomingMessage, res: ServerResponse) => {
		const answer = req.method === 'POST' ? answers.get(req.url ?? '') : undefined;
		const headers = req.headers;
		const declared = headers['content-length'];
		if (
			answer === undefined ||
			!isJsonContentType(headers['content-type']) ||
			declared === undefined ||
			headers['transfer-encoding'] !== undefined ||
			!(Number(declared) <= maxBytes) ||
			(keyMatches !== null && !keyMatches(headers[API_KEY] as string | undefined))
		) {
			fallback(req, res);
			return;
		}
		const started = onAnswered === undefined ? 0 : performance.now();
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			chunks.push(chunk);
		});
		req.on('end', () => {
			const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
			let json: string | undefined;
			try {
				const result = answer(body);
				if (result !== undefined) json = JSON.stringify(result);
			} catch {
				json = undefined;
			}
			if (json === undefined) {
				// The body this listener read, for @hono/node-server and readBody.ts to use instead of the stream.
				(req as unknown as { rawBody: Buffer }).rawBody = body;
				fallback(req, res);
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
			res.end(json);
			if (onAnswered !== undefined) onAnswered(req.url!, (performance.now() - started) / 1000);
		});
		req.on('error', () => res.destroy());
	};
}
