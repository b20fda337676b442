/**
 * Starts the real math service app (math-service/src/app.ts) with the alert pipeline: an
 * in-memory SQLite database, a TradingView webhook secret and an injectable clock, on
 * 127.0.0.1 with an OS-chosen port (as @hono/node-server serves it in production), for the
 * Signal Intake / Risk Sizer Decide / Telegram button node tests.
 */
import { serve } from '@hono/node-server';

import { createApp, type AppDeps } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';

export interface RunningPipelineService {
	baseUrl: string;
	storage: Storage;
	/** Milliseconds since the epoch the service believes it is (settable). */
	clock: { nowMs: number };
	close(): Promise<void>;
}

export async function startPipelineService(options: { apiKey?: string; webhookSecret: string; nowMs?: number }): Promise<RunningPipelineService> {
	const config = loadConfig({
		MATH_SERVICE_HOST: '127.0.0.1',
		MATH_SERVICE_PORT: '0',
		MATH_SERVICE_API_KEY: options.apiKey,
		DATABASE_URL: 'sqlite::memory:',
	});
	const storage = await openStorage('sqlite::memory:');
	const clock = { nowMs: options.nowMs ?? Date.now() };
	const deps = {
		config,
		storage,
		clock: { now: () => clock.nowMs },
		logError: () => {},
		pipeline: { webhookSecret: options.webhookSecret, ollamaHost: null },
	} as AppDeps;
	const app = createApp(deps);
	return await new Promise((resolve) => {
		const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
			resolve({
				baseUrl: `http://127.0.0.1:${info.port}`,
				storage,
				clock,
				close: async () => {
					await new Promise<void>((done) => server.close(() => done()));
					await storage.close();
				},
			});
		});
	});
}
