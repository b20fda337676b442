/**
 * Test oracle: a deliberately plain, object-per-bar re-implementation of the VWAP mean-reversion
 * strategy and TradingView's broker emulator, written straight from pine-semantics.md §5.8 with its
 * own naive indicator loops (two-pass stdev over an explicit window, running VWAP, SMA-seeded EMA).
 * It shares no code with the production backtester; only the tests use it. Slow on purpose.
 */

export interface OracleBar { t: number; o: number; h: number; l: number; c: number; v: number }

export interface OracleParams {
	stdevLength: number;
	deviationThreshold: number;
	trendEmaLength: number;
	stopRatio: number;
	minRewardRisk: number;
}

export interface OracleBroker {
	feeRatio: number;
	slippageRatio: number;
	timeStopMs: number | null;
	timeframeMs: number;
	tieBreak: 'low_first' | 'high_first';
	tickSize: number | null;
	initialCapital: number;
	positionSizeRatio: number;
}

export interface OracleTrade {
	entryIndex: number;
	exitIndex: number;
	entryPrice: number;
	exitPrice: number;
	exitReason: 'target' | 'stop' | 'time' | 'end_of_data';
	quantity: number;
	fees: number;
	pnl: number;
}

const DAY = 86_400_000;

function naiveIndicators(bars: OracleBar[], p: OracleParams) {
	const vw: number[] = [];
	const sd: number[] = [];
	const em: number[] = [];
	let day = NaN;
	let pv = 0;
	let vol = 0;
	const typical = bars.map((b) => (b.h + b.l + b.c) / 3);
	const alpha = 2 / (p.trendEmaLength + 1);
	let prevEma = NaN;
	for (let i = 0; i < bars.length; i++) {
		const b = bars[i];
		const d = Math.floor(b.t / DAY);
		if (d !== day) { day = d; pv = 0; vol = 0; }
		if (b.v !== 0) { pv += typical[i] * b.v; vol += b.v; }
		vw.push(vol > 0 ? pv / vol : NaN);

		if (i + 1 >= p.stdevLength) {
			const win = typical.slice(i + 1 - p.stdevLength, i + 1);
			const mean = win.reduce((a, x) => a + x, 0) / win.length;
			const variance = win.reduce((a, x) => a + (x - mean) * (x - mean), 0) / win.length;
			sd.push(Math.sqrt(variance));
		} else sd.push(NaN);

		if (i + 1 < p.trendEmaLength) em.push(NaN);
		else if (i + 1 === p.trendEmaLength) {
			let s = 0;
			for (let j = 0; j <= i; j++) s += bars[j].c;
			prevEma = s / p.trendEmaLength;
			em.push(prevEma);
		} else {
			prevEma = prevEma + alpha * (b.c - prevEma);
			em.push(prevEma);
		}
	}
	return { vw, sd, em };
}

/** Runs the strategy bar by bar; returns the trades and the bar-close equity. */
export function oracleBacktest(bars: OracleBar[], p: OracleParams, br: OracleBroker): { trades: OracleTrade[]; equity: number[] } {
	const { vw, sd, em } = naiveIndicators(bars, p);
	const trades: OracleTrade[] = [];
	const equity: number[] = [];
	let cash = br.initialCapital;
	let pending: { tp: number; sl: number; qty: number } | null = null;
	let pos: { entryIndex: number; entryTime: number; entryPrice: number; tp: number; sl: number; qty: number; closeNextOpen: boolean } | null = null;

	const closePosition = (i: number, price: number, reason: OracleTrade['exitReason']) => {
		const q = pos!.qty;
		const fees = br.feeRatio * q * pos!.entryPrice + br.feeRatio * q * price;
		cash = cash + q * price - br.feeRatio * q * price;
		trades.push({ entryIndex: pos!.entryIndex, exitIndex: i, entryPrice: pos!.entryPrice, exitPrice: price, exitReason: reason, quantity: q, fees, pnl: q * (price - pos!.entryPrice) - fees });
		pos = null;
	};

	for (let i = 0; i < bars.length; i++) {
		const b = bars[i];
		// 1. A pending market entry fills at this open.
		if (pending) {
			const price = b.o * (1 + br.slippageRatio);
			cash = cash - pending.qty * price - br.feeRatio * pending.qty * price;
			pos = { entryIndex: i, entryTime: b.t, entryPrice: price, tp: pending.tp, sl: pending.sl, qty: pending.qty, closeNextOpen: false };
			pending = null;
		}
		// 2. Exits of the open position on this bar's path.
		if (pos) {
			if (pos.closeNextOpen) closePosition(i, b.o * (1 - br.slippageRatio), 'time');
			else if (b.o >= pos.tp) closePosition(i, b.o, 'target');
			else if (b.o <= pos.sl) closePosition(i, b.o * (1 - br.slippageRatio), 'stop');
			else {
				const highFirst = br.tieBreak === 'low_first' ? b.h - b.o < b.o - b.l : b.h - b.o <= b.o - b.l;
				const path = highFirst ? ['H', 'L'] : ['L', 'H'];
				for (const leg of path) {
					if (leg === 'H' && b.h >= pos.tp) { closePosition(i, pos.tp, 'target'); break; }
					if (leg === 'L' && b.l <= pos.sl) { closePosition(i, pos.sl * (1 - br.slippageRatio), 'stop'); break; }
				}
			}
		}
		// 3. At the close: time stop, then the entry rule when flat.
		if (pos && br.timeStopMs !== null && b.t + br.timeframeMs - pos.entryTime >= br.timeStopMs) pos.closeNextOpen = true;
		if (i === bars.length - 1 && pos) closePosition(i, b.c, 'end_of_data');
		const lower = vw[i] - sd[i] * p.deviationThreshold;
		const stopLevel = b.c * (1 - p.stopRatio);
		const rr = (vw[i] - b.c) / (b.c - stopLevel);
		const long = i > 0 && b.c < lower && b.c > em[i] && b.c > bars[i - 1].c && (p.minRewardRisk <= 0 || rr >= p.minRewardRisk);
		if (long && !pos && i < bars.length - 1) {
			const tick = br.tickSize;
			pending = {
				tp: tick === null ? vw[i] : Math.ceil(vw[i] / tick - 1e-4) * tick,
				sl: tick === null ? stopLevel : Math.floor(stopLevel / tick + 1e-4) * tick,
				qty: (br.positionSizeRatio * cash) / b.c / (1 + br.feeRatio),
			};
		}
		equity.push(pos ? cash + pos.qty * b.c : cash);
	}
	return { trades, equity };
}
