/**
 * @module observability/logger
 * The service's one logger: structured JSON lines (pino), one object per event (error and fatal on
 * stderr, the rest on stdout), with every secret the process knows about redacted before the line
 * is written.
 *
 * Redaction works on two levels:
 * 1. by field: `secret`, `password`, `token`, `apiKey`/`api_key` and the `x-api-key` /
 *    `authorization` headers are replaced wherever pino finds them in a logged object;
 * 2. by value, on the finished line: the value of every secret setting in the environment is
 *    replaced wherever it appears (inside an error message, a URL, a stack trace), also in its JSON-
 *    and URL-escaped forms. Secret settings are TRADINGVIEW_WEBHOOK_SECRET, MATH_SERVICE_API_KEY,
 *    TELEGRAM_BOT_TOKEN and any variable whose name ends in SECRET, TOKEN, PASSWORD, PASSPHRASE,
 *    PRIVATE_KEY or API_KEY (exchange and provider keys), plus the password of any URL setting
 *    (DATABASE_URL's `mysql://user:password@…`). Any `scheme://user:password@` and any Telegram
 *    bot token pattern in a line is redacted too, configured or not.
 *
 * `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent; default info) picks the threshold.
 */
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import { OperatorError } from '../errors.js';

export type { Logger } from 'pino';

export const REDACTED = '[Redacted]';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings that are secrets whatever their name says. */
const SECRET_SETTINGS = ['TRADINGVIEW_WEBHOOK_SECRET', 'MATH_SERVICE_API_KEY', 'TELEGRAM_BOT_TOKEN', 'EXCHANGE_API_KEY', 'EXCHANGE_API_SECRET'];
/** Names of further secret settings (exchange/provider keys): …_SECRET, …_TOKEN, …_API_KEY, … */
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|API_KEY|APIKEY)$/i;
/** Shorter values would redact ordinary words; keys this short are refused or warned about elsewhere. */
const MIN_SECRET_LENGTH = 4;
/** `scheme://user:password@` anywhere in a line. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'\\]*):([^\s@/"'\\]+)@/gi;
/** A Telegram bot token (`<bot id>:<35 characters>`), also inside `/bot<token>/` URLs. */
const TELEGRAM_TOKEN = /\b\d{6,12}:[A-Za-z0-9_-]{30,}/g;

/** Object fields pino replaces wherever they occur (up to two levels deep, and in headers). */
const REDACT_PATHS = [
	'secret',
	'password',
	'token',
	'apiKey',
	'api_key',
	'*.secret',
	'*.password',
	'*.token',
	'*.apiKey',
	'*.api_key',
	'*.*.secret',
	'headers["x-api-key"]',
	'headers.authorization',
	'*.headers["x-api-key"]',
	'*.headers.authorization',
];

/** The secret values found in an environment: what must never appear in a log line. */
export function secretValuesOf(env: Record<string, string | undefined>): string[] {
	const found = new Set<string>();
	const add = (v: string | undefined) => {
		if (v !== undefined && v.trim().length >= MIN_SECRET_LENGTH) found.add(v.trim());
	};
	for (const [name, value] of Object.entries(env)) {
		if (value === undefined || value.trim() === '') continue;
		if (SECRET_SETTINGS.includes(name) || SECRET_NAME.test(name)) add(value);
		if (/:\/\//.test(value)) add(urlPassword(value));
	}
	const values = [...found];
	// Each value also in the forms it takes inside JSON strings (up to JSON in JSON in a log line) and URLs.
	for (const v of values) {
		let escaped = v;
		for (let depth = 0; depth < 3; depth++) found.add((escaped = JSON.stringify(escaped).slice(1, -1)));
		found.add(encodeURIComponent(v));
		try {
			found.add(decodeURIComponent(v));
		} catch {
			// not URL-encoded
		}
	}
	return [...found].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function urlPassword(value: string): string | undefined {
	try {
		const password = new URL(value.trim()).password;
		return password === '' ? undefined : password;
	} catch {
		return undefined;
	}
}

/** Replaces every secret value, URL password and bot token in one log line. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
	let out = line;
	for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
	return out.replace(URL_CREDENTIALS, `$1:${REDACTED}@`).replace(TELEGRAM_TOKEN, REDACTED);
}

/** LOG_LEVEL, validated; an unknown level is an OperatorError naming the setting. */
export function logLevelOf(env: Record<string, string | undefined>): LogLevel {
	const raw = env.LOG_LEVEL?.trim().toLowerCase();
	if (raw === undefined || raw === '') return 'info';
	if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
		throw new OperatorError(`Invalid math-service configuration:\n  LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(env.LOG_LEVEL)})`);
	}
	return raw as LogLevel;
}

export interface LoggerOptions {
	env?: Record<string, string | undefined>;
	/** Where lines go (default: stdout, error and fatal on stderr; written synchronously so nothing is lost on exit). */
	destination?: DestinationStream;
	level?: LogLevel;
}

/** A redacting JSON logger over `env`'s secrets. Lines are written whole, one per event. */
export function createLogger(options: LoggerOptions = {}): Logger {
	const env = options.env ?? process.env;
	const secrets = secretValuesOf(env);
	let level: LogLevel;
	try {
		level = options.level ?? logLevelOf(env);
	} catch {
		level = 'info';
	}
	return pino(
		{
			name: 'math-service',
			level,
			base: { pid: process.pid },
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			redact: { paths: REDACT_PATHS, censor: REDACTED },
			hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
		},
		options.destination ??
			pino.multistream(
				[
					{ level: 'trace', stream: pino.destination({ fd: 1, sync: true }) },
					{ level: 'error', stream: pino.destination({ fd: 2, sync: true }) },
				],
				{ dedupe: true },
			),
	);
}

/** The process-wide logger every module logs through (main.ts applies LOG_LEVEL at start). */
export const log: Logger = createLogger();

/** Collects lines in memory: for tests of what would be logged. */
export function memoryDestination(): DestinationStream & { lines: string[] } {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _enc, done) {
			lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
			done();
		},
	});
	return Object.assign(stream, { lines }) as unknown as DestinationStream & { lines: string[] };
}
