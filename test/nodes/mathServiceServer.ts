/**
 * Starts the real math service (math-service/src/app.ts) on 127.0.0.1 with an OS-chosen port,
 * served as main.ts serves it in production (`createRequestListener`: the fast JSON routes in
 * front of the Hono app on node:http), so node tests go over real HTTP through the same path.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createRequestListener } from '../../math-service/src/app';
import type { Clock } from '../../math-service/src/appDeps';
import { loadConfig } from '../../math-service/src/config';
import type { Storage } from '../../math-service/src/storage/openStorage';

export interface RunningMathService {
	baseUrl: string;
	close(): Promise<void>;
}

export async function startMathService(options: { apiKey?: string; storage?: Storage; clock?: Clock } = {}): Promise<RunningMathService> {
	const config = loadConfig({
		MATH_SERVICE_HOST: '127.0.0.1',
		MATH_SERVICE_PORT: '0',
		MATH_SERVICE_API_KEY: options.apiKey,
	});
	const server = createServer(createRequestListener({ config, storage: options.storage, clock: options.clock, logError: () => {} }));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((done) => server.close(() => done())),
	};
}
