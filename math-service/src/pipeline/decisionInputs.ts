/**
 * @module pipeline/decisionInputs
 * The inputs of a risk decision that do not depend on the account and may be slow, gathered before
 * the decision transaction:
 * - Kelly: win rate p, average win and average loss (returns on the position's notional) of the
 *   strategy's most recent `kelly_window` closed trades on this symbol (trade log), when there are
 *   at least `kelly_min_sample`; otherwise the configured prior (default p 0.5, 3 % vs 2 %, payoff
 *   1.5). Full Kelly f* = p − (1 − p)/b, b = avg win/avg loss; fractional Kelly = max(0, f*) ×
 *   `kelly_fraction` (0.25); the position ratio used is min(fractional Kelly, `max_position_ratio`).
 * - VaR: historical VaR at `var_confidence` (95 %) of the asset's simple returns c_t/c_{t−1} − 1 of
 *   the last `var_lookback` stored `var_timeframe` candles (daily by default), as a positive loss
 *   fraction; fewer than `var_min_returns` returns → null ("no data": the gate passes with a note,
 *   unless `on_missing_var` is "reject").
 * - LLM: the advisory cross-check (llm/kellyAdvisor), asked only when OLLAMA_HOST is set and
 *   `llm.enabled` is not false. It never changes a number; it is reported on the receipt.
 */
import { kellyPosition } from '../core/kelly/kellyPosition.js';
import { kellyInputsFromTrades, type RecordedTrade } from '../core/risk/kellyInputsFromTrades.js';
import { valueAtRisk } from '../core/var/valueAtRisk.js';
import { adviseKelly, type KellyAdvice } from '../llm/kellyAdvisor.js';
import type { Repositories } from '../storage/openStorage.js';
import { recentCloses } from './accountState.js';
import type { PipelineSettings } from './pipelineSettings.js';
import type { Thresholds } from './thresholds.js';

export interface KellyBlock {
	win_rate: number;
	avg_win: number;
	avg_loss: number;
	payoff_ratio: number;
	source: 'trade_log' | 'prior';
	n: number;
	wins: number;
	losses: number;
	min_sample: number;
	/** Full Kelly f* (may be negative). */
	kelly_fraction: number;
	/** The multiplier applied (0.25 = quarter Kelly). */
	fraction: number;
	/** max(0, f*) × fraction, fraction of equity. */
	fractional_kelly: number;
	cap_ratio: number;
	note: string;
}

export interface VarBlock {
	var_ratio: number | null;
	method: 'historical';
	confidence: number;
	timeframe: string;
	n_returns: number;
	note: string;
}

export type LlmBlock = Omit<KellyAdvice, 'deterministicFractionalKelly' | 'llmFractionalKelly' | 'deltaAbs' | 'latencyMs'> & {
	deterministic_fractional_kelly: number;
	llm_fractional_kelly: number | null;
	delta_abs: number | null;
	latency_ms: number;
};

export async function kellyBlockFor(repos: Repositories, t: Thresholds, symbol: string): Promise<KellyBlock> {
	return kellyBlockOf(await repos.tradeLog.recent({ strategy: t.strategy, symbol, limit: t.kellyWindow }), t);
}

/** The Kelly block from the strategy's recent closed trades on the symbol (newest first). */
export function kellyBlockOf(trades: readonly RecordedTrade[], t: Thresholds): KellyBlock {
	const inputs = kellyInputsFromTrades(trades, { minSample: t.kellyMinSample, prior: t.kellyPrior });
	const k = kellyPosition({ winRate: inputs.winRate, avgWin: inputs.avgWin, avgLoss: inputs.avgLoss, fraction: t.kellyFraction, cap: t.maxPositionRatio });
	return {
		win_rate: inputs.winRate,
		avg_win: inputs.avgWin,
		avg_loss: inputs.avgLoss,
		payoff_ratio: inputs.avgWin / inputs.avgLoss,
		source: inputs.source === 'recorded' ? 'trade_log' : 'prior',
		n: inputs.n,
		wins: inputs.wins,
		losses: inputs.losses,
		min_sample: t.kellyMinSample,
		kelly_fraction: k.kellyFraction,
		fraction: t.kellyFraction,
		fractional_kelly: k.fractionalKelly,
		cap_ratio: t.maxPositionRatio,
		note: inputs.note,
	};
}

export async function varBlockFor(repos: Repositories, t: Thresholds, symbol: string, nowMs: number): Promise<VarBlock> {
	return varBlockOf(await recentCloses(repos, symbol, t.varTimeframe, t.varLookback, nowMs), t, symbol);
}

/** The VaR block from the asset's recent closes at `t.varTimeframe`, oldest first. */
export function varBlockOf(closes: readonly number[], t: Thresholds, symbol: string): VarBlock {
	const returns: number[] = [];
	for (let i = 1; i < closes.length; i++) {
		const prev = closes[i - 1]!;
		const cur = closes[i]!;
		if (prev > 0 && Number.isFinite(cur)) returns.push(cur / prev - 1);
	}
	const base = { method: 'historical' as const, confidence: t.varConfidence, timeframe: t.varTimeframe, n_returns: returns.length };
	if (returns.length < t.varMinReturns) {
		return { ...base, var_ratio: null, note: `no data: ${returns.length} ${t.varTimeframe} return(s) stored for ${symbol}, VaR needs ${t.varMinReturns}` };
	}
	const v = valueAtRisk(returns, { confidence: t.varConfidence, method: 'historical' });
	return {
		...base,
		var_ratio: v.var,
		note: v.var === null ? `VaR undefined: ${v.reason ?? 'unknown'}` : `historical ${t.varConfidence * 100}% VaR of ${returns.length} ${t.varTimeframe} returns`,
	};
}

/** True when the decision asks the LLM (a network call, made before the decision transaction). */
export function asksLlm(settings: PipelineSettings, t: Thresholds): boolean {
	return settings.ollamaHost !== null && t.llm.enabled !== false;
}

export async function llmBlockFor(settings: PipelineSettings, t: Thresholds, kelly: KellyBlock): Promise<LlmBlock> {
	if (!asksLlm(settings, t)) return llmBlockWithoutLlm(settings, t, kelly);
	const model = t.llm.model ?? settings.ollamaModel;
	const tolerance = t.llm.tolerance ?? settings.llmTolerance;
	const advice = await adviseKelly(
		{ host: settings.ollamaHost!, model, timeoutMs: t.llm.timeoutMs ?? settings.ollamaTimeoutMs, tolerance },
		{ winRate: kelly.win_rate, avgWin: kelly.avg_win, avgLoss: kelly.avg_loss, fraction: kelly.fraction },
		kelly.fractional_kelly,
	);
	return llmBlockOf(advice);
}

/** The receipt's LLM block when no model is asked (OLLAMA_HOST unset or thresholds.llm.enabled false). */
export function llmBlockWithoutLlm(settings: PipelineSettings, t: Thresholds, kelly: KellyBlock): LlmBlock {
	return llmBlockOf({
		status: 'unavailable',
		model: t.llm.model ?? settings.ollamaModel,
		deterministicFractionalKelly: kelly.fractional_kelly,
		llmFractionalKelly: null,
		deltaAbs: null,
		tolerance: t.llm.tolerance ?? settings.llmTolerance,
		rationale: null,
		note: settings.ollamaHost === null ? 'LLM not configured (OLLAMA_HOST unset); deterministic value used.' : 'LLM cross-check disabled by thresholds.llm.enabled; deterministic value used.',
		latencyMs: 0,
	});
}

function llmBlockOf(advice: KellyAdvice): LlmBlock {
	return {
		status: advice.status,
		model: advice.model,
		deterministic_fractional_kelly: advice.deterministicFractionalKelly,
		llm_fractional_kelly: advice.llmFractionalKelly,
		delta_abs: advice.deltaAbs,
		tolerance: advice.tolerance,
		rationale: advice.rationale,
		note: advice.note,
		latency_ms: advice.latencyMs,
	};
}
