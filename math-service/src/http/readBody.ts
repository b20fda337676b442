/**
 * @module readBody
 * Body-size limit and body reading in one middleware. Under @hono/node-server it reads the
 * request body straight from Node's IncomingMessage (`c.env.incoming`) into Hono's body cache,
 * so the validator's `c.req.json()` parses that text and the WHATWG Request/ReadableStream is
 * never built — the slowest part of a small JSON request on Node. Elsewhere (`app.request()` in
 * tests, other runtimes) it only enforces the limit and leaves reading to Hono.
 *
 * A body already read by the fast path in front of the app (fastJsonRoutes.ts) arrives as
 * `incoming.rawBody` and is used as it is.
 *
 * Too large → `HTTPException(413)`, by Content-Length before reading, or while reading a chunked
 * body. Routes must use HonoRequest's body methods (`c.req.json()/text()/arrayBuffer()`), never
 * `c.req.raw.body`, which is already consumed on Node.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

export interface ReadBodyOptions {
	maxBytes: number;
	/** Message of the 413 answer. */
	tooLargeMessage: string;
}

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readBody({ maxBytes, tooLargeMessage }: ReadBodyOptions): MiddlewareHandler {
	const tooLarge = () => new HTTPException(413, { message: tooLargeMessage });
	return async (c, next) => {
		// Already read by a stricter limit earlier in the chain (http/intakeGuard).
		if ((c.req.bodyCache as Record<string, unknown>).text !== undefined) return next();
		const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
		if (incoming === undefined || typeof incoming.on !== 'function') {
			const length = c.req.header('content-length');
			if (length !== undefined && Number(length) > maxBytes) throw tooLarge();
			if (length === undefined && c.req.raw.body !== null) {
				const buf = await c.req.arrayBuffer();
				if (buf.byteLength > maxBytes) throw tooLarge();
			}
			return next();
		}
		if (NO_BODY.has(incoming.method ?? 'GET')) return next();
		const rawBody = (incoming as { rawBody?: unknown }).rawBody;
		if (rawBody instanceof Buffer) {
			if (rawBody.length > maxBytes) throw tooLarge();
			(c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(rawBody.toString('utf8'));
			return next();
		}
		const declared = incoming.headers['content-length'];
		if (declared !== undefined && Number(declared) > maxBytes) {
			incoming.resume();
			throw tooLarge();
		}
		if (declared === '0' || (declared === undefined && incoming.headers['transfer-encoding'] === undefined)) return next();
		const text = await readText(incoming, maxBytes);
		if (text === null) throw tooLarge();
		// Hono types bodyCache values as the bodies, but stores and awaits promises of them.
		(c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
		if (incoming.headers['content-type'] === undefined && text.length > 0) {
			// Rare: code that inspects c.req.raw (zod-openapi's 415 gate) must still see this body.
			c.req.raw = new Request(c.req.url, { method: c.req.method, headers: c.req.raw.headers, body: new TextEncoder().encode(text) });
		}
		return next();
	};
}

/** The body as UTF-8 text, or null once it passes `maxBytes` (the rest is drained, not kept). */
function readText(incoming: IncomingMessage, maxBytes: number): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		incoming.on('data', (chunk: Buffer) => {
			if (over) return;
			size += chunk.length;
			if (size > maxBytes) {
				over = true;
				chunks.length = 0;
				resolve(null);
				return;
			}
			chunks.push(chunk);
		});
		incoming.on('end', () => {
			if (!over) resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
		});
		incoming.on('error', reject);
	});
}
