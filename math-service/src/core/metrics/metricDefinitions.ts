/**
 * @module metricDefinitions
 * One-paragraph definitions of every number the math service reports, keyed by its snake_case
 * wire name. They are the OpenAPI descriptions of /v1/metrics, /v1/var and /v1/kelly, so a user
 * reading Swagger sees the same formula, units and null rule the code implements.
 */

export const METRIC_DEFINITIONS: Record<string, string> = {
	periods:
		'Number of returns (periods) in the series. Every annualised figure uses years = periods / periods_per_year.',
	total_return_ratio:
		'Cumulative compounded return, product of (1 + r_i) minus 1, as a fraction (0.25 = +25%). Null for an empty series. Source: empyrical cum_returns_final.',
	cagr_ratio:
		'Compound annual growth rate: (final equity)^(1/years) - 1 with years = periods / periods_per_year, as a fraction per year. Null for an empty series, a negative final equity, or when extrapolating a short series to a year overflows. Source: empyrical annual_return.',
	annual_volatility_ratio:
		'Sample standard deviation of returns (ddof=1) times sqrt(periods_per_year), as a fraction per year. 0 for a constant series (spread at floating-point noise level, at most 1e-10 of the largest |return|); null with fewer than 2 returns. Source: empyrical annual_volatility.',
	sharpe_ratio:
		'Annualised Sharpe ratio with a zero risk-free rate: mean(r) / std(r, ddof=1) * sqrt(periods_per_year). Null with fewer than 2 returns or when the standard deviation is zero or floating-point noise (at most 1e-10 of the largest |return|); never a 1e16 sentinel. Source: empyrical sharpe_ratio.',
	sortino_ratio:
		'Annualised Sortino ratio with required return 0: mean(r) * periods_per_year divided by the downside deviation sqrt(sum(min(r_i, 0)^2) / n) * sqrt(periods_per_year), the mean of squared shortfalls taken over ALL n periods. Null with fewer than 2 returns or when no return is negative (downside deviation 0). Source: empyrical sortino_ratio / downside_risk.',
	max_drawdown_ratio:
		'Largest fall of the compounded equity curve from its running peak, as a positive fraction of that peak (0.2 = 20% below the peak); the equity starts at 1 before the first return, so a first-period loss counts. 0 when the curve never falls; null for an empty series. Source: empyrical max_drawdown (reported there as a negative number).',
	max_drawdown_duration_periods:
		'Length in periods of the maximum drawdown: from the last period at which equity stood at the peak it is measured from, to the first later period at which equity is back at or above that peak, or to the end of the series if it has not recovered. 0 when there is no drawdown; the first of equally deep drawdowns is used.',
	calmar_ratio:
		'CAGR divided by the maximum drawdown (both fractions). Null when there is no drawdown, when CAGR is null, or the quotient is not finite. Source: empyrical calmar_ratio.',
	omega_ratio:
		'Omega ratio at threshold 0: sum of positive returns divided by the magnitude of the sum of negative returns. Null with fewer than 2 returns or no negative return. Source: empyrical omega_ratio (required_return 0).',
	tail_ratio:
		'Absolute 95th percentile of returns divided by the absolute 5th percentile (numpy linear interpolation between order statistics); 0.25 means losses in the tail are four times the gains. Null for an empty series or a 5th percentile of exactly 0. Source: empyrical tail_ratio.',
	trade_count: 'Number of closed trades, including breakeven trades (pnl exactly 0).',
	win_count: 'Number of winning trades (pnl strictly greater than 0).',
	loss_count: 'Number of losing trades (pnl strictly less than 0).',
	breakeven_count:
		'Number of trades with pnl exactly 0. They count as trades (and in the win-rate denominator) but as neither a win nor a loss.',
	win_rate:
		'Winning trades divided by all trades (breakeven trades included in the denominator), a fraction in [0, 1]. Null with no trades.',
	profit_factor:
		'Gross profit (sum of winning pnl) divided by gross loss (magnitude of the sum of losing pnl). Null when there is no losing trade.',
	payoff_ratio:
		'Average winning trade divided by the average losing trade (magnitude), the b in the Kelly formula. Null unless there is at least one win and one loss.',
	expectancy:
		'Average pnl per trade over all trades, equal to win_rate * avg_win - loss_rate * avg_loss, in the unit of pnl. Null with no trades.',
	avg_win: 'Mean pnl of winning trades, in the unit of pnl. Null with no winning trade.',
	avg_loss: 'Mean loss of losing trades as a positive magnitude, in the unit of pnl. Null with no losing trade.',
	var:
		'Value at Risk: the loss not exceeded with the given confidence over the horizon, as a positive fraction (0.031 = 3.1% loss). Historical: minus the (1 - confidence) percentile of returns (numpy linear interpolation). Parametric: -(mean + z * sigma) with population sigma (PerformanceAnalytics). Cornish-Fisher: the same with z replaced by its skewness/kurtosis-adjusted quantile; null with a reason when that quantile is a gain or the returns have zero variance (skewness undefined). Horizon h scales the 1-period figure by sqrt(h). Negative historical/parametric values mean even the tail quantile is a gain.',
	cvar:
		'Conditional VaR (expected shortfall): the average loss in the worst (1 - confidence) tail, a positive fraction. Historical: minus the mean of the floor((n - 1) * (1 - confidence)) + 1 smallest returns (empyrical conditional_value_at_risk). Parametric: -mean + sigma * phi(z) / (1 - confidence). Cornish-Fisher: PerformanceAnalytics modified (operational) ES, never below the Cornish-Fisher VaR; null with a reason when negative or not finite. Scaled by sqrt(horizon).',
	kelly_fraction:
		'Full Kelly fraction f* = p - (1 - p) / b with p the win rate and b = avg_win / avg_loss, a fraction of capital; negative means no edge.',
	fractional_kelly: 'max(0, f*) times the Kelly multiplier (default 0.25, quarter-Kelly), a fraction of capital.',
	position_pct: 'min(fractional_kelly, cap) * 100: the position to take, in percent of capital (0-100).',
};
