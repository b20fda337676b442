/**
 * @module pipeline/pipelineSettings
 * Server-side settings of the alert pipeline that a request can never override: the TradingView
 * webhook secret, the source-IP allowlist and the proxies in front of the service, the intake rate
 * limit, the Ollama host, the paper account's starting cash. Read from the environment strictly
 * (EnvReader: a bad value stops the start with its name; config.ts checks them before the service
 * listens) or injected by tests through `createApp({ ..., pipeline })`.
 *
 * | Variable                     | Default        | Meaning                                                  |
 * | ---------------------------- | -------------- | -------------------------------------------------------- |
 * | `TRADINGVIEW_WEBHOOK_SECRET` | none           | the alert body's `secret`; unset → alerts answer 500 "operator action required" |
 * | `HFQ_TV_IP_ALLOWLIST`        | none (off)     | `tradingview` (TradingView's 4 published IPs) or IPv4/CIDR list, comma-separated |
 * | `HFQ_TRUSTED_PROXIES`        | `0`            | integer 0–10: reverse proxies in front of the service; the client address is taken that many hops from the right of `X-Forwarded-For` (0 = the socket peer, the header is ignored) |
 * | `HFQ_INTAKE_BURST`           | `100`          | integer 0–100000: alerts one source address may send at once (token bucket size); 0 = no rate limit |
 * | `HFQ_INTAKE_RATE_PER_SECOND` | `10`           | number 0–100000: sustained alerts per second per source address (bucket refill); 0 = no rate limit |
 * | `OLLAMA_HOST`                | none (LLM off) | http(s) URL, e.g. `http://127.0.0.1:11434`; unset → llm status `unavailable` |
 * | `OLLAMA_MODEL`               | `glm-5:cloud`  | model asked for the advisory Kelly cross-check           |
 * | `OLLAMA_TIMEOUT_MS`          | `2000`         | integer 100–60000: hard bound on the LLM call (TradingView gives up after 3 s) |
 * | `HFQ_PAPER_INITIAL_CASH`     | `10000`        | number > 0: quote currency (USDT) deposited once into the paper ledger |
 * | `HFQ_LIVE_ALLOW_FAILING_BACKTEST` | off       | `1`/`true`: in LIVE mode, permit a strategy and symbol whose latest backtest fails the KPI gates (or is missing); receipts show `live.override: true` |
 * | `TELEGRAM_OPERATOR_CHAT_IDS` | none           | comma-separated Telegram chat ids (e.g. `123456789,-1001234567890`) whose commands (/status, /halt, …) the desk obeys; others get no answer |
 *
 * The intake defaults never throttle TradingView: a 10-asset universe fires at most a few alerts
 * per asset at one bar close (entry, exit, fills), far below 100 at once, and TradingView sends
 * from four addresses, each with its own bucket.
 */
import type { IntakeConfigInput } from '../core/intake/evaluateIntake.js';
import { MAX_TRUSTED_PROXIES } from '../core/intake/clientAddress.js';
import { isValidAllowlistEntry } from '../core/intake/isAllowedSourceIp.js';
import { EnvReader } from '../EnvReader.js';

export interface PipelineSettings {
	webhookSecret: string;
	ipAllowlist: IntakeConfigInput['ipAllowlist'];
	/** Reverse proxies in front of the service whose X-Forwarded-For entries are trusted (0 = none). */
	trustedProxies: number;
	/** Token-bucket size per source address on POST /v1/signals/tradingview; 0 = no limit. */
	intakeBurst: number;
	/** Token refill per second per source address; 0 = no limit. */
	intakeRatePerSecond: number;
	ollamaHost: string | null;
	ollamaModel: string;
	ollamaTimeoutMs: number;
	/** Largest |LLM − deterministic| fractional Kelly accepted as agreement, fraction of equity. */
	llmTolerance: number;
	paperInitialCash: number;
	/** Operator override of the LIVE backtest gate (HFQ_LIVE_ALLOW_FAILING_BACKTEST=1); never a request field. */
	liveAllowFailingBacktest: boolean;
	/** Telegram chats whose operator commands are obeyed (TELEGRAM_OPERATOR_CHAT_IDS); empty = none from the environment. */
	operatorChatIds: readonly string[];
}

export const DEFAULT_PIPELINE_SETTINGS: Readonly<PipelineSettings> = Object.freeze({
	webhookSecret: '',
	ipAllowlist: null,
	trustedProxies: 0,
	intakeBurst: 100,
	intakeRatePerSecond: 10,
	ollamaHost: null,
	ollamaModel: 'glm-5:cloud',
	ollamaTimeoutMs: 2_000,
	llmTolerance: 0.005,
	paperInitialCash: 10_000,
	liveAllowFailingBacktest: false,
	operatorChatIds: Object.freeze([]) as readonly string[],
});

/** Reads the settings; collects problems into `reader` (config.ts) or throws them as one OperatorError. */
export function pipelineSettingsFromEnv(env: Record<string, string | undefined> = process.env, reader?: EnvReader): PipelineSettings {
	const r = reader ?? new EnvReader(env);
	const d = DEFAULT_PIPELINE_SETTINGS;
	const settings: PipelineSettings = {
		webhookSecret: env.TRADINGVIEW_WEBHOOK_SECRET ?? '',
		ipAllowlist: readAllowlist(r),
		trustedProxies: r.integer('HFQ_TRUSTED_PROXIES', d.trustedProxies, { min: 0, max: MAX_TRUSTED_PROXIES }),
		intakeBurst: r.integer('HFQ_INTAKE_BURST', d.intakeBurst, { min: 0, max: 100_000 }),
		intakeRatePerSecond: r.number('HFQ_INTAKE_RATE_PER_SECOND', d.intakeRatePerSecond, { min: 0, max: 100_000 }),
		ollamaHost: r.httpUrl('OLLAMA_HOST'),
		ollamaModel: r.string('OLLAMA_MODEL', d.ollamaModel),
		ollamaTimeoutMs: r.integer('OLLAMA_TIMEOUT_MS', d.ollamaTimeoutMs, { min: 100, max: 60_000 }),
		llmTolerance: d.llmTolerance,
		paperInitialCash: r.number('HFQ_PAPER_INITIAL_CASH', d.paperInitialCash, { min: 0, max: 1e12, above: true }),
		liveAllowFailingBacktest: r.boolean('HFQ_LIVE_ALLOW_FAILING_BACKTEST', d.liveAllowFailingBacktest),
		operatorChatIds: readChatIds(r),
	};
	if (reader === undefined) r.throwIfInvalid('pipeline settings');
	return settings;
}

/** A Telegram chat id: an integer (groups and channels are negative). */
export const CHAT_ID_PATTERN = /^-?\d{1,20}$/;

function readChatIds(r: EnvReader): readonly string[] {
	const text = r.raw('TELEGRAM_OPERATOR_CHAT_IDS');
	if (text === undefined) return [];
	const ids = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
	const bad = ids.filter((id) => !CHAT_ID_PATTERN.test(id));
	if (bad.length > 0) r.problem('TELEGRAM_OPERATOR_CHAT_IDS', `${bad.map((b) => JSON.stringify(b)).join(', ')} is not a Telegram chat id (an integer, e.g. 123456789 or -1001234567890)`);
	return ids.filter((id) => CHAT_ID_PATTERN.test(id));
}

function readAllowlist(r: EnvReader): IntakeConfigInput['ipAllowlist'] {
	const text = r.raw('HFQ_TV_IP_ALLOWLIST');
	if (text === undefined) return null;
	if (text.toLowerCase() === 'tradingview') return 'tradingview';
	const entries = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
	const bad = entries.filter((e) => !isValidAllowlistEntry(e));
	if (bad.length > 0 || entries.length === 0) {
		r.problem('HFQ_TV_IP_ALLOWLIST', `${bad.map((b) => JSON.stringify(b)).join(', ') || 'no entry'} is not an IPv4 address or CIDR range; use "tradingview" or e.g. 10.0.0.0/8,52.89.214.238`);
		return [];
	}
	return entries;
}
