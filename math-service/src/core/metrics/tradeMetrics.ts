/**
 * @module tradeMetrics
 * Statistics of a closed-trade list (each trade's profit and loss, in account currency or as a
 * return — any unit, the same for all trades): how often the strategy wins, how big wins are
 * against losses, and what one trade earns on average.
 *
 * Breakeven trades (pnl exactly 0) count as trades — in tradeCount, in the win-rate denominator
 * and in expectancy's average — but as neither a win nor a loss, so they lower the win rate
 * without adding to gross profit or gross loss. A trade that went nowhere still tied up capital
 * and a signal; counting it keeps winRate honest for Kelly sizing (a breakeven is not a win).
 */
import { InvalidInputError } from '../../errors.js';

export interface TradeMetrics {
	tradeCount: number;
	winCount: number;
	lossCount: number;
	breakevenCount: number;
	winRate: number | null;
	profitFactor: number | null;
	payoffRatio: number | null;
	expectancy: number | null;
	avgWin: number | null;
	/** Average losing trade as a positive magnitude. */
	avgLoss: number | null;
}

/**
 * - winRate = wins / tradeCount (breakevens in the denominator); null with no trades.
 * - profitFactor = gross profit / |gross loss|; null when there is no losing trade.
 * - avgWin = gross profit / wins; avgLoss = |gross loss| / losses (positive); null when none.
 * - payoffRatio = avgWin / avgLoss; null unless there is at least one win and one loss.
 * - expectancy = Σ pnl / tradeCount (= winRate·avgWin − lossRate·avgLoss); null with no trades.
 * Units: counts are integers; winRate a fraction in [0, 1]; profitFactor and payoffRatio
 * dimensionless; expectancy, avgWin and avgLoss in the unit of pnl.
 * A non-finite pnl throws `InvalidInputError` at loc ['trades', i, 'pnl'].
 * Source: freqtrade freqtrade/data/metrics.py (calculate_expectancy: profit factor, expectancy);
 * R. Vince, "The Mathematics of Money Management" (1992), ch. 1 (win rate, payoff ratio).
 */
export function tradeMetrics(trades: readonly { pnl: number }[]): TradeMetrics {
	if (!Array.isArray(trades)) throw new InvalidInputError('trades must be an array of {pnl}', ['trades']);
	let winCount = 0;
	let lossCount = 0;
	let breakevenCount = 0;
	let grossProfit = 0;
	let grossLoss = 0;
	for (let i = 0; i < trades.length; i++) {
		const pnl = trades[i]?.pnl;
		if (typeof pnl !== 'number' || !Number.isFinite(pnl)) {
			throw new InvalidInputError(
				`trades[${i}].pnl must be a finite number (got ${String(pnl)})`,
				['trades', i, 'pnl'],
			);
		}
		if (pnl > 0) {
			winCount++;
			grossProfit += pnl;
		} else if (pnl < 0) {
			lossCount++;
			grossLoss -= pnl;
		} else {
			breakevenCount++;
		}
	}
	const tradeCount = trades.length;
	const avgWin = winCount > 0 ? grossProfit / winCount : null;
	const avgLoss = lossCount > 0 ? grossLoss / lossCount : null;
	return {
		tradeCount,
		winCount,
		lossCount,
		breakevenCount,
		winRate: tradeCount > 0 ? winCount / tradeCount : null,
		profitFactor: lossCount > 0 ? grossProfit / grossLoss : null,
		payoffRatio: avgWin !== null && avgLoss !== null ? avgWin / avgLoss : null,
		expectancy: tradeCount > 0 ? (grossProfit - grossLoss) / tradeCount : null,
		avgWin,
		avgLoss,
	};
}
