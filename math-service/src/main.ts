/**
 * @module main
 * Starts the math service: `npm run service` (root) runs the compiled bundle `math-service/dist/main.js`
 * (scripts/buildMathService.mjs); `npm run dev -w math-service` runs this file through tsx.
 * Reads and validates the configuration (config.ts), opens and migrates the database
 * (storage/openStorage), serves the app (app.ts `createRequestListener`: node:http, the fast JSON
 * routes in front of Hono through @hono/node-server) and logs the URL. On SIGTERM or
 * SIGINT it stops accepting connections, lets in-flight requests finish (up to 10 s), closes the
 * database and exits 0. Configuration or database problems print one clear message and exit ≠ 0:
 * 78 (EX_CONFIG) for an OperatorError, 1 otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from './app';
import { loadConfig, redactDatabaseUrl, type Config } from './config';
import { OperatorError, RetryableError } from './errors';
import { openStorage, type Storage } from './storage/openStorage';

const EXIT_CONFIG = 78;
const SHUTDOWN_GRACE_MS = 10_000;

function fail(error: unknown): never {
	if (error instanceof OperatorError) {
		console.error(`math-service: ${error.message}`);
		process.exit(EXIT_CONFIG);
	}
	if (error instanceof RetryableError) {
		console.error(`math-service: ${error.message} (start again when it is back)`);
		process.exit(1);
	}
	console.error('math-service: failed to start:', error);
	process.exit(1);
}

function urlOf(config: Config, port: number): string {
	const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
	return `http://${host}:${port}`;
}

async function main(): Promise<void> {
	let config: Config;
	let storage: Storage;
	try {
		config = loadConfig(process.env);
		for (const warning of config.warnings) console.warn(`math-service: warning: ${warning}`);
		storage = await openStorage(config.databaseUrl);
	} catch (error) {
		fail(error);
	}

	const server: Server = createServer(createRequestListener({ config, storage, clock: { now: () => Date.now() } }));
	server.listen(config.port, config.host, () => {
		const url = urlOf(config, (server.address() as AddressInfo).port);
		console.log(
			`HighFreqQuant math service listening on ${url} (docs ${url}/docs, mode ${config.mode}, ` +
				`database ${redactDatabaseUrl(config.databaseUrl)}, API key ${config.apiKey ? 'required' : 'off'})`,
		);
	});
	server.on('error', (error: NodeJS.ErrnoException) => {
		const reason = error.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use; set MATH_SERVICE_PORT` : error.message;
		void storage.close().finally(() => fail(new OperatorError(reason)));
	});

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`math-service: ${signal} received, finishing in-flight requests`);
		const force = setTimeout(() => {
			console.warn('math-service: grace period over, closing remaining connections');
			server.closeAllConnections();
		}, SHUTDOWN_GRACE_MS);
		force.unref();
		// close() stops accepting; keep-alive sockets that turn idle after their last response would
		// hold it open, so idle ones are closed now and every 100 ms until it completes.
		const closeIdle = () => server.closeIdleConnections();
		const idleSweep = setInterval(closeIdle, 100);
		server.close(() => {
			clearTimeout(force);
			clearInterval(idleSweep);
			storage
				.close()
				.then(() => {
					console.log('math-service: stopped');
					process.exit(0);
				})
				.catch((error: unknown) => {
					console.error('math-service: closing the database failed:', error);
					process.exit(1);
				});
		});
		closeIdle();
	};
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
