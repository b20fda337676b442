/**
 * @module main
 * Starts the math service: `npm run service` (root) runs the compiled bundle `math-service/dist/main.js`
 * (scripts/buildMathService.mjs); `npm run dev -w math-service` runs this file through tsx.
 * Reads and validates the configuration (config.ts), opens and migrates the database
 * (storage/openStorage), serves the app (app.ts `createRequestListener`: node:http, the fast JSON
 * routes in front of Hono through @hono/node-server) and logs the URL. On SIGTERM or
 * SIGINT it stops accepting connections, answers any new request on a still-open connection 503
 * (`Retry-After: 1`, `Connection: close`), lets in-flight requests finish (up to 10 s), closes the
 * database and exits 0. Configuration or database problems log one clear message and exit ≠ 0:
 * 78 (EX_CONFIG) for an OperatorError, 1 otherwise.
 *
 * Everything the process prints is a JSON line from the one logger (observability/logger.ts,
 * secrets redacted): console.* of any library is routed through it too, and an uncaught error is
 * logged (redacted) before the process exits 1.
 */
import { format } from 'node:util';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from './app';
import { loadConfig, redactDatabaseUrl, type Config } from './config';
import { OperatorError, RetryableError } from './errors';
import { liveBanner } from './execution/liveSettings';
import { log, logLevelOf } from './observability/logger';
import { openStorage, type Storage } from './storage/openStorage';

const EXIT_CONFIG = 78;
const SHUTDOWN_GRACE_MS = 10_000;

function fail(error: unknown): never {
	if (error instanceof OperatorError) {
		log.fatal(`math-service: ${error.message}`);
		process.exit(EXIT_CONFIG);
	}
	if (error instanceof RetryableError) {
		log.fatal(`math-service: ${error.message} (start again when it is back)`);
		process.exit(1);
	}
	log.fatal({ err: error }, 'math-service: failed to start');
	process.exit(1);
}

/** One logger for the whole process: stray console output and uncaught errors become redacted JSON lines. */
function routeOutputThroughLogger(): void {
	console.log = (...args: unknown[]) => log.info(format(...args));
	console.info = (...args: unknown[]) => log.info(format(...args));
	console.debug = (...args: unknown[]) => log.debug(format(...args));
	console.warn = (...args: unknown[]) => log.warn(format(...args));
	console.error = (...args: unknown[]) => log.error(format(...args));
	process.on('uncaughtException', (error) => {
		log.fatal({ err: error }, 'math-service: uncaught error, exiting');
		process.exit(1);
	});
	process.on('unhandledRejection', (reason) => {
		log.fatal({ err: reason }, 'math-service: unhandled promise rejection, exiting');
		process.exit(1);
	});
}

/** Answer for requests that arrive on an open connection while the service drains. */
function drainingResponse(res: ServerResponse): void {
	res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
	res.end(JSON.stringify({ detail: 'The math service is shutting down; retry shortly' }));
}

function urlOf(config: Config, port: number): string {
	const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
	return `http://${host}:${port}`;
}

async function main(): Promise<void> {
	let config: Config;
	let storage: Storage;
	routeOutputThroughLogger();
	try {
		log.level = logLevelOf(process.env);
		config = loadConfig(process.env);
		for (const warning of config.warnings) log.warn(`math-service: warning: ${warning}`);
		const banner = liveBanner(config.live);
		if (banner !== null) log.warn(banner);
		storage = await openStorage(config.databaseUrl);
	} catch (error) {
		fail(error);
	}

	const listener = createRequestListener({ config, storage, clock: { now: () => Date.now() } });
	let stopping = false;
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => (stopping ? drainingResponse(res) : listener(req, res)));
	server.listen(config.port, config.host, () => {
		const url = urlOf(config, (server.address() as AddressInfo).port);
		log.info(
			`HighFreqQuant math service listening on ${url} (docs ${url}/docs, mode ${config.mode}, ` +
				`database ${redactDatabaseUrl(config.databaseUrl)}, API key ${config.apiKey ? 'required' : 'off'})`,
		);
	});
	server.on('error', (error: NodeJS.ErrnoException) => {
		const reason = error.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use; set MATH_SERVICE_PORT` : error.message;
		void storage.close().finally(() => fail(new OperatorError(reason)));
	});

	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info(`math-service: ${signal} received, finishing in-flight requests`);
		const force = setTimeout(() => {
			log.warn('math-service: grace period over, closing remaining connections');
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
					log.info('math-service: stopped (database closed)');
					process.exit(0);
				})
				.catch((error: unknown) => {
					log.error({ err: error }, 'math-service: closing the database failed');
					process.exit(1);
				});
		});
		closeIdle();
	};
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
