/**
 * @module risk/RiskGate
 * The one interface every risk rule implements (freqtrade "protections" style): a named plugin
 * with a zod config schema, defaults (the seed's risk table), and a pure `evaluate(ctx, config)`.
 * `evaluateRiskGates` runs the registered gates in order; see `riskGates.ts` for the registry.
 *
 * Units: money amounts in the account currency (quote, e.g. USDT); `...Ratio` are fractions of
 * equity (0.10 = 10 %); `...Ms` Unix milliseconds / durations. Long-only spot: quantities ≥ 0.
 */
import type { ZodType } from 'zod';

export interface OpenPosition {
	/** `BASE/QUOTE`; positions are grouped per asset by BASE (BTC/USDT and BTC/USDC are one asset). */
	symbol: string;
	quantity: number;
	entryPrice: number;
	/** Current protective stop; null = no stop (its whole value counts as risk to stop). */
	stopPrice: number | null;
	/** Latest price used for mark-to-market. */
	markPrice: number;
	openedAtMs: number;
}

export interface RiskCandidate {
	symbol: string;
	/** Expected entry price (> 0). */
	entry: number;
	/** Protective stop (must be below entry for a long). */
	stop: number;
	/** Take-profit level. */
	target: number;
	/** Notional as a fraction of equity (from Kelly); kept equal to quantity × entry / equity. */
	positionRatio: number;
	/** Units of the base asset; authoritative (resizes change it). */
	quantity: number;
}

export interface RiskGateContext {
	nowMs: number;
	/** Mark-to-market equity = cash + Σ quantity × markPrice. */
	equity: number;
	/** Free cash in the account currency. */
	cash: number;
	openPositions: OpenPosition[];
	/** Equity at 00:00 UTC of the current day (the caller rolls it over at midnight). */
	dayStartEquity: number;
	/** Persisted halt: no new entries while `haltUntilMs > nowMs`. */
	haltUntilMs: number | null;
	candidate: RiskCandidate;
	/** 1-period VaR of the asset's returns as a positive loss fraction (0.04 = 4 %); null = unknown. */
	varPerPositionRatio?: number | null;
	/** News panic score 0–100 known at decision time (core/alpha/newsSentiment); null = unknown. */
	panicScore?: number | null;
	/** The operator's kill switch (desk_state): set while the desk is halted; null/absent = trading. */
	operatorHalt?: { sinceMs: number; by: string } | null;
}

export type RiskReasonCode =
	| 'no_equity'
	| 'zero_size'
	| 'halted'
	| 'daily_drawdown_halt'
	| 'operator_halt'
	| 'invalid_levels'
	| 'reward_risk_below_min'
	| 'max_position_per_asset'
	| 'portfolio_heat'
	| 'insufficient_cash'
	| 'var_budget'
	| 'var_unavailable'
	| 'panic_switch'
	| 'panic_unavailable';

export interface RiskGateResult {
	name: string;
	passed: boolean;
	/** The measured quantity (after any resize), null when undefined (say why in `detail`). */
	value: number | null;
	/** The configured limit `value` is compared with. */
	limit: number;
	detail: string;
	/** reject: the entry is refused; resize: passed at `resizedQuantity`; halt: refused and `haltUntilMs` must be persisted. */
	action?: 'reject' | 'resize' | 'halt';
	reasonCode?: RiskReasonCode;
	haltUntilMs?: number;
	resizedQuantity?: number;
}

export interface RiskGate<C> {
	name: string;
	/** One line for docs and the n8n parameter description. */
	description: string;
	configSchema: ZodType<C>;
	defaults: C;
	evaluate(ctx: RiskGateContext, config: C): RiskGateResult;
}

/** Relative tolerance on limit comparisons, so a size resized to exactly the limit passes despite rounding. */
export const LIMIT_EPSILON = 1e-9;

/** Base asset of a `BASE/QUOTE` symbol (upper-case). */
export function baseAsset(symbol: string): string {
	return symbol.split('/')[0]!.trim().toUpperCase();
}
