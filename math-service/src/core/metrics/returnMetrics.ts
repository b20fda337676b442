/**
 * @module returnMetrics
 * The performance report of a return series: growth (total return, CAGR), risk (annual
 * volatility, max drawdown and its duration) and risk-adjusted return (Sharpe, Sortino, Calmar,
 * Omega, tail ratio), all as empyrical defines them with a zero risk-free rate and the caller's
 * periods per year (365 daily, 8760 hourly, 525600 minute — crypto trades every day).
 */
import { validatePeriodsPerYear, validateReturns } from '../stats/index.js';
import { annualVolatility } from './annualVolatility.js';
import { cagr } from './cagr.js';
import { calmarRatio } from './calmarRatio.js';
import { maxDrawdown } from './maxDrawdown.js';
import { omegaRatio } from './omegaRatio.js';
import { sharpeRatio } from './sharpeRatio.js';
import { sortinoRatio } from './sortinoRatio.js';
import { tailRatio } from './tailRatio.js';
import { totalReturn } from './totalReturn.js';

export interface ReturnMetrics {
	periods: number;
	totalReturnRatio: number | null;
	cagrRatio: number | null;
	annualVolatilityRatio: number | null;
	sharpeRatio: number | null;
	sortinoRatio: number | null;
	maxDrawdownRatio: number | null;
	maxDrawdownDurationPeriods: number | null;
	calmarRatio: number | null;
	omegaRatio: number | null;
	tailRatio: number | null;
}

/**
 * Every return-based metric at once; each field is the function of the same name (see its doc
 * comment for formula, units and when it is null).
 * Units: ...Ratio fields are fractions or dimensionless ratios; durations count periods.
 * Degenerate cases: an empty series gives periods 0 and every metric null.
 * Non-finite returns (loc ['returns', i]) or P ≤ 0 (loc ['periodsPerYear']) throw
 * `InvalidInputError`.
 * Source: quantopian/empyrical stats.py; definitions in METRIC_DEFINITIONS.
 */
export function returnMetrics(returns: ArrayLike<number>, periodsPerYear: number): ReturnMetrics {
	validateReturns(returns);
	validatePeriodsPerYear(periodsPerYear);
	const drawdown = maxDrawdown(returns);
	return {
		periods: returns.length,
		totalReturnRatio: totalReturn(returns),
		cagrRatio: cagr(returns, periodsPerYear),
		annualVolatilityRatio: annualVolatility(returns, periodsPerYear),
		sharpeRatio: sharpeRatio(returns, periodsPerYear),
		sortinoRatio: sortinoRatio(returns, periodsPerYear),
		maxDrawdownRatio: drawdown.maxDrawdownRatio,
		maxDrawdownDurationPeriods: drawdown.maxDrawdownDurationPeriods,
		calmarRatio: calmarRatio(returns, periodsPerYear),
		omegaRatio: omegaRatio(returns),
		tailRatio: tailRatio(returns),
	};
}
