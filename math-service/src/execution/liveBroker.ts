/**
 * @module execution/liveBroker
 * The LIVE execution gate. Real money moves only when BOTH hold:
 * 1. the service runs with `HFQ_MODE=LIVE` (exactly; anything else is PAPER), and
 * 2. the strategy's latest backtest passes the seed's KPI gates (≥ 500 trades, ≥ 2 years, win rate
 *    ≥ 55 %, profit factor ≥ 1.4, max drawdown < 15 %, Sharpe > 1.0; core/gates/kpiGates).
 * Even then this module only forwards to an injected `placeOrder` (an exchange adapter); none is
 * wired in this version, so every LIVE entry is refused with the reason. A refusal is an
 * `OperatorError`: a human must change the configuration or the evidence, retrying cannot help.
 * Tests inject a fake `placeOrder`; nothing here can reach an exchange on its own.
 */
import { evaluateKpiGates, type KpiEvaluation, type KpiInput, type KpiProfile } from '../core/gates/kpiGates.js';
import { OperatorError } from '../errors.js';
import type { TradingMode } from '../config.js';

export interface LiveOrderRequest {
	strategy: string;
	symbol: string;
	side: 'buy' | 'sell';
	quantity: number;
	price: number;
	decisionId: number;
}

export interface LiveBrokerOptions {
	mode: TradingMode;
	/** The strategy's latest backtest KPIs, or null when none is recorded. */
	latestBacktestKpi: (strategy: string) => Promise<KpiInput | null>;
	kpiProfile?: KpiProfile;
	/** The exchange adapter. Absent → every order is refused. */
	placeOrder?: (order: LiveOrderRequest) => Promise<{ exchangeOrderId: string }>;
}

export type LiveAuthorization =
	| { allowed: true; kpi: KpiEvaluation }
	| { allowed: false; reasonCode: 'not_live_mode' | 'no_backtest' | 'backtest_failed_kpi' | 'no_live_adapter'; reason: string; kpi: KpiEvaluation | null };

export interface LiveBroker {
	readonly kind: 'live';
	authorize(strategy: string): Promise<LiveAuthorization>;
	/** Places the order through the adapter or throws `OperatorError` with the refusal. */
	place(order: LiveOrderRequest): Promise<{ exchangeOrderId: string }>;
}

export function createLiveBroker(options: LiveBrokerOptions): LiveBroker {
	const authorize = async (strategy: string): Promise<LiveAuthorization> => {
		if (options.mode !== 'LIVE') {
			return { allowed: false, reasonCode: 'not_live_mode', reason: 'HFQ_MODE is not LIVE: only paper execution is allowed', kpi: null };
		}
		const input = await options.latestBacktestKpi(strategy);
		if (input === null) {
			return { allowed: false, reasonCode: 'no_backtest', reason: `no backtest recorded for strategy "${strategy}": LIVE needs one that passes the KPI gates`, kpi: null };
		}
		const kpi = evaluateKpiGates(input, options.kpiProfile ?? 'seed1');
		if (!kpi.passed) {
			const failed = kpi.gates.filter((g) => !g.passed).map((g) => `${g.name} ${g.value ?? 'n/a'} (needs ${g.comparator} ${g.threshold})`);
			return { allowed: false, reasonCode: 'backtest_failed_kpi', reason: `latest backtest fails the KPI gates: ${failed.join(', ')}`, kpi };
		}
		if (options.placeOrder === undefined) {
			return { allowed: false, reasonCode: 'no_live_adapter', reason: 'no exchange adapter is configured for LIVE orders', kpi };
		}
		return { allowed: true, kpi };
	};
	return {
		kind: 'live',
		authorize,
		async place(order) {
			const auth = await authorize(order.strategy);
			if (!auth.allowed) throw new OperatorError(`LIVE order refused: ${auth.reason}`);
			return options.placeOrder!(order);
		},
	};
}

/** The default KPI source: no backtest store exists yet, so LIVE is always refused. */
export const noRecordedBacktests = async (): Promise<KpiInput | null> => null;
