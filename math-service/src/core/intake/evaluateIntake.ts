/**
 * @module intake/evaluateIntake
 * The signal-intake decision, shared by `POST /v1/signals/tradingview` and the n8n Signal Intake
 * node. Pure: the caller passes the parsed alert (`parseTradingViewBody`), the configuration, the
 * current time and the request's source address.
 *
 * 1. Authentication, not a business decision: the source IP (when an allowlist is configured) and
 *    the body's `secret` (constant-time). Failure → `status: 'unauthorized'` (HTTP 401): store no
 *    decision, send no message, and do not reveal which check failed beyond the reason code.
 * 2. Business gates, all evaluated so the receipt shows every one: `symbol` (a recognisable pair),
 *    `whitelist` (tiered universe), `staleness` (max lag / clock skew). The first failure in that
 *    order gives `reasonCode`; the decision is stored and answered with HTTP 200 `rejected`.
 *
 * Idempotency is the caller's: look up `outcome.key` (see `alertKey`) before acting, after auth.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import { alertKey } from './alertKey.js';
import { checkStaleness, DEFAULT_MAX_FUTURE_SKEW_MS, DEFAULT_MAX_LAG_MS } from './checkStaleness.js';
import { isAllowedSourceIp, TRADINGVIEW_WEBHOOK_IPS } from './isAllowedSourceIp.js';
import { normalizeSymbol, type ContractKind } from './normalizeSymbol.js';
import { parseIntervalMs } from './parseIntervalMs.js';
import type { AlertAction, TradingViewAlert } from './tradingViewAlertSchema.js';
import { verifySecret } from './verifySecret.js';
import { checkWhitelist, resolveWhitelistConfig, WhitelistConfigShape, type WhitelistTier } from './whitelist.js';

export const IntakeConfigSchema = z.object({
	/** TRADINGVIEW_WEBHOOK_SECRET. Empty → OperatorError (never "accept anyone"). */
	expectedSecret: z.string(),
	/** `null` = no IP check; `'tradingview'` = TradingView's published IPs; or IPv4 addresses/CIDRs. */
	ipAllowlist: z.union([z.literal('tradingview'), z.array(z.string().max(64)).max(100), z.null()]).default(null),
	whitelist: WhitelistConfigShape.partial().default({}),
	maxLagMs: z.number().finite().nonnegative().default(DEFAULT_MAX_LAG_MS),
	maxFutureSkewMs: z.number().finite().nonnegative().default(DEFAULT_MAX_FUTURE_SKEW_MS),
	/** `event`: `time` is when the alert fired (Pine `time_close`, `{{timenow}}`). `bar_open`: `{{time}}`, one interval is added. */
	alertTimeIs: z.enum(['event', 'bar_open']).default('event'),
});
export type IntakeConfigInput = z.input<typeof IntakeConfigSchema>;

export type IntakeUnauthorizedCode = 'ip_not_allowed' | 'bad_secret';
export type IntakeRejectCode =
	| 'unrecognized_symbol'
	| 'not_whitelisted'
	| 'no_tradable_token'
	| 'stale'
	| 'future_time';

export interface IntakeGate {
	name: 'symbol' | 'whitelist' | 'staleness';
	passed: boolean;
	detail: string;
}

/** The alert in the service's terms. `asset`/`symbol` are canonical (MATIC → POL). */
export interface NormalizedAlert {
	key: string;
	alertId: string | null;
	action: AlertAction;
	/** `buy` opens or adds to a long; `sell`/`exit` close it. */
	intent: 'open' | 'close';
	symbol: string;
	/** The pair as sent, before aliasing (`MATIC/USDT`). */
	originalSymbol: string;
	base: string;
	quote: string;
	contract: ContractKind;
	exchange: string | null;
	/** Whitelist tier, null when not whitelisted. */
	tier: WhitelistTier | null;
	interval: string | null;
	timeMs: number;
	close: number;
	vwap: number | null;
	stop: number | null;
	target: number | null;
	notes: string[];
}

export type IntakeOutcome =
	| { status: 'unauthorized'; reasonCode: IntakeUnauthorizedCode; reason: string }
	| {
			status: 'approved' | 'rejected';
			/** null when approved. */
			reasonCode: IntakeRejectCode | null;
			reason: string;
			key: string;
			gates: IntakeGate[];
			/** null only when the ticker is not a recognisable pair. */
			normalized: NormalizedAlert | null;
	  };

export interface IntakeRequestMeta {
	/** Peer address of the HTTP request (checked only when `ipAllowlist` is set). */
	sourceIp?: string;
	/**
	 * The secret the caller already verified against `expectedSecret` (read from the raw body before
	 * parsing). When the parsed alert carries exactly this string the check is not repeated; any
	 * other value is verified as usual.
	 */
	verifiedSecret?: string;
}

type ValidatedConfig = { cfg: z.output<typeof IntakeConfigSchema>; whitelist: ReturnType<typeof resolveWhitelistConfig> };

/** Deep-frozen configurations (shared between requests) are validated once. */
const validatedConfigs = new WeakMap<IntakeConfigInput, ValidatedConfig>();

function validateConfig(config: IntakeConfigInput): ValidatedConfig {
	const cached = validatedConfigs.get(config);
	if (cached !== undefined) return cached;
	const parsed = IntakeConfigSchema.safeParse(config);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new InvalidInputError(`intake config ${issue.path.join('.')}: ${issue.message}`, [
			'config',
			...(issue.path as (string | number)[]),
		]);
	}
	const validated = { cfg: parsed.data, whitelist: resolveWhitelistConfig(parsed.data.whitelist) };
	if (Object.isFrozen(config)) validatedConfigs.set(config, validated);
	return validated;
}

export function evaluateIntake(
	alert: TradingViewAlert,
	config: IntakeConfigInput,
	nowMs: number,
	request: IntakeRequestMeta = {},
): IntakeOutcome {
	const { cfg, whitelist } = validateConfig(config);

	if (cfg.ipAllowlist !== null) {
		const list = cfg.ipAllowlist === 'tradingview' ? TRADINGVIEW_WEBHOOK_IPS : cfg.ipAllowlist;
		if (!isAllowedSourceIp(request.sourceIp, list)) {
			return {
				status: 'unauthorized',
				reasonCode: 'ip_not_allowed',
				reason: 'source address is not in the webhook IP allowlist',
			};
		}
	}
	const verified = request.verifiedSecret !== undefined && alert.secret === request.verifiedSecret;
	if (!verified && !verifySecret(alert.secret, cfg.expectedSecret)) {
		return { status: 'unauthorized', reasonCode: 'bad_secret', reason: 'missing or wrong secret' };
	}

	const key = alertKey(alert);
	const gates: IntakeGate[] = [];
	const failures: { code: IntakeRejectCode; reason: string }[] = [];
	const fail = (gate: IntakeGate['name'], code: IntakeRejectCode, reason: string) => {
		gates.push({ name: gate, passed: false, detail: reason });
		failures.push({ code, reason });
	};

	let normalized: NormalizedAlert | null = null;
	try {
		const pair = normalizeSymbol(alert.ticker, alert.exchange);
		gates.push({ name: 'symbol', passed: true, detail: `${alert.ticker} → ${pair.symbol} (${pair.contract})` });
		const notes: string[] = [];
		if (pair.contract === 'perpetual')
			notes.push(`${alert.ticker} is a perpetual swap chart; the signal is sized and traded as spot ${pair.base}`);
		const listed = checkWhitelist(pair.base, whitelist);
		let asset = pair.base;
		let tier: WhitelistTier | null = null;
		if (listed.allowed) {
			asset = listed.asset;
			tier = listed.tier;
			if (listed.note) notes.push(listed.note);
			gates.push({
				name: 'whitelist',
				passed: true,
				detail: `${asset} is tier ${tier}${listed.note ? `; ${listed.note}` : ''}`,
			});
		} else {
			fail('whitelist', listed.reasonCode, listed.reason);
		}
		normalized = {
			key,
			alertId: alert.alertId,
			action: alert.action,
			intent: alert.action === 'buy' ? 'open' : 'close',
			symbol: `${asset}/${pair.quote}`,
			originalSymbol: pair.symbol,
			base: asset,
			quote: pair.quote,
			contract: pair.contract,
			exchange: pair.exchange,
			tier,
			interval: alert.interval,
			timeMs: alert.timeMs,
			close: alert.close,
			vwap: alert.vwap,
			stop: alert.stop,
			target: alert.target,
			notes,
		};
	} catch (error) {
		if (!(error instanceof InvalidInputError)) throw error;
		fail('symbol', 'unrecognized_symbol', error.message);
	}

	let eventTimeMs = alert.timeMs;
	let timeNote = '';
	if (cfg.alertTimeIs === 'bar_open') {
		const intervalMs = parseIntervalMs(alert.interval);
		if (intervalMs === null) timeNote = ` (interval "${alert.interval ?? ''}" unknown: time taken as the event time)`;
		else {
			eventTimeMs += intervalMs;
			timeNote = ` (bar open + ${intervalMs} ms interval)`;
		}
	}
	const staleness = checkStaleness(eventTimeMs, nowMs, cfg.maxLagMs, cfg.maxFutureSkewMs);
	if (staleness.passed) gates.push({ name: 'staleness', passed: true, detail: staleness.detail + timeNote });
	else fail('staleness', staleness.reasonCode!, staleness.detail + timeNote);

	const first = failures[0];
	return first
		? { status: 'rejected', reasonCode: first.code, reason: first.reason, key, gates, normalized }
		: { status: 'approved', reasonCode: null, reason: 'all intake gates passed', key, gates, normalized };
}
