/**
 * @module research/tradeMemo
 * Sweep accelerator: a trade's life depends only on its signal bar and the stop distance — the
 * entry is the next open, the target is the VWAP at the signal (shared by every combination), the
 * stop is `close × (1 − stop)` and the time stop is the broker's. Its per-bar returns do not depend
 * on the equity it starts with either: with x = positionSize / (close[signal]·(1 + fee)) (units per unit of
 * equity) the equity in units of the starting equity C is `a + x·close` in the position
 * (a = 1 − x·entry·(1 + fee)) and `a + x·exit·(1 − fee)` after the exit. So each distinct
 * (signal bar, stop) is walked once, its statistics memoised (Σr, Σr², max |r|, path min/max,
 * drawdown from an at-peak start, growth, pnl per unit of C), and every combination that takes
 * that trade reuses them in O(1). Drawdown across trades is exact: from a running peak P with
 * π = P/C, a trade's worst drawdown is its memoised one if π = 1, 1 − min/π if the path never
 * exceeds π, else the path is re-walked from π.
 *
 * Results equal the explicit path (`simulateLongTrades` + `scoreTrades`) up to floating-point
 * rounding (≤ 1e-9 relative, asserted by the sweep tests against runBacktest).
 */

import type { BrokerOptions } from '../backtest/brokerOptions.js';
import type { BlockSums, TradeScore } from '../backtest/scoreTrades.js';
import { findExit, roundStopToTick, roundTargetToTick, type ExitSlot, type PriceColumns } from '../backtest/simulateLongTrades.js';
import { EXIT_END_OF_DATA } from '../backtest/tradeLog.js';
import { isNoiseStd } from '../stats/sampleMoments.js';

interface PathStats { s1: number; s2: number; maxAbs: number; minE: number; maxE: number; dd: number; growth: number }

/** Walks e = a + x·close over [entry, exit) and the exit value; drawdowns measured from `peak0`. */
function walkPath(close: Float64Array, entry: number, exit: number, exitPrice: number, a: number, x: number, fee: number, peak0: number, out: PathStats): void {
	let prev = 1;
	let peak = peak0;
	let dd = 0, s1 = 0, s2 = 0, maxAbs = 0;
	let minE = Number.POSITIVE_INFINITY;
	let maxE = Number.NEGATIVE_INFINITY;
	for (let i = entry; i <= exit; i++) {
		const e = i < exit ? a + x * close[i] : a + x * exitPrice - fee * x * exitPrice;
		const r = e / prev - 1;
		prev = e;
		s1 += r;
		s2 += r * r;
		const abs = r < 0 ? -r : r;
		if (abs > maxAbs) maxAbs = abs;
		if (e < minE) minE = e;
		if (e > maxE) maxE = e;
		if (e >= peak) peak = e;
		else if ((peak - e) / peak > dd) dd = (peak - e) / peak;
	}
	out.s1 = s1; out.s2 = s2; out.maxAbs = maxAbs; out.minE = minE; out.maxE = maxE; out.dd = dd; out.growth = prev;
}

/** Memoised trades of one stop distance over the whole series. */
export class TradeMemo {
	private readonly slotOf: Int32Array;
	private size = 0;
	private cap = 1024;
	exitIndex = new Int32Array(this.cap);
	exitPrice = new Float64Array(this.cap);
	reason = new Uint8Array(this.cap);
	a = new Float64Array(this.cap);
	x = new Float64Array(this.cap);
	s1 = new Float64Array(this.cap);
	s2 = new Float64Array(this.cap);
	maxAbs = new Float64Array(this.cap);
	minE = new Float64Array(this.cap);
	maxE = new Float64Array(this.cap);
	dd = new Float64Array(this.cap);
	growth = new Float64Array(this.cap);
	unitPnl = new Float64Array(this.cap);
	private readonly exit: ExitSlot = { index: 0, price: 0, reason: 0 };
	private readonly path: PathStats = { s1: 0, s2: 0, maxAbs: 0, minE: 0, maxE: 0, dd: 0, growth: 0 };

	constructor(
		private readonly bars: PriceColumns,
		private readonly target: Float64Array,
		private readonly stopRatio: number,
		private readonly o: BrokerOptions,
	) {
		this.slotOf = new Int32Array(bars.length).fill(-1);
	}

	/** Slot of the trade signalled at bar s (s + 1 < bars.length), walking it on first use. */
	slot(s: number): number {
		const known = this.slotOf[s];
		if (known >= 0) return known;
		if (this.size === this.cap) this.grow();
		const k = this.size++;
		const { bars, o } = this;
		const entry = s + 1;
		const tp = roundTargetToTick(this.target[s], o.tickSize);
		const sl = roundStopToTick(bars.close[s] * (1 - this.stopRatio), o.tickSize);
		findExit(bars, entry, tp, sl, o, bars.length, this.exit);
		const x = o.positionSizeRatio / (bars.close[s] * (1 + o.feeRatio));
		const entryPrice = bars.open[entry] * (1 + o.slippageRatio);
		const a = 1 - x * entryPrice - o.feeRatio * x * entryPrice;
		this.fill(k, s, this.exit.index, this.exit.price, this.exit.reason, a, x, entryPrice);
		this.slotOf[s] = k;
		return k;
	}

	private fill(k: number, s: number, exitIndex: number, exitPrice: number, reason: number, a: number, x: number, entryPrice: number): void {
		const fee = this.o.feeRatio;
		walkPath(this.bars.close, s + 1, exitIndex, exitPrice, a, x, fee, 1, this.path);
		const p = this.path;
		this.exitIndex[k] = exitIndex; this.exitPrice[k] = exitPrice; this.reason[k] = reason;
		this.a[k] = a; this.x[k] = x;
		this.s1[k] = p.s1; this.s2[k] = p.s2; this.maxAbs[k] = p.maxAbs;
		this.minE[k] = p.minE; this.maxE[k] = p.maxE; this.dd[k] = p.dd; this.growth[k] = p.growth;
		this.unitPnl[k] = x * (exitPrice - entryPrice) - (fee * x * entryPrice + fee * x * exitPrice);
	}

	/** Drawdown of slot k's path when it starts at π = peak / equity > 1 and exceeds it (re-walk). */
	drawdownFrom(k: number, s: number, pi: number): number {
		walkPath(this.bars.close, s + 1, this.exitIndex[k], this.exitPrice[k], this.a[k], this.x[k], this.o.feeRatio, pi, this.path);
		return this.path.dd;
	}

	/** Adds each per-bar return of slot k's path to its CSCV block (return r of bar i is in block ⌊(i − from − 1)·count / periods⌋). */
	addPathToBlocks(k: number, s: number, from: number, periods: number, blocks: BlockSums): void {
		const close = this.bars.close;
		const exit = this.exitIndex[k];
		const a = this.a[k];
		const x = this.x[k];
		const fee = this.o.feeRatio;
		const exitPrice = this.exitPrice[k];
		const count = blocks.count;
		let prev = 1;
		for (let i = s + 1; i <= exit; i++) {
			const e = i < exit ? a + x * close[i] : a + x * exitPrice - fee * x * exitPrice;
			const r = e / prev - 1;
			prev = e;
			const b = Math.min(count - 1, Math.floor(((i - from - 1) * count) / periods));
			blocks.sum[b] += r;
			blocks.sumSquares[b] += r * r;
		}
	}

	/** A scratch slot (index `cap`-independent) for a trade cut short by the end of a range. */
	truncated(s: number, to: number): number {
		if (this.size === this.cap) this.grow();
		const k = this.size; // not registered in slotOf; overwritten by the next new slot
		const known = this.slotOf[s];
		const { bars, o } = this;
		const x = known >= 0 ? this.x[known] : o.positionSizeRatio / (bars.close[s] * (1 + o.feeRatio));
		const entryPrice = bars.open[s + 1] * (1 + o.slippageRatio);
		const a = known >= 0 ? this.a[known] : 1 - x * entryPrice - o.feeRatio * x * entryPrice;
		this.fill(k, s, to - 1, bars.close[to - 1], EXIT_END_OF_DATA, a, x, entryPrice);
		return k;
	}

	private grow(): void {
		this.cap *= 2;
		const f = (src: Float64Array) => { const d = new Float64Array(this.cap); d.set(src); return d; };
		const i32 = new Int32Array(this.cap); i32.set(this.exitIndex); this.exitIndex = i32;
		const u8 = new Uint8Array(this.cap); u8.set(this.reason); this.reason = u8;
		this.exitPrice = f(this.exitPrice); this.a = f(this.a); this.x = f(this.x);
		this.s1 = f(this.s1); this.s2 = f(this.s2); this.maxAbs = f(this.maxAbs);
		this.minE = f(this.minE); this.maxE = f(this.maxE); this.dd = f(this.dd);
		this.growth = f(this.growth); this.unitPnl = f(this.unitPnl);
	}
}

/**
 * Incremental scorer over a range [from, to): feed it signal bars in ascending order that are
 * allowed (≥ the previous `take`'s return value); `take(s)` trades the signal and returns the bar
 * from which the next signal may come (the exit bar), or −1 when the range is finished.
 * Same position rules as simulateLongTrades (one at a time; a signal at an exit bar's close counts).
 */
export class MemoScorer {
	private from = 0;
	private to = 0;
	private equity = 1; // in units of the initial capital
	private peak = 1;
	private worst = 0;
	private s1 = 0;
	private s2 = 0;
	private maxAbs = 0;
	private wins = 0;
	private losses = 0;
	private grossProfit = 0;
	private grossLoss = 0;
	private trades = 0;
	private exposed = 0;
	private memo!: TradeMemo;
	private blocks: BlockSums | null = null;

	/**
	 * Starts a new combination over [from, to). With `blocks`, the per-bar returns are also summed per
	 * CSCV block (zeroed here): a trade inside one block adds its memoised sums, one that straddles a
	 * block boundary is re-walked bar by bar.
	 */
	reset(memo: TradeMemo, from: number, to: number, blocks: BlockSums | null = null): void {
		this.memo = memo;
		this.blocks = blocks;
		if (blocks !== null) {
			blocks.sum.fill(0, 0, blocks.count);
			blocks.sumSquares.fill(0, 0, blocks.count);
		}
		this.from = from;
		this.to = to;
		this.equity = 1; this.peak = 1; this.worst = 0;
		this.s1 = 0; this.s2 = 0; this.maxAbs = 0;
		this.wins = 0; this.losses = 0; this.grossProfit = 0; this.grossLoss = 0;
		this.trades = 0; this.exposed = 0;
	}

	take(s: number): number {
		const memo = this.memo;
		const to = this.to;
		if (s + 1 >= to) return -1;
		let k = memo.slot(s);
		const cut = memo.exitIndex[k] >= to;
		if (cut) k = memo.truncated(s, to);
		this.trades++;
		this.exposed += memo.exitIndex[k] - s;
		this.s1 += memo.s1[k];
		this.s2 += memo.s2[k];
		if (memo.maxAbs[k] > this.maxAbs) this.maxAbs = memo.maxAbs[k];
		const blocks = this.blocks;
		if (blocks !== null) {
			const periods = to - this.from - 1;
			const first = Math.min(blocks.count - 1, Math.floor(((s - this.from) * blocks.count) / periods));
			const last = Math.min(blocks.count - 1, Math.floor(((memo.exitIndex[k] - this.from - 1) * blocks.count) / periods));
			if (first === last) {
				blocks.sum[first] += memo.s1[k];
				blocks.sumSquares[first] += memo.s2[k];
			} else memo.addPathToBlocks(k, s, this.from, periods, blocks);
		}
		const equity = this.equity;
		const pi = this.peak / equity;
		let dd: number;
		if (pi <= 1) dd = memo.dd[k];
		else if (memo.maxE[k] <= pi) dd = 1 - memo.minE[k] / pi;
		else dd = memo.drawdownFrom(k, s, pi);
		if (dd > this.worst) this.worst = dd;
		const top = equity * memo.maxE[k];
		if (top > this.peak) this.peak = top;
		const pnl = equity * memo.unitPnl[k];
		if (pnl > 0) { this.wins++; this.grossProfit += pnl; } else if (pnl < 0) { this.losses++; this.grossLoss -= pnl; }
		this.equity = equity * memo.growth[k];
		if (this.equity > this.peak) this.peak = this.equity;
		return cut ? -1 : memo.exitIndex[k];
	}

	finish(o: BrokerOptions, periodsPerYear: number): TradeScore {
		const periods = this.to - this.from - 1;
		const trades = this.trades;
		let sharpe: number | null = null;
		if (periods >= 2) {
			const mean = this.s1 / periods;
			const std = Math.sqrt(Math.max(0, (this.s2 - this.s1 * mean) / (periods - 1)));
			if (!isNoiseStd(std, this.maxAbs)) sharpe = (mean / std) * Math.sqrt(periodsPerYear);
		}
		const cagr = periods > 0 ? Math.pow(this.equity, periodsPerYear / periods) - 1 : Number.NaN;
		return {
			tradeCount: trades,
			totalReturnRatio: this.equity - 1,
			sharpeRatio: sharpe,
			maxDrawdownRatio: periods > 0 ? this.worst : null,
			cagrRatio: Number.isFinite(cagr) ? cagr : null,
			winRate: trades > 0 ? this.wins / trades : null,
			profitFactor: this.losses > 0 ? this.grossProfit / this.grossLoss : null,
			expectancy: trades > 0 ? ((this.grossProfit - this.grossLoss) * o.initialCapital) / trades : null,
			exposureRatio: this.to > this.from ? this.exposed / (this.to - this.from) : 0,
		};
	}
}

/** Trades and scores the ascending signal list `signals[0..count)` over [from, to) with the memo. */
export function scoreSignalsWithMemo(
	memo: TradeMemo,
	signals: Int32Array,
	count: number,
	o: BrokerOptions,
	from: number,
	to: number,
	periodsPerYear: number,
): TradeScore {
	const scorer = new MemoScorer();
	scorer.reset(memo, from, to);
	let nextAllowed = from;
	for (let j = 0; j < count; j++) {
		const s = signals[j];
		if (s < nextAllowed) continue;
		nextAllowed = scorer.take(s);
		if (nextAllowed < 0) break;
	}
	return scorer.finish(o, periodsPerYear);
}
