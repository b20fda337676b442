/**
 * @module execution/liveSettings
 * The switches that arm real-money trading. LIVE runs only when ALL of these hold:
 * 1. `HFQ_MODE=LIVE` (exactly);
 * 2. `HFQ_LIVE_CONFIRM=I_UNDERSTAND_REAL_MONEY` (exactly: a second, deliberate setting);
 * 3. `EXCHANGE_API_KEY` and `EXCHANGE_API_SECRET` are set (never logged: the logger redacts both).
 * The fourth condition, the strategy's latest recorded backtest passing the KPI gates, is checked
 * per decision (execution/livePermission). Any other combination runs PAPER and says why in one
 * named reason (`LIVE REFUSED: HFQ_LIVE_CONFIRM is not set …`), logged loudly at start and carried
 * on every decision's receipt (`live_refused`).
 *
 * | Variable               | Default   | Meaning |
 * | ---------------------- | --------- | ------- |
 * | `HFQ_LIVE_CONFIRM`     | none      | must be exactly `I_UNDERSTAND_REAL_MONEY` for LIVE |
 * | `EXCHANGE_API_KEY`     | none      | the exchange account's API key (trade permission, no withdrawal needed) |
 * | `EXCHANGE_API_SECRET`  | none      | its secret (HMAC-SHA256 signing key on Binance) |
 * | `HFQ_LIVE_EXCHANGE`    | `binance` | ccxt exchange id of the spot account (`binance` gets OCO stop/target on the exchange) |
 * | `HFQ_LIVE_BASE_URL`    | none      | REST origin override (a loopback fake in tests, e.g. `http://127.0.0.1:PORT`); the exchange's own paths are appended |
 *
 * A value that cannot be used (an unknown exchange id, a base URL that is not http(s)) stops the
 * start with its name, like every other setting (EnvReader). A confirmation phrase that is set but
 * wrong does NOT stop the start: it refuses LIVE (PAPER runs), because a near-miss must never arm
 * real money.
 */
import { EnvReader } from '../EnvReader.js';

export const LIVE_CONFIRM_PHRASE = 'I_UNDERSTAND_REAL_MONEY';
/** Exchanges the LIVE adapter knows (ccxt ids). Binance spot is the one with exchange-side OCO protection. */
export const LIVE_EXCHANGES = ['binance'] as const;
export type LiveExchangeId = (typeof LIVE_EXCHANGES)[number];

export interface LiveSettings {
	/** HFQ_MODE=LIVE was asked for. */
	requested: boolean;
	/** Every process-level switch is on: orders may be sent (subject to the backtest gate per decision). */
	armed: boolean;
	/** Why LIVE is refused (`LIVE REFUSED: …`), null when armed or when LIVE was not asked for. */
	refusal: string | null;
	exchange: LiveExchangeId;
	baseUrl: string | null;
	apiKey: string | null;
	apiSecret: string | null;
}

/** Reads the LIVE switches; problems go to `reader` (config.ts) or are thrown as one OperatorError. */
export function liveSettingsFromEnv(env: Record<string, string | undefined>, reader?: EnvReader): LiveSettings {
	const r = reader ?? new EnvReader(env);
	const requested = r.raw('HFQ_MODE') === 'LIVE';
	const exchange = r.oneOf('HFQ_LIVE_EXCHANGE', LIVE_EXCHANGES, 'binance');
	const baseUrl = r.httpUrl('HFQ_LIVE_BASE_URL');
	const confirm = r.raw('HFQ_LIVE_CONFIRM');
	const apiKey = r.raw('EXCHANGE_API_KEY') ?? null;
	const apiSecret = r.raw('EXCHANGE_API_SECRET') ?? null;
	if (reader === undefined) r.throwIfInvalid('LIVE settings');
	let refusal: string | null = null;
	if (requested) {
		const missing: string[] = [];
		if (confirm === undefined) missing.push(`HFQ_LIVE_CONFIRM is not set (set it to ${LIVE_CONFIRM_PHRASE})`);
		else if (confirm !== LIVE_CONFIRM_PHRASE) missing.push(`HFQ_LIVE_CONFIRM is not exactly ${LIVE_CONFIRM_PHRASE}`);
		if (apiKey === null) missing.push('EXCHANGE_API_KEY is not set');
		if (apiSecret === null) missing.push('EXCHANGE_API_SECRET is not set');
		if (missing.length > 0) refusal = `LIVE REFUSED: ${missing.join('; ')}. Running PAPER: no order reaches the exchange.`;
	}
	return { requested, armed: requested && refusal === null, refusal, exchange, baseUrl, apiKey, apiSecret };
}

/** The start-up banner: loud when armed, a refusal line when LIVE was asked for but refused, null in plain PAPER. */
export function liveBanner(s: LiveSettings): string | null {
	if (s.armed) {
		const line = '!'.repeat(72);
		return [
			line,
			`!!! LIVE TRADING ARMED: real orders on ${s.exchange}${s.baseUrl === null ? '' : ` at ${s.baseUrl}`} with real money.`,
			'!!! Each entry still needs the strategy\'s latest recorded backtest to pass the KPI gates.',
			'!!! Set HFQ_MODE=PAPER (or unset HFQ_LIVE_CONFIRM) and restart to stop.',
			line,
		].join('\n');
	}
	return s.refusal;
}
