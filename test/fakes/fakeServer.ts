// Shared plumbing for the loopback fakes of external services: an HTTP server on 127.0.0.1:0 that
// reads each request fully (query, headers, raw body; JSON, urlencoded and multipart parsed),
// records it, and hands it to the fake's handler. Samples come from test/fixtures/api-samples,
// committed copies of the project's documented wire samples (provenance there; override with
// HFQ_API_SAMPLES_DIR). Candles come from the committed real slices in test/fixtures/ohlcv.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export const SAMPLES_DIR = process.env.HFQ_API_SAMPLES_DIR ?? join(__dirname, '..', 'fixtures', 'api-samples');
export const OHLCV_DIR = join(__dirname, '..', 'fixtures', 'ohlcv');

export interface UploadedFile {
	field: string;
	filename: string;
	contentType: string;
	size: number;
	bytes: Buffer;
}

export interface FakeRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	/** The query string exactly as sent (without the `?`), for signatures computed over it. */
	rawQuery: string;
	headers: IncomingHttpHeaders;
	contentType: string;
	rawBody: Buffer;
	/** Parsed body: the JSON value, or the urlencoded/multipart text fields. */
	body: unknown;
	/** Files of a multipart/form-data body. */
	files: UploadedFile[];
	receivedAt: number;
}

export interface FakeBase {
	url: string;
	/** Every request, in arrival order. */
	requests: FakeRequest[];
	close(): Promise<void>;
}

/** One error case of an errors.http.json file: `{status, headers?, body}`. */
export interface SampleError {
	status: number;
	headers?: Record<string, string>;
	body: unknown;
}

export function loadSample<T = unknown>(provider: string, file: string): T {
	return JSON.parse(readFileSync(join(SAMPLES_DIR, provider, file), 'utf8')) as T;
}

export function loadSampleText(provider: string, file: string): string {
	return readFileSync(join(SAMPLES_DIR, provider, file), 'utf8');
}

export function loadErrors(provider: string): Record<string, SampleError> {
	const all = loadSample<Record<string, SampleError | string>>(provider, 'errors.http.json');
	return Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith('_'))) as Record<string, SampleError>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** Sends an errors.http.json case as-is: its status, headers and body (a string body as text). */
export function sendSampleError(res: ServerResponse, error: SampleError, extraHeaders: Record<string, string> = {}): void {
	const headers = { ...(error.headers ?? {}), ...extraHeaders };
	if (typeof error.body === 'string') {
		res.writeHead(error.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
		res.end(error.body);
	} else {
		sendJson(res, error.status, error.body, headers);
	}
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: UploadedFile[] }> {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (raw.length === 0) return { body: undefined, files: [] };
	if (type === 'application/json' || type.endsWith('+json')) {
		try {
			return { body: JSON.parse(raw.toString('utf8')), files: [] };
		} catch {
			return { body: raw.toString('utf8'), files: [] };
		}
	}
	if (type === 'application/x-www-form-urlencoded') {
		return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
	}
	if (type === 'multipart/form-data') {
		// undici (Node's fetch) parses multipart bodies through Response#formData.
		const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
		const fields: Record<string, string> = {};
		const files: UploadedFile[] = [];
		for (const [field, value] of form.entries()) {
			if (typeof value === 'string') fields[field] = value;
			else {
				const bytes = Buffer.from(await value.arrayBuffer());
				files.push({ field, filename: value.name, contentType: value.type, size: bytes.length, bytes });
			}
		}
		return { body: fields, files };
	}
	return { body: raw.toString('utf8'), files: [] };
}

/**
 * Starts a loopback server; `handle` answers each fully read request. A handler that throws gets
 * a 500 with the message (a bug in the fake must be visible, not hang the client).
 */
export async function startFakeServer(
	handle: (req: FakeRequest, res: ServerResponse) => void | Promise<void>,
): Promise<FakeBase & { sockets: Set<Socket> }> {
	const requests: FakeRequest[] = [];
	const server = createServer(async (incoming, res) => {
		try {
			const chunks: Buffer[] = [];
			for await (const chunk of incoming) chunks.push(chunk as Buffer);
			const rawBody = Buffer.concat(chunks);
			const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
			const contentType = String(incoming.headers['content-type'] ?? '');
			const { body, files } = await parseBody(contentType, rawBody);
			const req: FakeRequest = {
				method: incoming.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				rawQuery: (incoming.url ?? '').includes('?') ? (incoming.url ?? '').slice((incoming.url ?? '').indexOf('?') + 1) : '',
				headers: incoming.headers,
				contentType,
				rawBody,
				body,
				files,
				receivedAt: Date.now(),
			};
			requests.push(req);
			await handle(req, res);
		} catch (error) {
			if (!res.headersSent) sendJson(res, 500, { fake_error: (error as Error).message });
			else res.destroy();
		}
	});
	const listening = await listenOnLoopback(server);
	return { url: listening.url, requests, sockets: listening.sockets, close: listening.close };
}

/**
 * Listens on 127.0.0.1 at a free port and tracks the open sockets, so `close` ends at once even
 * with keep-alive connections left open by the client under test.
 */
export async function listenOnLoopback(server: Server): Promise<{ url: string; sockets: Set<Socket>; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		sockets,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** Queue of injected failures: `fail(name, times)` makes the next `times` matching calls fail. */
export class FailureQueue<K extends string, E> {
	private queue: { key: K | '*'; error: E; left: number }[] = [];

	add(key: K | '*', error: E, times = 1): void {
		this.queue.push({ key, error, left: times });
	}

	/** The failure to apply to this call, if any (consumes one use). */
	take(key: K): E | undefined {
		const entry = this.queue.find((candidate) => candidate.key === key || candidate.key === '*');
		if (!entry) return undefined;
		entry.left -= 1;
		if (entry.left <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
		return entry.error;
	}

	clear(): void {
		this.queue = [];
	}
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
