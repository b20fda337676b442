/**
 * @module intake
 * Signal intake: TradingView webhook body → typed alert → authenticated, whitelisted, fresh signal.
 * Shared by `POST /v1/signals/tradingview` and the n8n Signal Intake node. Pure (no I/O, no clock).
 *
 * Typical route:
 * ```ts
 * const alert = parseTradingViewBody(await c.req.text(), c.req.header('content-type')); // AlertParseError → err.httpStatus
 * const outcome = evaluateIntake(alert, { expectedSecret, ipAllowlist, whitelist, maxLagMs }, nowMs, { sourceIp });
 * if (outcome.status === 'unauthorized') return c.json({ error: outcome.reasonCode }, 401); // store nothing
 * const previous = await store.findDecision(outcome.key); // duplicate: return it with duplicate: true
 * ```
 */
export { AlertParseError, ALERT_PARSE_HTTP_STATUS, type AlertParseReasonCode } from './AlertParseError.js';
export { alertKey } from './alertKey.js';
export {
	checkStaleness,
	DEFAULT_MAX_FUTURE_SKEW_MS,
	DEFAULT_MAX_LAG_MS,
	type StalenessResult,
} from './checkStaleness.js';
export {
	evaluateIntake,
	IntakeConfigSchema,
	type IntakeConfigInput,
	type IntakeGate,
	type IntakeOutcome,
	type IntakeRejectCode,
	type IntakeRequestMeta,
	type IntakeUnauthorizedCode,
	type NormalizedAlert,
} from './evaluateIntake.js';
export { findUnexpandedPlaceholders } from './findUnexpandedPlaceholders.js';
export { isAllowedSourceIp, TRADINGVIEW_WEBHOOK_IPS } from './isAllowedSourceIp.js';
export { KNOWN_QUOTES, normalizeSymbol, type ContractKind, type NormalizedSymbol } from './normalizeSymbol.js';
export { parseAlertTime } from './parseAlertTime.js';
export { parseIntervalMs } from './parseIntervalMs.js';
export { MAX_ALERT_BODY_BYTES, parseTradingViewBody } from './parseTradingViewBody.js';
export {
	ACTIONS,
	ALERT_STRING_LIMITS,
	TradingViewAlertWireSchema,
	type AlertAction,
	type TradingViewAlert,
} from './tradingViewAlertSchema.js';
export { verifySecret } from './verifySecret.js';
export {
	checkWhitelist,
	DEFAULT_WHITELIST,
	parseAssetList,
	resolveWhitelistConfig,
	WhitelistConfigSchema,
	WhitelistConfigShape,
	type WhitelistConfig,
	type WhitelistConfigInput,
	type WhitelistResult,
	type WhitelistTier,
} from './whitelist.js';
