/**
 * @module execution/livePermission
 * May this strategy trade this symbol with real money? LIVE execution refuses a
 * strategy and symbol whose latest recorded backtest fails the seed's KPI gates (≥ 500 trades,
 * ≥ 2 years, win rate ≥ 55 %, profit factor ≥ 1.4, max drawdown < 15 %, Sharpe > 1.0 on seed 1),
 * unless an operator explicitly overrides it (HFQ_LIVE_ALLOW_FAILING_BACKTEST=1 in the pipeline).
 *
 * - no recorded run → `no_backtest` (refused: no evidence is not a pass);
 * - latest run fails → `backtest_failed`, with every failing gate and its number;
 * - latest run passes → `backtest_passed`;
 * - the override turns the two refusals into `allowed: true, reason_code: 'override'` and keeps
 *   the failing gates on the answer, so the receipt shows what was overridden.
 * "Latest" is the newest run of the strategy and symbol (optionally one timeframe), whatever its
 * verdict: a newer failing run revokes an older pass. Permission says nothing about an exchange
 * adapter; placing an order is pipeline/liveExecution's business.
 */
import type { KpiProfile } from '../core/gates/kpiGates.js';
import type { GateJson } from '../report/backtestJson.js';
import type { BacktestRun } from '../storage/backtestRuns.js';
import type { Repositories } from '../storage/openStorage.js';

export type LivePermissionReason = 'backtest_passed' | 'no_backtest' | 'backtest_failed' | 'override';

export interface LivePermissionInput {
	/** The database or a transaction's repositories. */
	storage: Pick<Repositories, 'backtestRuns'>;
	strategy: string;
	symbol: string;
	/** Only runs of this timeframe count; any timeframe when omitted. */
	timeframe?: string;
	/** The operator's explicit override (never a request field). */
	overrideFailingBacktest: boolean;
}

export interface LivePermission {
	allowed: boolean;
	reason_code: LivePermissionReason;
	/** Human-readable reason, with the failing gates' numbers. */
	reason: string;
	/** The latest run consulted; null when none is recorded. */
	run_id: number | null;
	/** The KPI profile the run was judged by ('seed1' by default); null without a run. */
	gates_profile: KpiProfile | null;
	/** Gates the latest run failed (empty when it passed or none exists). */
	failed_gates: GateJson[];
}

const describeGate = (g: GateJson) => `${g.name} ${g.value ?? 'n/a'} (needs ${g.comparator} ${g.threshold})`;

function failedGatesOf(run: BacktestRun): GateJson[] {
	return (run.gates[run.gatesProfile]?.gates ?? []).filter((g) => !g.passed);
}

export async function liveTradingPermission(input: LivePermissionInput): Promise<LivePermission> {
	const { strategy, symbol, timeframe } = input;
	const run = await input.storage.backtestRuns.latestFor({ strategy, symbol, ...(timeframe !== undefined && { timeframe }) });
	const what = `${strategy} on ${symbol}${timeframe === undefined ? '' : ` ${timeframe}`}`;
	const override = input.overrideFailingBacktest;
	if (run === null) {
		return {
			allowed: override,
			reason_code: override ? 'override' : 'no_backtest',
			reason: override
				? `no backtest recorded for ${what}; LIVE allowed by the operator override HFQ_LIVE_ALLOW_FAILING_BACKTEST=1`
				: `no backtest recorded for ${what}: LIVE needs a recorded backtest that passes the KPI gates (POST /v1/backtests or npm run backtest -- --db …)`,
			run_id: null,
			gates_profile: null,
			failed_gates: [],
		};
	}
	const failed = failedGatesOf(run);
	if (run.gatesPassed) {
		return { allowed: true, reason_code: 'backtest_passed', reason: `latest backtest #${run.id} of ${what} passes the ${run.gatesProfile} KPI gates`, run_id: run.id, gates_profile: run.gatesProfile, failed_gates: [] };
	}
	const failing = `latest backtest #${run.id} of ${what} fails the ${run.gatesProfile} KPI gates: ${failed.map(describeGate).join(', ')}`;
	return {
		allowed: override,
		reason_code: override ? 'override' : 'backtest_failed',
		reason: override ? `${failing}; LIVE allowed by the operator override HFQ_LIVE_ALLOW_FAILING_BACKTEST=1` : failing,
		run_id: run.id,
		gates_profile: run.gatesProfile,
		failed_gates: failed,
	};
}
