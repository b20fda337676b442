/**
 * @module watchdog/watchdogSettings
 * The watchdog's settings, read strictly from the environment (EnvReader): a value that is set but
 * unusable stops the start with its name and the reason, all problems at once.
 *
 * | Variable | Default | Rule |
 * |---|---|---|
 * | `HFQ_WATCHDOG_INTERVAL_MS` | 30000 | 100 – 3,600,000: time between two rounds of checks |
 * | `HFQ_WATCHDOG_TIMEOUT_MS` | 5000 | 100 – 60,000: one check's time limit (a slower answer is a failure) |
 * | `HFQ_WATCHDOG_FAILURES_TO_ALERT` | 2 | 1 – 100: failing rounds in a row that open an incident |
 * | `HFQ_WATCHDOG_START_DELAY_MS` | 0 | 0 – 3,600,000: wait before the first round (a stack still starting up pages nobody) |
 * | `HFQ_WATCHDOG_CHECKS` | `service,n8n,database,heartbeat` | any of these, comma-separated |
 * | `HFQ_WATCHDOG_SERVICE_URL` | `http://127.0.0.1:<MATH_SERVICE_PORT or 8000>` | http(s) URL of the math service |
 * | `MATH_SERVICE_API_KEY` | none | sent as `X-API-Key` to `/v1/heartbeat` |
 * | `HFQ_WATCHDOG_N8N_URL` | `http://127.0.0.1:<N8N_PORT or 5678>` | http(s) URL of n8n (its `/healthz`) |
 * | `DATABASE_URL` | `sqlite:<HFQ_DATA_DIR>/highfreqquant.db` | the service's database (same rule as the service) |
 * | `HFQ_WATCHDOG_MARKET_DATA_MAX_AGE_MS` | 180000 | 1,000 – 86,400,000: the market-data job (every minute) is stale beyond this |
 * | `HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS` | 60000 | 1,000 – 86,400,000: the risk-monitor job (every 10 s) is stale beyond this |
 * | `HFQ_WATCHDOG_STATE_FILE` | `<HFQ_DATA_DIR>/watchdog-state.json` | where open incidents survive a restart |
 * | `TELEGRAM_BOT_TOKEN` | none | the bot that sends the alerts |
 * | `HFQ_WATCHDOG_CHAT_ID` | `TELEGRAM_CHAT_ID` | the chat the alerts go to (an operators' chat may differ from the signal cards') |
 * | `TELEGRAM_API_BASE_URL` | `https://api.telegram.org` | Bot API root (a mirror, or a loopback fake in tests) |
 *
 * Without a bot token and chat id the watchdog still checks and prints every alert, and says at
 * start that nobody is paged; one without the other is refused.
 */
import { join } from 'node:path';
import { EnvReader } from '../EnvReader.js';
import { parseDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import { DEFAULT_TELEGRAM_API_BASE_URL } from '../notify/telegramNotifier.js';

export const WATCHDOG_CHECKS = ['service', 'n8n', 'database', 'heartbeat'] as const;
export type WatchdogCheckKind = (typeof WATCHDOG_CHECKS)[number];

/** The heartbeat jobs whose freshness is watched (names as GET /v1/heartbeat lists them). */
export const MARKET_DATA_JOB = 'market_data';
export const RISK_MONITOR_JOB = 'risk_monitor';

export interface WatchdogSettings {
	intervalMs: number;
	timeoutMs: number;
	failuresToAlert: number;
	startDelayMs: number;
	checks: WatchdogCheckKind[];
	serviceUrl: string;
	apiKey: string | null;
	n8nUrl: string;
	databaseUrl: string;
	/** Heartbeat job → largest accepted age of its last successful run (ms). */
	heartbeatMaxAgeMs: Record<string, number>;
	stateFile: string;
	/** null: alerts are printed only. */
	telegram: { baseUrl: string; botToken: string; chatId: string } | null;
	warnings: string[];
}

type Env = Record<string, string | undefined>;

const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;
const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,}$/;

/** @throws OperatorError naming every unusable setting. */
export function watchdogSettingsFromEnv(env: Env): WatchdogSettings {
	const r = new EnvReader(env);
	const dataDir = (r.raw('HFQ_DATA_DIR') ?? './data').replace(/\/+$/, '') || '/';
	const servicePort = r.integer('MATH_SERVICE_PORT', 8000, { min: 1, max: 65535 });
	const n8nPort = r.integer('N8N_PORT', 5678, { min: 1, max: 65535 });
	const intervalMs = r.integer('HFQ_WATCHDOG_INTERVAL_MS', 30_000, { min: 100, max: 3_600_000 });
	const timeoutMs = r.integer('HFQ_WATCHDOG_TIMEOUT_MS', 5_000, { min: 100, max: 60_000 });
	const failuresToAlert = r.integer('HFQ_WATCHDOG_FAILURES_TO_ALERT', 2, { min: 1, max: 100 });
	const startDelayMs = r.integer('HFQ_WATCHDOG_START_DELAY_MS', 0, { min: 0, max: 3_600_000 });

	let checks: WatchdogCheckKind[] = [...WATCHDOG_CHECKS];
	const checksText = r.raw('HFQ_WATCHDOG_CHECKS');
	if (checksText !== undefined) {
		const names = checksText.split(',').map((s) => s.trim()).filter((s) => s !== '');
		const unknown = names.filter((n) => !(WATCHDOG_CHECKS as readonly string[]).includes(n));
		if (unknown.length > 0 || names.length === 0) r.problem('HFQ_WATCHDOG_CHECKS', `${JSON.stringify(checksText)} must list some of ${WATCHDOG_CHECKS.join(', ')}`);
		else checks = [...new Set(names)] as WatchdogCheckKind[];
	}

	const serviceUrl = r.httpUrl('HFQ_WATCHDOG_SERVICE_URL') ?? `http://127.0.0.1:${servicePort}`;
	const n8nUrl = r.httpUrl('HFQ_WATCHDOG_N8N_URL') ?? `http://127.0.0.1:${n8nPort}`;
	const databaseUrl = r.raw('DATABASE_URL') ?? `sqlite:${dataDir}/highfreqquant.db`;
	if (checks.includes('database')) {
		try {
			parseDatabaseUrl(databaseUrl);
		} catch (error) {
			r.problems.push((error as Error).message);
		}
	}
	const heartbeatMaxAgeMs = {
		[MARKET_DATA_JOB]: r.integer('HFQ_WATCHDOG_MARKET_DATA_MAX_AGE_MS', 180_000, { min: 1_000, max: 86_400_000 }),
		[RISK_MONITOR_JOB]: r.integer('HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS', 60_000, { min: 1_000, max: 86_400_000 }),
	};
	const stateFile = r.raw('HFQ_WATCHDOG_STATE_FILE') ?? join(dataDir, 'watchdog-state.json');

	const warnings: string[] = [];
	const botToken = r.raw('TELEGRAM_BOT_TOKEN');
	const chatId = r.raw('HFQ_WATCHDOG_CHAT_ID') ?? r.raw('TELEGRAM_CHAT_ID');
	const baseUrl = r.httpUrl('TELEGRAM_API_BASE_URL') ?? DEFAULT_TELEGRAM_API_BASE_URL;
	let telegram: WatchdogSettings['telegram'] = null;
	if (botToken !== undefined && !BOT_TOKEN.test(botToken)) r.problem('TELEGRAM_BOT_TOKEN', 'is not a bot token (<bot id>:<secret> from @BotFather)');
	if (chatId !== undefined && !CHAT_ID.test(chatId)) r.problem(r.raw('HFQ_WATCHDOG_CHAT_ID') !== undefined ? 'HFQ_WATCHDOG_CHAT_ID' : 'TELEGRAM_CHAT_ID', `${JSON.stringify(chatId.slice(0, 40))} is not a chat id (a number such as -1001234567890, or @channelname)`);
	if ((botToken === undefined) !== (chatId === undefined)) {
		r.problem(botToken === undefined ? 'TELEGRAM_BOT_TOKEN' : 'HFQ_WATCHDOG_CHAT_ID', 'the watchdog needs TELEGRAM_BOT_TOKEN and a chat id (HFQ_WATCHDOG_CHAT_ID or TELEGRAM_CHAT_ID) together, or neither');
	} else if (botToken !== undefined && chatId !== undefined) {
		telegram = { baseUrl, botToken, chatId };
	} else {
		warnings.push('Telegram not configured (TELEGRAM_BOT_TOKEN, HFQ_WATCHDOG_CHAT_ID): alerts are printed here only, nobody is paged');
	}
	if (timeoutMs >= intervalMs) warnings.push(`HFQ_WATCHDOG_TIMEOUT_MS (${timeoutMs}) is not below HFQ_WATCHDOG_INTERVAL_MS (${intervalMs}): a slow check delays the next round`);

	r.throwIfInvalid('watchdog configuration');
	return { intervalMs, timeoutMs, failuresToAlert, startDelayMs, checks, serviceUrl, apiKey: r.raw('MATH_SERVICE_API_KEY') ?? null, n8nUrl, databaseUrl, heartbeatMaxAgeMs, stateFile, telegram, warnings };
}
