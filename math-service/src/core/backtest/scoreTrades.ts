/**
 * @module backtest/scoreTrades
 * The headline metrics of a backtest without materialising its equity curve, for sweeps: the same
 * money rules and the same per-bar returns as `accountTrades` + `equityReturns` (bit for bit: the
 * equity of every bar is computed with the same operations), but only the bars spent in a position
 * are visited — a flat bar's return is exactly 0 and adds nothing but a count.
 *
 * Definitions are the core metrics' (core/metrics): Sharpe = mean / std(ddof 1) · √P; max drawdown
 * from the running peak of the compounded equity (starting equity included); CAGR = growth^(P/n) − 1;
 * win rate, profit factor and expectancy over trade pnl in quote currency (breakevens count as
 * trades, not wins). Agreement with returnMetrics / tradeMetrics is asserted to 1e-9 in the tests.
 */

import { isNoiseStd } from '../stats/sampleMoments.js';
import type { BrokerOptions } from './brokerOptions.js';
import type { PriceColumns } from './simulateLongTrades.js';
import type { TradeLog } from './tradeLog.js';

export interface TradeScore {
	tradeCount: number;
	totalReturnRatio: number;
	sharpeRatio: number | null;
	maxDrawdownRatio: number | null;
	cagrRatio: number | null;
	winRate: number | null;
	profitFactor: number | null;
	/** Mean pnl per trade, quote currency. */
	expectancy: number | null;
	/** Fraction of bars of the range spent in a position. */
	exposureRatio: number;
}

/**
 * Optional per-block return sums for CSCV (probability of backtest overfitting): the range's
 * returns are cut into `count` equal consecutive blocks; `sum[b]`, `sumSquares[b]` receive Σr and Σr²
 * of block b (overwritten, not added).
 */
export interface BlockSums {
	count: number;
	sum: Float64Array;
	sumSquares: Float64Array;
}

/** Scores the trades of `log` over bars `[from, to)`; see the module header. */
export function scoreTrades(
	bars: PriceColumns,
	log: TradeLog,
	o: BrokerOptions,
	from: number,
	to: number,
	periodsPerYear: number,
	blocks: BlockSums | null = null,
): TradeScore {
	const close = bars.close;
	const fee = o.feeRatio;
	const periods = to - from - 1;
	let cash = o.initialCapital;
	let peak = cash;
	let worst = 0;
	let s1 = 0;
	let s2 = 0;
	let maxAbs = 0;
	let wins = 0;
	let losses = 0;
	let grossProfit = 0;
	let grossLoss = 0;
	let exposed = 0;
	if (blocks !== null) {
		blocks.sum.fill(0, 0, blocks.count);
		blocks.sumSquares.fill(0, 0, blocks.count);
	}
	const blockCount = blocks === null ? 0 : blocks.count;
	for (let k = 0; k < log.count; k++) {
		const entryIndex = log.entryIndex[k];
		const exitIndex = log.exitIndex[k];
		const quantity = (o.positionSizeRatio * cash) / (close[log.signalIndex[k]] * (1 + fee));
		const entry = log.entryPrice[k];
		const exit = log.exitPrice[k];
		const entryFee = fee * quantity * entry;
		let prev = cash;
		cash -= quantity * entry + entryFee;
		exposed += exitIndex - entryIndex + 1;
		for (let bar = entryIndex; bar <= exitIndex; bar++) {
			let eq: number;
			if (bar < exitIndex) eq = cash + quantity * close[bar];
			else {
				cash += quantity * exit - fee * quantity * exit;
				eq = cash;
			}
			const r = eq / prev - 1;
			prev = eq;
			s1 += r;
			s2 += r * r;
			const a = r < 0 ? -r : r;
			if (a > maxAbs) maxAbs = a;
			if (eq >= peak) peak = eq;
			else {
				const dd = (peak - eq) / peak;
				if (dd > worst) worst = dd;
			}
			if (blockCount > 0) {
				const b = Math.min(blockCount - 1, Math.floor(((bar - from - 1) * blockCount) / periods));
				blocks!.sum[b] += r;
				blocks!.sumSquares[b] += r * r;
			}
		}
		const pnl = quantity * (exit - entry) - (entryFee + fee * quantity * exit);
		if (pnl > 0) { wins++; grossProfit += pnl; } else if (pnl < 0) { losses++; grossLoss -= pnl; }
	}
	const n = log.count;
	const growth = cash / o.initialCapital;
	let sharpe: number | null = null;
	if (periods >= 2) {
		const mean = s1 / periods;
		const variance = Math.max(0, (s2 - s1 * mean) / (periods - 1));
		const std = Math.sqrt(variance);
		if (!isNoiseStd(std, maxAbs)) sharpe = (mean / std) * Math.sqrt(periodsPerYear);
	}
	const cagr = periods > 0 ? Math.pow(growth, periodsPerYear / periods) - 1 : Number.NaN;
	return {
		tradeCount: n,
		totalReturnRatio: growth - 1,
		sharpeRatio: sharpe,
		maxDrawdownRatio: periods > 0 ? worst : null,
		cagrRatio: Number.isFinite(cagr) ? cagr : null,
		winRate: n > 0 ? wins / n : null,
		profitFactor: losses > 0 ? grossProfit / grossLoss : null,
		expectancy: n > 0 ? (grossProfit - grossLoss) / n : null,
		exposureRatio: to > from ? exposed / (to - from) : 0,
	};
}
