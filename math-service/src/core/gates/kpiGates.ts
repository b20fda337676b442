/**
 * @module gates/kpiGates
 * The design seeds' KPI gates on a backtest: enough trades over enough time to mean something
 * (≥ 500 trades, ≥ 2 years), and an edge worth trading (win rate ≥ 55%, profit factor ≥ 1.4,
 * max drawdown < 15%, Sharpe > 1.0 — seed 1; seed 2 asks Sharpe > 2.0). Each gate reports its
 * measured value, threshold and comparator, so a failure says by how much. A value that cannot be
 * measured (null: no trades, no losing trade for the profit factor, zero variance for Sharpe) fails
 * its gate: a gate passes only on evidence. LIVE execution refuses a strategy whose latest backtest
 * fails (execution/livePermission.ts); this module only evaluates.
 */

import { InvalidInputError } from '../../errors.js';

export type KpiComparator = '>=' | '>' | '<=' | '<';

export interface KpiGate {
	name: 'trade_count' | 'span_years' | 'win_rate' | 'profit_factor' | 'max_drawdown' | 'sharpe_ratio';
	passed: boolean;
	/** Measured value (ratios as fractions: 0.55 = 55%); null when not measurable. */
	value: number | null;
	threshold: number;
	comparator: KpiComparator;
}

export interface KpiThresholds {
	minTradeCount: number;
	minSpanYears: number;
	minWinRate: number;
	minProfitFactor: number;
	/** Max drawdown must stay strictly below this fraction. */
	maxDrawdownRatio: number;
	/** Annualised Sharpe must be strictly above this. */
	minSharpeRatio: number;
}

export type KpiProfile = 'seed1' | 'seed2';

const SEED1: KpiThresholds = Object.freeze({
	minTradeCount: 500,
	minSpanYears: 2,
	minWinRate: 0.55,
	minProfitFactor: 1.4,
	maxDrawdownRatio: 0.15,
	minSharpeRatio: 1.0,
});

/** Seed 1 ("Sharpe > 1.0") and seed 2 ("Sharpe > 2.0"); every other threshold is shared. */
export const KPI_PROFILES: Readonly<Record<KpiProfile, Readonly<KpiThresholds>>> = Object.freeze({
	seed1: SEED1,
	seed2: Object.freeze({ ...SEED1, minSharpeRatio: 2.0 }),
});

/** What the gates read; a BacktestResult provides it (see {@link kpiInputOf}). */
export interface KpiInput {
	tradeCount: number;
	spanYears: number;
	winRate: number | null;
	profitFactor: number | null;
	maxDrawdownRatio: number | null;
	sharpeRatio: number | null;
}

/** The subset of a BacktestResult the gates need (kept structural so gates do not import the backtester). */
export interface BacktestLike {
	trades: readonly unknown[];
	spanYears: number;
	metrics: { maxDrawdownRatio: number | null; sharpeRatio: number | null } | null;
	tradeStats: { winRate: number | null; profitFactor: number | null } | null;
}

export function kpiInputOf(result: BacktestLike): KpiInput {
	return {
		tradeCount: result.trades.length,
		spanYears: result.spanYears,
		winRate: result.tradeStats?.winRate ?? null,
		profitFactor: result.tradeStats?.profitFactor ?? null,
		maxDrawdownRatio: result.metrics?.maxDrawdownRatio ?? null,
		sharpeRatio: result.metrics?.sharpeRatio ?? null,
	};
}

export interface KpiEvaluation {
	passed: boolean;
	thresholds: KpiThresholds;
	gates: KpiGate[];
}

function compare(value: number | null, comparator: KpiComparator, threshold: number): boolean {
	if (value === null || !Number.isFinite(value)) return false;
	switch (comparator) {
		case '>=': return value >= threshold;
		case '>': return value > threshold;
		case '<=': return value <= threshold;
		case '<': return value < threshold;
	}
}

/**
 * Evaluates the KPI gates on a backtest result (or its {@link KpiInput}). `profile` is a named
 * profile (default `seed1`) or thresholds overriding seed 1's.
 */
export function evaluateKpiGates(result: BacktestLike | KpiInput, profile: KpiProfile | Partial<KpiThresholds> = 'seed1'): KpiEvaluation {
	let thresholds: KpiThresholds;
	if (typeof profile === 'string') {
		if (!(profile in KPI_PROFILES)) throw new InvalidInputError(`unknown KPI profile "${profile}" (seed1 or seed2)`, ['profile']);
		thresholds = { ...KPI_PROFILES[profile] };
	} else thresholds = { ...SEED1, ...profile };
	const input = 'trades' in result ? kpiInputOf(result) : result;
	const gate = (name: KpiGate['name'], value: number | null, comparator: KpiComparator, threshold: number): KpiGate =>
		({ name, passed: compare(value, comparator, threshold), value, threshold, comparator });
	const gates = [
		gate('trade_count', input.tradeCount, '>=', thresholds.minTradeCount),
		gate('span_years', input.spanYears, '>=', thresholds.minSpanYears),
		gate('win_rate', input.winRate, '>=', thresholds.minWinRate),
		gate('profit_factor', input.profitFactor, '>=', thresholds.minProfitFactor),
		gate('max_drawdown', input.maxDrawdownRatio, '<', thresholds.maxDrawdownRatio),
		gate('sharpe_ratio', input.sharpeRatio, '>', thresholds.minSharpeRatio),
	];
	return { passed: gates.every((g) => g.passed), thresholds, gates };
}
