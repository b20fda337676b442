import { describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { watchdogSettingsFromEnv } from './watchdogSettings';

const TOKEN = '7000000001:AAwatchdogtoken_abcdefghijklmnopqrstu';

describe('watchdogSettingsFromEnv', () => {
	it('defaults: every check, 30 s rounds, local service and n8n, state file in the data folder, print-only alerts', () => {
		const s = watchdogSettingsFromEnv({});
		expect(s).toMatchObject({
			intervalMs: 30_000,
			failuresToAlert: 2,
			checks: ['service', 'n8n', 'database', 'heartbeat'],
			serviceUrl: 'http://127.0.0.1:8000',
			n8nUrl: 'http://127.0.0.1:5678',
			databaseUrl: 'sqlite:./data/highfreqquant.db',
			heartbeatMaxAgeMs: { market_data: 180_000, risk_monitor: 60_000 },
			stateFile: 'data/watchdog-state.json',
			telegram: null,
		});
		expect(s.warnings.join('\n')).toMatch(/nobody is paged/);
	});

	it('reads every setting', () => {
		const s = watchdogSettingsFromEnv({
			HFQ_WATCHDOG_INTERVAL_MS: '250',
			HFQ_WATCHDOG_TIMEOUT_MS: '200',
			HFQ_WATCHDOG_FAILURES_TO_ALERT: '1',
			HFQ_WATCHDOG_START_DELAY_MS: '90000',
			HFQ_WATCHDOG_CHECKS: 'service, heartbeat',
			HFQ_WATCHDOG_SERVICE_URL: 'http://math-service:8000/',
			MATH_SERVICE_API_KEY: 'k'.repeat(32),
			HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS: '1500',
			HFQ_WATCHDOG_STATE_FILE: '/tmp/wd.json',
			TELEGRAM_BOT_TOKEN: TOKEN,
			TELEGRAM_CHAT_ID: '111',
			HFQ_WATCHDOG_CHAT_ID: '-1001234567890',
			TELEGRAM_API_BASE_URL: 'http://127.0.0.1:9999',
		});
		expect(s).toMatchObject({
			intervalMs: 250,
			timeoutMs: 200,
			failuresToAlert: 1,
			startDelayMs: 90_000,
			checks: ['service', 'heartbeat'],
			serviceUrl: 'http://math-service:8000',
			apiKey: 'k'.repeat(32),
			heartbeatMaxAgeMs: { risk_monitor: 1500 },
			stateFile: '/tmp/wd.json',
			telegram: { baseUrl: 'http://127.0.0.1:9999', botToken: TOKEN, chatId: '-1001234567890' },
		});
	});

	it.each([
		['HFQ_WATCHDOG_INTERVAL_MS', 'abc'],
		['HFQ_WATCHDOG_INTERVAL_MS', '10'],
		['HFQ_WATCHDOG_FAILURES_TO_ALERT', '0'],
		['HFQ_WATCHDOG_START_DELAY_MS', 'soon'],
		['HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS', '-5'],
		['HFQ_WATCHDOG_MARKET_DATA_MAX_AGE_MS', '1.5'],
		['HFQ_WATCHDOG_SERVICE_URL', 'ftp://x'],
		['HFQ_WATCHDOG_N8N_URL', 'not a url'],
		['HFQ_WATCHDOG_CHECKS', 'service,kafka'],
		['TELEGRAM_API_BASE_URL', 'telegram'],
		['HFQ_WATCHDOG_CHAT_ID', 'my chat'],
	])('a bad %s (%s) stops the start with its name', (name, value) => {
		const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: '42', [name]: value };
		expect(() => watchdogSettingsFromEnv(env)).toThrow(OperatorError);
		expect(() => watchdogSettingsFromEnv(env)).toThrow(name);
	});

	it('refuses a bot token without a chat id and a chat id without a token', () => {
		expect(() => watchdogSettingsFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN })).toThrow(/HFQ_WATCHDOG_CHAT_ID/);
		expect(() => watchdogSettingsFromEnv({ HFQ_WATCHDOG_CHAT_ID: '42' })).toThrow(/TELEGRAM_BOT_TOKEN/);
		expect(() => watchdogSettingsFromEnv({ TELEGRAM_BOT_TOKEN: 'nope', TELEGRAM_CHAT_ID: '42' })).toThrow(/TELEGRAM_BOT_TOKEN: is not a bot token/);
	});

	it('refuses a DATABASE_URL the service would refuse, only when the database is checked', () => {
		expect(() => watchdogSettingsFromEnv({ DATABASE_URL: 'postgres://x' })).toThrow(OperatorError);
		expect(watchdogSettingsFromEnv({ DATABASE_URL: 'postgres://x', HFQ_WATCHDOG_CHECKS: 'service' }).checks).toEqual(['service']);
	});
});
