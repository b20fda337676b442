/**
 * @module routes/testApp
 * Test helper for route tests: an app with the default (open, loopback) configuration and a
 * `post(path, body)` that sends JSON and returns status and parsed body.
 */
import { createApp } from '../app';
import { loadConfig } from '../config';

export function testApp() {
	const app = createApp({ config: loadConfig({}), logError: () => {} });
	const post = async (path: string, body: unknown) => {
		const res = await app.request(path, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as Record<string, unknown> & { detail?: { type: string; loc: unknown[] }[] } };
	};
	return { app, post };
}
