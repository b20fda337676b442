import { Ollama } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loadSample, loadSampleText } from './fakeServer';
import { startFakeOllama, streamChunks, type FakeOllama } from './fakeOllama';

describe('fake Ollama', () => {
	let fake: FakeOllama;
	let client: Ollama;

	beforeAll(async () => {
		fake = await startFakeOllama();
		client = new Ollama({ host: fake.url });
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset());

	it('answers a non-streamed generate with the scripted JSON answer, through the real ollama client', async () => {
		fake.reply({ json: { kelly_fraction: 0.25, rationale: 'p=0.55, b=1.5' } });
		const res = await client.generate({ model: 'glm-5:cloud', prompt: 'Kelly?', format: 'json', stream: false });
		expect(JSON.parse(res.response ?? '')).toEqual({ kelly_fraction: 0.25, rationale: 'p=0.55, b=1.5' });
		expect(res.done).toBe(true);
		expect(fake.calls[0]).toMatchObject({ endpoint: 'generate', model: 'glm-5:cloud', stream: false, outcome: 200 });
		expect(fake.calls[0].body.format).toBe('json');
	});

	it('streams chat as NDJSON whose deltas concatenate to the answer and end with done: true', async () => {
		const answer = 'Mildly bullish: long-term holders are taking profit.';
		fake.reply(answer);
		const stream = await client.chat({ model: 'glm-5:cloud', messages: [{ role: 'user', content: 'BTC?' }], stream: true });
		const parts: string[] = [];
		let done = false;
		for await (const part of stream) {
			parts.push(part.message.content);
			done = part.done;
		}
		expect(parts.join('')).toBe(answer);
		expect(parts.length).toBeGreaterThan(2);
		expect(done).toBe(true);
	});

	it('streams by default (no stream field), like Ollama', async () => {
		const res = await fetch(`${fake.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.1:8b', prompt: 'x' }) });
		expect(res.headers.get('content-type')).toBe('application/x-ndjson');
		const lines = (await res.text()).trim().split('\n').map((line) => JSON.parse(line));
		const sample = loadSampleText('ollama', 'generate.stream.ndjson').trim().split('\n').map((line) => JSON.parse(line));
		expect(lines.map((l) => l.response).join('')).toBe(sample.map((l) => l.response).join(''));
		expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
		expect(Object.keys(lines.at(-1)).sort()).toEqual(Object.keys(sample.at(-1)).sort());
	});

	it('defaults to the sample chat answer and lists its models on /api/tags', async () => {
		const res = await client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }] });
		expect(res.message.content).toBe(loadSample<{ message: { content: string } }>('ollama', 'chat.response.json').message.content);
		const tags = await client.list();
		expect(tags.models.map((m) => m.name)).toEqual(['glm-5:cloud', 'llama3.1:8b']);
	});

	it("answers 404 with Ollama's message for a model that is not pulled", async () => {
		await expect(client.generate({ model: 'nope:1b', prompt: 'x', stream: false })).rejects.toThrow('model "nope:1b" not found, try pulling it first');
		expect(fake.calls[0].outcome).toBe(404);
	});

	it('sends an error line inside a started stream when scripted', async () => {
		fake.reply({ error: 'mid_stream_error_line' });
		const res = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'glm-5:cloud', messages: [] }) });
		expect(res.status).toBe(200);
		const last = JSON.parse((await res.text()).trim().split('\n').at(-1)!);
		expect(last.error).toMatch(/unexpected EOF/);
	});

	it('resets connections in down mode and delays answers in slow mode', async () => {
		fake.setMode('down');
		await expect(fetch(`${fake.url}/api/tags`)).rejects.toThrow();
		fake.setMode('slow', { delayMs: 300 });
		const aborted = fetch(`${fake.url}/api/generate`, {
			method: 'POST',
			body: JSON.stringify({ model: 'glm-5:cloud', prompt: 'x', stream: false }),
			signal: AbortSignal.timeout(50),
		});
		await expect(aborted).rejects.toThrow(/abort|timeout/i);
		fake.setMode('up');
		expect((await fetch(`${fake.url}/api/tags`)).status).toBe(200);
	});

	it('splits stream chunks without losing characters', () => {
		const text = 'The deterministic Kelly fraction is 0.0625 of equity; the model agrees within tolerance.';
		expect(streamChunks(text).join('')).toBe(text);
		expect(streamChunks('')).toEqual(['']);
	});
});
