/**
 * @module pipeline/reasonCodes
 * Every `reason_code` the pipeline answers with, stable across versions (n8n workflows and the
 * Telegram card branch on them). docs/api.md renders this table. HTTP status: 401 for the
 * authentication codes, 200 for every business outcome (approved or rejected, stored as a decision).
 */
export const REASON_CODES = {
	approved: 'All intake and risk gates passed; in PAPER mode a paper position was opened.',
	exit: 'A sell/exit alert closed the open paper position(s) of this strategy and symbol.',
	bad_secret: '401: the body\'s secret is missing or wrong. Nothing stored.',
	ip_not_allowed: '401: the source address is not in the webhook IP allowlist. Nothing stored.',
	unrecognized_symbol: 'The ticker is not a trading pair (index, dominance chart, unknown quote).',
	not_whitelisted: 'The base asset is in no whitelist tier.',
	no_tradable_token: 'The asset is a network without a tradable token (BASE).',
	stale: 'The alert is older than max_lag_seconds.',
	future_time: 'The alert is dated further in the future than max_future_skew_seconds.',
	no_equity: 'Equity ≤ 0: nothing to size from.',
	zero_size: 'Kelly found no edge (fractional Kelly 0).',
	halted: 'A daily-drawdown halt is active (halt_hours after the −5 % day).',
	operator_halt: 'The operator halted the desk (/halt, POST /v1/desk/halt, Desk Control): no new entries until resumed.',
	daily_drawdown_halt: 'Equity fell by max_daily_drawdown_ratio since 00:00 UTC: this alert is refused and a halt starts.',
	invalid_levels: 'The stop is not below the entry: risk undefined for a long.',
	reward_risk_below_min: 'Reward/risk at entry is below min_reward_risk.',
	max_position_per_asset: 'The asset would exceed max_position_ratio of equity and no room is left to resize into.',
	portfolio_heat: 'Exposure would exceed max_heat_ratio of equity and no room is left to resize into.',
	insufficient_cash: 'The entry plus fee is not payable from paper cash.',
	var_budget: 'The position\'s VaR contribution exceeds max_var_ratio and cannot be resized.',
	var_unavailable: 'No VaR data and on_missing_var is "reject".',
	panic_switch: 'The news panic score is above max_panic_score: no new buys (the panic switch).',
	panic_unavailable: 'No news panic score known and on_missing_panic is "reject".',
	no_open_position: 'A sell/exit alert found no open paper position to close.',
	live_not_permitted: 'LIVE is armed but the strategy\'s latest recorded backtest fails the KPI gates (or none is recorded). No order placed.',
	live_min_notional: 'LIVE: the size rounded to the market\'s step is below its minimum quantity or notional. No order placed.',
	live_exchange_unavailable: 'LIVE: the market\'s rules could not be read from the exchange before deciding. No order placed.',
	live_order_rejected: 'LIVE: the exchange refused the order (filters, keys, or it expired unfilled); the reason is on the receipt. No position.',
	live_insufficient_balance: 'LIVE: the exchange account\'s balance does not cover the order. No position.',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;
