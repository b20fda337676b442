// Loopback fake of the Ollama REST API (github.com/ollama/ollama docs/api.md): POST /api/generate
// and /api/chat, non-streamed (`stream: false`) or NDJSON-streamed (Ollama's default), GET
// /api/tags, /api/version and `/`. Replies are scripted (a queue, then a default taken from
// test/fixtures/api-samples/ollama/); unknown models get Ollama's 404; `setMode('down')` resets
// connections, `setMode('slow', {delayMs})` delays every answer (for timeout tests).
import type { ServerResponse } from 'node:http';

import { loadErrors, loadSample, sendJson, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

/** A scripted answer: text, a JSON value (sent as its JSON text), or an errors.http.json case. */
export type OllamaReply =
	| string
	| { content: string; thinking?: string }
	| { json: unknown }
	| { error: 'model_not_found_404' | 'bad_request_400' | 'server_error_500' | 'mid_stream_error_line' | (string & {}) };

export interface OllamaCall {
	endpoint: 'generate' | 'chat' | 'tags' | 'version' | 'other';
	model?: string;
	stream: boolean;
	body: Record<string, unknown>;
	/** What the fake did: HTTP status, or 'reset' / 'aborted'. */
	outcome: number | 'reset';
}

export interface FakeOllama extends FakeBase {
	calls: OllamaCall[];
	/** Queue `reply` for the next `times` generate/chat calls. */
	reply(reply: OllamaReply, times?: number): void;
	/** The reply used when the queue is empty. */
	setDefault(reply: OllamaReply): void;
	setMode(mode: 'up' | 'down' | 'slow', opts?: { delayMs?: number }): void;
	models: string[];
	reset(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits text into stream deltas of roughly `size` characters, on word boundaries where possible. */
export function streamChunks(text: string, size = 8): string[] {
	const chunks: string[] = [];
	let rest = text;
	while (rest.length > size) {
		const space = rest.indexOf(' ', size);
		const cut = space === -1 || space > size * 2 ? size : space;
		chunks.push(rest.slice(0, cut));
		rest = rest.slice(cut);
	}
	if (rest) chunks.push(rest);
	return chunks.length ? chunks : [''];
}

export async function startFakeOllama(opts: { models?: string[] } = {}): Promise<FakeOllama> {
	const errors = loadErrors('ollama');
	const generateSample = loadSample<Record<string, unknown>>('ollama', 'generate.response.json');
	const chatSample = loadSample<Record<string, unknown> & { message: { content: string } }>('ollama', 'chat.response.json');
	const stats = Object.fromEntries(Object.entries(generateSample).filter(([key]) => key.endsWith('_duration') || key.endsWith('_count')));
	const models = [...(opts.models ?? ['glm-5:cloud', 'llama3.1:8b'])];
	const calls: OllamaCall[] = [];
	const queue: OllamaReply[] = [];
	let fallback: OllamaReply | null = null;
	let mode: 'up' | 'down' | 'slow' = 'up';
	let delayMs = 0;

	const nextReply = (endpoint: 'generate' | 'chat'): OllamaReply =>
		queue.shift() ?? fallback ?? (endpoint === 'generate' ? String(generateSample.response) : chatSample.message.content);

	function errorCase(name: string, model: string): SampleError {
		const sample = errors[name];
		if (!sample) throw new Error(`ollama/errors.http.json has no case "${name}"`);
		if (name === 'model_not_found_404') return { status: 404, body: { error: `model "${model}" not found, try pulling it first` } };
		return sample;
	}

	function respond(endpoint: 'generate' | 'chat', body: Record<string, unknown>, res: ServerResponse, call: OllamaCall): void {
		const model = String(body.model ?? '');
		const reply = nextReply(endpoint);
		if (!models.includes(model)) {
			const e = errorCase('model_not_found_404', model);
			call.outcome = e.status;
			sendJson(res, e.status, e.body);
			return;
		}
		if (typeof reply === 'object' && 'error' in reply && reply.error !== 'mid_stream_error_line') {
			const e = errorCase(reply.error, model);
			call.outcome = e.status;
			sendJson(res, e.status, e.body);
			return;
		}
		const content =
			typeof reply === 'string' ? reply : 'json' in reply ? JSON.stringify(reply.json) : 'content' in reply ? reply.content : 'partial answer';
		const thinking = typeof reply === 'object' && 'thinking' in reply ? reply.thinking : undefined;
		const createdAt = () => new Date().toISOString();
		const piece = (text: string) =>
			endpoint === 'generate'
				? { response: text, ...(thinking !== undefined ? { thinking: '' } : {}) }
				: { message: { role: 'assistant', content: text } };
		const final = {
			model,
			created_at: createdAt(),
			...piece(''),
			done: true,
			done_reason: 'stop',
			...(endpoint === 'generate' ? { context: [1, 2, 3] } : {}),
			...stats,
		};
		call.outcome = 200;
		if (!call.stream) {
			const full =
				endpoint === 'generate'
					? { ...final, response: content, ...(thinking !== undefined ? { thinking } : {}) }
					: { ...final, message: { role: 'assistant', content, ...(thinking !== undefined ? { thinking } : {}) } };
			if (typeof reply === 'object' && 'error' in reply) {
				// a mid-stream error on a non-streamed request surfaces as a 500
				const e = errorCase('server_error_500', model);
				call.outcome = e.status;
				sendJson(res, e.status, { error: (errors.mid_stream_error_line as unknown as { body_ndjson_line: { error: string } }).body_ndjson_line.error });
				return;
			}
			sendJson(res, 200, full);
			return;
		}
		res.writeHead(200, { 'content-type': 'application/x-ndjson' });
		const lines = streamChunks(content).map((text) => ({ model, created_at: createdAt(), ...piece(text), done: false }));
		if (typeof reply === 'object' && 'error' in reply) {
			const errorLine = (errors.mid_stream_error_line as unknown as { body_ndjson_line: { error: string } }).body_ndjson_line;
			res.end(`${[...lines.slice(0, Math.max(1, lines.length >> 1)), errorLine].map((line) => JSON.stringify(line)).join('\n')}\n`);
			return;
		}
		res.end(`${[...lines, final].map((line) => JSON.stringify(line)).join('\n')}\n`);
	}

	const base = await startFakeServer(async (req: FakeRequest, res: ServerResponse) => {
		// Ollama reads the body as JSON whatever the content-type says
		let parsed: unknown = req.body;
		if (typeof parsed === 'string') {
			try {
				parsed = JSON.parse(parsed);
			} catch {
				parsed = undefined;
			}
		}
		const body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
		const endpoint: OllamaCall['endpoint'] =
			req.path === '/api/generate' ? 'generate' : req.path === '/api/chat' ? 'chat' : req.path === '/api/tags' ? 'tags' : req.path === '/api/version' ? 'version' : 'other';
		const call: OllamaCall = { endpoint, model: body.model as string | undefined, stream: body.stream !== false, body, outcome: 0 };
		calls.push(call);
		if (mode === 'down') {
			call.outcome = 'reset';
			res.socket?.destroy();
			return;
		}
		if (mode === 'slow') await sleep(delayMs);
		if (res.destroyed || res.socket?.destroyed) {
			call.outcome = 'reset';
			return;
		}
		if ((endpoint === 'generate' || endpoint === 'chat') && req.method === 'POST') {
			if (!body.model) {
				call.outcome = 400;
				sendJson(res, 400, { error: 'model is required' });
				return;
			}
			respond(endpoint, body, res, call);
		} else if (endpoint === 'tags') {
			call.outcome = 200;
			sendJson(res, 200, {
				models: models.map((name) => ({
					name,
					model: name,
					modified_at: '2025-03-01T10:00:00Z',
					size: name.endsWith(':cloud') ? 384 : 4_920_753_328,
					digest: Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64),
					details: { format: 'gguf', family: name.split(/[:.\d]/)[0], parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
				})),
			});
		} else if (endpoint === 'version') {
			call.outcome = 200;
			sendJson(res, 200, { version: '0.12.6' });
		} else if (req.path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
			call.outcome = 200;
			res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('Ollama is running');
		} else {
			call.outcome = 404;
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('404 page not found');
		}
	});

	return {
		...base,
		calls,
		models,
		reply(reply, times = 1) {
			for (let i = 0; i < times; i++) queue.push(reply);
		},
		setDefault(reply) {
			fallback = reply;
		},
		setMode(next, { delayMs: delay = 0 } = {}) {
			mode = next;
			delayMs = delay;
		},
		reset() {
			calls.length = 0;
			base.requests.length = 0;
			queue.length = 0;
			fallback = null;
			mode = 'up';
			delayMs = 0;
		},
	};
}
