/**
 * @module report/formatBacktestSummary
 * A few plain-text lines summarising a backtest JSON, for the terminal and for a Telegram message
 * (the Backtester node posts it): what was tested, the headline numbers, and each KPI gate with its
 * measured value. Undefined numbers print as "n/a" (no trades, no losing trade, zero variance).
 */
import type { BacktestJson, GatesJson } from './backtestJson.js';

const pct = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));

/** One gate list as `name value ✓|✗`, e.g. `trade_count 12 ✗ (>= 500)`. */
export function formatGates(g: GatesJson): string {
	return g.gates
		.map((gate) => {
			const ratio = gate.name === 'win_rate' || gate.name === 'max_drawdown';
			const value = ratio ? pct(gate.value, 1) : gate.name === 'trade_count' ? String(gate.value ?? 'n/a') : num(gate.value);
			const threshold = ratio ? pct(gate.threshold, 0) : String(gate.threshold);
			return `${gate.name} ${value} ${gate.passed ? '✓' : '✗'} (${gate.comparator} ${threshold})`;
		})
		.join(', ');
}

export function formatBacktestSummary(json: BacktestJson): string {
	const p = json.params as Record<string, number>;
	const m = json.metrics;
	const d = json.data;
	const strategy =
		json.strategy === 'alpha_threshold'
			? `alpha threshold: entry score ${p.entry_score}, stop ${pct(p.stop_loss_ratio, 1)}, target R/R ${p.min_reward_risk}${json.alpha?.components_missing_everywhere.length ? ` (partial score: no ${json.alpha.components_missing_everywhere.join(', ')} data)` : ''}`
			: `stdev ${p.stdev_length}, k ${p.deviation_threshold}, EMA ${p.trend_ema_length}, stop ${pct(p.stop_ratio, 1)}`;
	return [
		`${d.symbol} ${d.timeframe} ${d.from} → ${d.to} (${d.bars} bars)`,
		`params: ${strategy}; fee ${pct(json.broker.fee_ratio as number, 3)}, slippage ${pct(json.broker.slippage_ratio as number, 3)}`,
		`trades ${json.trade_count} · win rate ${pct(m.win_rate, 1)} · profit factor ${num(m.profit_factor)} · max drawdown ${pct(m.max_drawdown_ratio)} · Sharpe ${num(m.sharpe_ratio)} · return ${pct(m.total_return_ratio)}`,
		`KPI gates seed 1: ${json.gates.seed1.passed ? 'PASS' : 'FAIL'} — ${formatGates(json.gates.seed1)}`,
		`KPI gates seed 2 (Sharpe > 2): ${json.gates.seed2.passed ? 'PASS' : 'FAIL'}`,
	].join('\n');
}
