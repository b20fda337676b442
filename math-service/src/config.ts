/**
 * @module config
 * The math service's configuration, read once from the environment and validated with zod before
 * anything listens. Every problem is reported at once as an `OperatorError` (main.ts prints it and
 * exits with a non-zero code), so a typo never starts a half-configured service.
 *
 * | Variable               | Default                                 | Rule                                   |
 * | ---------------------- | --------------------------------------- | -------------------------------------- |
 * | `MATH_SERVICE_HOST`    | `127.0.0.1`                             | host name or IP to bind                |
 * | `MATH_SERVICE_PORT`    | `8000`                                  | integer 0–65535 (0 = any free port)    |
 * | `MATH_SERVICE_API_KEY` | none                                    | printable; required off loopback       |
 * | `HFQ_DATA_DIR`         | `./data`                                | directory of the embedded database     |
 * | `DATABASE_URL`         | `sqlite:<HFQ_DATA_DIR>/highfreqquant.db` | `sqlite:PATH` or `mysql://u:p@h:port/db` (storage/parseDatabaseUrl.ts) |
 * | `HFQ_MODE`             | `PAPER`                                 | exactly `PAPER` or `LIVE`; LIVE also needs `HFQ_LIVE_CONFIRM` and the exchange keys (execution/liveSettings), else PAPER runs with the refusal reason |
 *
 * The pipeline's settings (pipeline/pipelineSettings.ts: secret, allowlist, proxies, rate limit,
 * Ollama, paper cash), the crawler's (crawler/crawlerSettings.ts) and the heartbeat's Redis
 * (`REDIS_URL`, `HFQ_REDIS_KEY_PREFIX`: heartbeat/redisUrlFromEnv, redisKeyPrefixFromEnv) are checked here too, so a
 * bad value of any of them stops the start with its name and the reason, before anything listens.
 *
 * Empty strings count as unset. A non-loopback host without an API key is refused: the service
 * would otherwise hand out sizes and decisions to anyone on the network.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { crawlerSettingsFromEnv } from './crawler/crawlerSettings';
import { EnvReader } from './EnvReader';
import { redisKeyPrefixFromEnv } from './heartbeat/redisKeyPrefixFromEnv';
import { redisUrlFromEnv } from './heartbeat/redisUrlFromEnv';
import { OperatorError } from './errors';
import { liveSettingsFromEnv, type LiveSettings } from './execution/liveSettings';
import { pipelineSettingsFromEnv } from './pipeline/pipelineSettings';
import { parseDatabaseUrl } from './storage/parseDatabaseUrl';

export { redactDatabaseUrl } from './storage/parseDatabaseUrl';

const require = createRequire(import.meta.url);
/** The service version, from math-service/package.json (reported by GET /health and the OpenAPI info). */
export const SERVICE_VERSION: string = (require('../package.json') as { version: string }).version;

export type TradingMode = 'PAPER' | 'LIVE';
export type DatabaseKind = 'sqlite' | 'mysql';

export interface Config {
	host: string;
	port: number;
	/** Required in the `X-API-Key` header on every route but /health, /docs, /openapi.json; null = open. */
	apiKey: string | null;
	dataDir: string;
	databaseUrl: string;
	databaseKind: DatabaseKind;
	/** What the service does: LIVE only when every LIVE switch is on (execution/liveSettings), else PAPER. */
	mode: TradingMode;
	/** The LIVE switches: asked for, armed, the refusal reason, the exchange and its keys (never logged). */
	live: LiveSettings;
	/** Largest accepted request body in bytes (413 above it). */
	bodyLimitBytes: number;
	/** Non-fatal remarks main.ts logs at start (e.g. a short API key). */
	warnings: string[];
}

/** 5 MB: room for ~250,000 returns in one JSON body. */
export const DEFAULT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
const MIN_API_KEY_LENGTH = 16;

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]', 'ip6-localhost']);

/** True for hosts that only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
	const h = host.trim().toLowerCase();
	return LOOPBACK_HOSTS.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
	MATH_SERVICE_HOST: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.regex(/^[A-Za-z0-9.:\-[\]]+$/, 'must be a host name or IP address')
			.default('127.0.0.1'),
	),
	MATH_SERVICE_PORT: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.regex(/^\d+$/, 'must be an integer')
			.transform(Number)
			.pipe(z.number().int().min(0).max(65535, 'must be at most 65535'))
			.default(8000),
	),
	MATH_SERVICE_API_KEY: z.preprocess(
		emptyAsUndefined,
		z
			.string()
			.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
			.optional(),
	),
	HFQ_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
	DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
	HFQ_MODE: z.preprocess(emptyAsUndefined, z.enum(['PAPER', 'LIVE'], { message: 'must be exactly "PAPER" or "LIVE"' }).default('PAPER')),
});

/**
 * Reads and validates the configuration.
 * @throws OperatorError listing every invalid variable (the service must not start).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	// Settings read elsewhere are checked now, so a bad one stops the start instead of a request.
	const reader = new EnvReader(env);
	pipelineSettingsFromEnv(env, reader);
	const live = liveSettingsFromEnv(env, reader);
	try {
		crawlerSettingsFromEnv(env);
	} catch (error) {
		reader.problems.push((error as Error).message);
	}
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? 'environment')}: ${i.message}`);
		throw new OperatorError(`Invalid math-service configuration:\n${[...lines, ...reader.problems.map((p) => `  ${p}`)].join('\n')}`);
	}
	const e = parsed.data;
	const problems: string[] = reader.problems.map((p) => `  ${p}`);
	const warnings: string[] = [];

	const dataDir = e.HFQ_DATA_DIR.replace(/\/+$/, '') || '/';
	const databaseUrl = e.DATABASE_URL ?? `sqlite:${dataDir}/highfreqquant.db`;
	let databaseKind: DatabaseKind = 'sqlite';
	try {
		databaseKind = parseDatabaseUrl(databaseUrl).dialect;
	} catch (err) {
		problems.push(`  ${(err as Error).message}`);
	}

	const apiKey = e.MATH_SERVICE_API_KEY ?? null;
	if (!isLoopbackHost(e.MATH_SERVICE_HOST) && apiKey === null) {
		problems.push(
			`  MATH_SERVICE_API_KEY: required when MATH_SERVICE_HOST (${e.MATH_SERVICE_HOST}) is not a loopback address; ` +
				'set a long random key or bind to 127.0.0.1',
		);
	}

	if (apiKey !== null && apiKey.length < MIN_API_KEY_LENGTH) {
		warnings.push(`MATH_SERVICE_API_KEY is shorter than ${MIN_API_KEY_LENGTH} characters; use a long random key`);
	}

	// HFQ_MODE=LIVE alone is not enough: without the confirmation and the keys the service runs PAPER (live.refusal says why).
	const mode: TradingMode = e.HFQ_MODE === 'LIVE' && live.armed ? 'LIVE' : 'PAPER';

	for (const check of [redisUrlFromEnv, redisKeyPrefixFromEnv]) {
		try {
			check(env);
		} catch (err) {
			problems.push(`  ${(err as Error).message}`);
		}
	}

	if (problems.length > 0) {
		throw new OperatorError(`Invalid math-service configuration:\n${problems.join('\n')}`);
	}
	return {
		host: e.MATH_SERVICE_HOST,
		port: e.MATH_SERVICE_PORT,
		apiKey,
		dataDir,
		databaseUrl,
		databaseKind,
		mode,
		live,
		bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
		warnings,
	};
}
