/**
 * @module report/formatSweepSummary
 * A few plain-text lines summarising a sweep JSON for the terminal and a chat message: the grid
 * size, the best row by Sharpe with its KPI verdict, the overfitting guard beside it (deflated
 * Sharpe: probability the best Sharpe is real after N trials; PBO: probability the in-sample winner
 * is below the median out of sample), and the walk-forward out-of-sample record when present.
 */
import type { SweepJson } from './runSweepReport.js';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');

export function formatSweepSummary(json: SweepJson): string {
	const lines = [`${json.data.symbol} ${json.data.timeframe} ${json.data.from} → ${json.data.to}: ${json.combinations} combinations`];
	if (json.best === null) lines.push('best: none (no combination traded)');
	else {
		const p = json.best.params;
		lines.push(`best by Sharpe: stdev ${p.stdev_length}, k ${p.deviation_threshold}, EMA ${p.trend_ema_length}, stop ${p.stop_ratio} → ${json.best.trade_count} trades, return ${pct(json.best.total_return)}, Sharpe ${num(json.best.full_metrics.sharpe_ratio)}, KPI gates seed 1 ${json.best.gates.seed1.passed ? 'PASS' : 'FAIL'}`);
	}
	const o = json.overfitting;
	const pbo = o.pbo as { pbo: number } | null;
	lines.push(`overfitting guard: deflated Sharpe ${num(o.deflated_sharpe_ratio)} over ${o.trials} trials, PBO ${pbo === null ? 'n/a' : num(pbo.pbo)}`);
	const wf = json.walk_forward as { metrics: Record<string, number | null>; trade_count: number; gates: { seed1: { passed: boolean } } } | undefined;
	if (wf !== undefined) lines.push(`walk-forward out of sample: ${wf.trade_count} trades, return ${pct(wf.metrics.total_return_ratio)}, Sharpe ${num(wf.metrics.sharpe_ratio)}, max drawdown ${pct(wf.metrics.max_drawdown_ratio)}, KPI gates seed 1 ${wf.gates.seed1.passed ? 'PASS' : 'FAIL'}`);
	return lines.join('\n');
}
