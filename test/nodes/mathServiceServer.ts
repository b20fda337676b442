/**
 * Starts the real math service app (math-service/src/app.ts) on 127.0.0.1 with an OS-chosen port,
 * as @hono/node-server serves it in production, so node tests go over real HTTP.
 */
import { serve } from '@hono/node-server';

import { createApp } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';

export interface RunningMathService {
	baseUrl: string;
	close(): Promise<void>;
}

export async function startMathService(options: { apiKey?: string } = {}): Promise<RunningMathService> {
	const config = loadConfig({
		MATH_SERVICE_HOST: '127.0.0.1',
		MATH_SERVICE_PORT: '0',
		MATH_SERVICE_API_KEY: options.apiKey,
	});
	const app = createApp({ config, logError: () => {} });
	return await new Promise((resolve) => {
		const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
			resolve({
				baseUrl: `http://127.0.0.1:${info.port}`,
				close: () => new Promise<void>((done) => server.close(() => done())),
			});
		});
	});
}
