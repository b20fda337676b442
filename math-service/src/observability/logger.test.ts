import { describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { createLogger, logLevelOf, memoryDestination, REDACTED, scrubSecrets, secretValuesOf } from './logger';

const ENV = {
	TRADINGVIEW_WEBHOOK_SECRET: 'tv-MARK-"quoted"-secret',
	MATH_SERVICE_API_KEY: 'apikeyMARK0123456789',
	TELEGRAM_BOT_TOKEN: '7000000001:AAMARKtelegramtoken_abcdefghijklmnop',
	DATABASE_URL: 'mysql://hfq:p%40ssMARK%2Fword@db.internal:3306/hfq',
	BINANCE_API_SECRET: 'binanceMARKsecret',
	KRAKEN_PRIVATE_KEY: 'krakenMARKprivate',
	HFQ_MODE: 'PAPER',
	MATH_SERVICE_PORT: '8000',
};

function capture(env: Record<string, string> = ENV) {
	const dest = memoryDestination();
	return { log: createLogger({ env, destination: dest, level: 'debug' }), lines: dest.lines };
}

describe('createLogger', () => {
	it('writes one JSON object per event with level, time, pid and message', () => {
		const { log, lines } = capture();
		log.info({ route: '/health' }, 'hello');
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', name: 'math-service', pid: process.pid, route: '/health', msg: 'hello', time: expect.any(String) });
	});

	it('redacts every secret setting wherever it appears: fields, headers, messages, errors, URLs, escaped forms', () => {
		const { log, lines } = capture();
		log.warn({ alert: { secret: ENV.TRADINGVIEW_WEBHOOK_SECRET, ticker: 'BTCUSDT' } }, 'alert body');
		log.warn({ req: { headers: { 'x-api-key': ENV.MATH_SERVICE_API_KEY } } }, 'headers');
		log.error({ err: new Error(`cannot connect to ${ENV.DATABASE_URL}`) }, 'database down');
		log.error(`sendMessage failed: https://api.telegram.org/bot${ENV.TELEGRAM_BOT_TOKEN}/sendMessage`);
		log.info(`decoded password p@ssMARK/word and key ${ENV.MATH_SERVICE_API_KEY} in prose`);
		log.info({ detail: `escaped ${JSON.stringify(ENV.TRADINGVIEW_WEBHOOK_SECRET)}` }, 'json inside json');
		log.info({ exchange: { apiSecret: ENV.BINANCE_API_SECRET, note: ENV.KRAKEN_PRIVATE_KEY } }, 'exchange keys');
		log.info('a URL nobody configured: https://user:hunter2@example.com/x');
		const all = lines.join("\n");
		expect(all).not.toMatch(/MARK|hunter2/);
		expect(lines).toHaveLength(8);
		expect(all.split(REDACTED).length - 1).toBeGreaterThanOrEqual(10);
		// What is not secret stays readable.
		expect(all).toContain('BTCUSDT');
		expect(all).toContain('db.internal:3306/hfq');
		expect(all).toContain('api.telegram.org/bot');
	});

	it('redacts the LIVE exchange keys (EXCHANGE_API_KEY, EXCHANGE_API_SECRET) by value, even short of a secret-looking name', () => {
		const secrets = secretValuesOf({ EXCHANGE_API_KEY: 'exKeyMARK42', EXCHANGE_API_SECRET: 'exSecretMARK42' });
		expect(scrubSecrets('signed with exSecretMARK42 as exKeyMARK42', secrets)).toBe(`signed with ${REDACTED} as ${REDACTED}`);
	});

	it('leaves ordinary settings alone', () => {
		expect(secretValuesOf(ENV)).not.toContain('PAPER');
		expect(secretValuesOf(ENV)).not.toContain('8000');
		expect(scrubSecrets('mode PAPER on port 8000', secretValuesOf(ENV))).toBe('mode PAPER on port 8000');
	});

	it('LOG_LEVEL: default info, a known level is used, anything else stops the start naming it', () => {
		expect(logLevelOf({})).toBe('info');
		expect(logLevelOf({ LOG_LEVEL: ' Debug ' })).toBe('debug');
		expect(() => logLevelOf({ LOG_LEVEL: 'verbose' })).toThrow(OperatorError);
		expect(() => logLevelOf({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent/);
	});
});
