/**
 * @module appDeps
 * What every transport (HTTP routes, the pipeline, the crawler, CLIs) is built from: the settings,
 * the opened storage and the wall clock. It lives apart from app.ts so that routes and pipeline
 * depend on these types, not on the app that mounts them.
 */
import type { Config } from './config';
import type { ErrorLogger } from './http/errorHandler';
import type { Storage } from './storage/openStorage';

/** Wall clock, injected so routes that stamp times stay testable. */
export interface Clock {
	/** Milliseconds since the Unix epoch. */
	now(): number;
}

export interface AppDeps {
	config: Config;
	/** The opened database (main.ts: openStorage(config.databaseUrl)); optional so pure-math tests skip it. */
	storage?: Storage;
	clock?: Clock;
	/** Where unexpected errors are logged (default: the service logger, observability/logger); never sent to the client. */
	logError?: ErrorLogger;
}
