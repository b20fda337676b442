/**
 * @module backtest/accountTrades
 * Money for the simulated trades: position size, commission, P&L and the bar-close equity curve.
 *
 * Financial logic (TradingView `default_qty_type = strategy.percent_of_equity`, percent commission):
 * - quantity = positionSizeRatio × equity at the signal bar's close ÷ (that close × (1 + feeRatio)):
 *   a market entry is sized when it is placed, and the budget covers the entry commission
 *   (TradingView's percent_of_equity with percent commission, as measured by PyneCore
 *   `_default_entry_budget`; market entries keep the placement-close size). The strategy is flat
 *   then, so equity = cash. No rounding to the exchange's lot size (quantities are continuous);
 * - fees = feeRatio × quantity × (entry price + exit price), commission on both fills;
 * - pnl = quantity × (exit − entry) − fees, in quote currency (USDT), i.e. on the position held;
 * - returnRatio = pnl ÷ (quantity × entry): the trade's net return on its entry notional
 *   (0.012 = +1.2%), independent of the size;
 * - equity at a bar close = cash + quantity × close while a position is open, cash when flat; the
 *   bar of an exit ends flat. Per-bar returns are `equity[i] / equity[i−1] − 1`.
 * An `end_of_data` trade is valued at the last close and charged the exit commission.
 */

import type { BrokerOptions } from './brokerOptions.js';
import type { PriceColumns } from './simulateLongTrades.js';
import type { TradeLog } from './tradeLog.js';

/** Per-trade money columns, index-aligned with the trade log. */
export interface TradeMoney {
	quantity: Float64Array;
	fees: Float64Array;
	pnl: Float64Array;
	returnRatio: Float64Array;
}

export function allocateTradeMoney(count: number): TradeMoney {
	return {
		quantity: new Float64Array(count),
		fees: new Float64Array(count),
		pnl: new Float64Array(count),
		returnRatio: new Float64Array(count),
	};
}

/**
 * Writes the bar-close equity of bars `[from, to)` into `equity[0 .. to−from)` and, when `money` is
 * given, each trade's quantity, fees, pnl and return. When `returns` is given (zero-filled, length
 * to − from − 1) it also receives the per-bar returns `equity[i]/equity[i−1] − 1` (exactly
 * {@link equityReturns}' numbers; flat bars are left at their 0). Returns the final equity.
 */
export function accountTrades(
	bars: PriceColumns,
	log: TradeLog,
	o: BrokerOptions,
	from: number,
	to: number,
	equity: Float64Array,
	money: TradeMoney | null,
	returns: Float64Array | null = null,
): number {
	const close = bars.close;
	const fee = o.feeRatio;
	let cash = o.initialCapital;
	let bar = from;
	for (let k = 0; k < log.count; k++) {
		const entryIndex = log.entryIndex[k];
		const exitIndex = log.exitIndex[k];
		equity.fill(cash, bar - from, entryIndex - from);
		bar = entryIndex;
		const quantity = (o.positionSizeRatio * cash) / (close[log.signalIndex[k]] * (1 + fee));
		const entry = log.entryPrice[k];
		const exit = log.exitPrice[k];
		const entryFee = fee * quantity * entry;
		let prev = cash;
		cash -= quantity * entry + entryFee;
		for (; bar < exitIndex; bar++) {
			const eq = cash + quantity * close[bar];
			equity[bar - from] = eq;
			if (returns !== null) returns[bar - from - 1] = eq / prev - 1;
			prev = eq;
		}
		const exitFee = fee * quantity * exit;
		cash += quantity * exit - exitFee;
		equity[bar - from] = cash;
		if (returns !== null) returns[bar - from - 1] = cash / prev - 1;
		bar++;
		if (money !== null) {
			const fees = entryFee + exitFee;
			const pnl = quantity * (exit - entry) - fees;
			money.quantity[k] = quantity;
			money.fees[k] = fees;
			money.pnl[k] = pnl;
			money.returnRatio[k] = pnl / (quantity * entry);
		}
	}
	if (bar < to) equity.fill(cash, bar - from, to - from);
	return cash;
}

/** Per-bar simple returns of an equity curve: `out[i−1] = equity[i] / equity[i−1] − 1` (length n − 1). */
export function equityReturns(equity: Float64Array, n: number = equity.length, out?: Float64Array): Float64Array {
	const m = Math.max(0, n - 1);
	const r = out ?? new Float64Array(m);
	for (let i = 1; i < n; i++) r[i - 1] = equity[i] / equity[i - 1] - 1;
	return r;
}
