import { describe, expect, it } from 'vitest';
import { resolveBrokerOptions } from '../backtest/brokerOptions.js';
import { scoreTrades } from '../backtest/scoreTrades.js';
import { simulateLongTrades, type PriceColumns } from '../backtest/simulateLongTrades.js';
import { TradeLog } from '../backtest/tradeLog.js';
import { scoreSignalsWithMemo, TradeMemo } from './tradeMemo.js';

function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A volatile random walk (hourly bars) with targets a few % away, so trades win, lose and time out. */
function randomMarket(n: number, rnd: () => number): { bars: PriceColumns; target: Float64Array } {
	const bars: PriceColumns = { openTime: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), length: n };
	const target = new Float64Array(n);
	let p = 100;
	for (let i = 0; i < n; i++) {
		const o = p * (1 + 0.004 * (rnd() - 0.5));
		const c = o * (1 + 0.03 * (rnd() - 0.5));
		bars.openTime[i] = i * 3_600_000;
		bars.open[i] = o;
		bars.close[i] = c;
		bars.high[i] = Math.max(o, c) * (1 + 0.01 * rnd());
		bars.low[i] = Math.min(o, c) * (1 - 0.01 * rnd());
		target[i] = c * (1 + 0.05 * rnd());
		p = c;
	}
	return { bars, target };
}

const near = (a: number | null, b: number | null) => (a === null && b === null) || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

describe('scoreSignalsWithMemo', () => {
	it('scores random signal lists exactly like the explicit path (drawdowns from any peak, cut trades)', () => {
		const rnd = prng(2024);
		const { bars, target } = randomMarket(3000, rnd);
		const o = resolveBrokerOptions({ positionSizeRatio: 1 });
		const memo = new TradeMemo(bars, target, 0.04, o);
		const log = new TradeLog();
		let fallbacks = 0;
		for (let trial = 0; trial < 60; trial++) {
			const density = 0.005 + 0.1 * rnd();
			const list = Int32Array.from(Array.from({ length: 3000 }, (_, i) => i).filter(() => rnd() < density));
			const from = Math.floor(rnd() * 500);
			const to = 3000 - Math.floor(rnd() * 500);
			const inRange = list.filter((i) => i >= from && i < to);
			log.reset();
			simulateLongTrades(bars, inRange, inRange.length, target, 0.04, o, from, to, log);
			const want = scoreTrades(bars, log, o, from, to, 8760);
			const got = scoreSignalsWithMemo(memo, inRange, inRange.length, o, from, to, 8760);
			expect(got.tradeCount).toBe(want.tradeCount);
			const keys = ['totalReturnRatio', 'sharpeRatio', 'maxDrawdownRatio', 'cagrRatio', 'winRate', 'profitFactor', 'expectancy', 'exposureRatio'] as const;
			expect(keys.filter((k) => !near(got[k], want[k]))).toEqual([]);
			if (want.maxDrawdownRatio! > 0.2) fallbacks++;
		}
		expect(fallbacks).toBeGreaterThan(5);
	});

	it('measures a drawdown from a new peak made inside a trade that started below the old peak', () => {
		// Trade A: 100 → stopped at 90 (equity 0.9). Trade B from 90: up to 120 (equity 1.2, a new
		// peak), then 100 at the end (equity 1.0): the worst drawdown is 1 − 1.0/1.2, not A's 10%.
		const rows = [[100, 101, 99, 100], [100, 100.5, 95, 95], [90, 90.5, 85, 90], [90, 120, 89, 120], [120, 121, 99, 100], [100, 101, 99, 100]];
		const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
		const bars: PriceColumns = { openTime: Float64Array.from(rows, (_, i) => i * 3_600_000), open: col(0), high: col(1), low: col(2), close: col(3), length: rows.length };
		const target = new Float64Array(rows.length).fill(200);
		const o = resolveBrokerOptions({ positionSizeRatio: 1, feeRatio: 0, slippageRatio: 0 });
		const signals = Int32Array.from([0, 2]);
		const got = scoreSignalsWithMemo(new TradeMemo(bars, target, 0.1, o), signals, 2, o, 0, rows.length, 8760);
		const log = new TradeLog();
		simulateLongTrades(bars, signals, 2, target, 0.1, o, 0, rows.length, log);
		expect(got.tradeCount).toBe(2);
		expect(got.maxDrawdownRatio).toBeCloseTo(1 - 1 / 1.2, 12);
		expect(scoreTrades(bars, log, o, 0, rows.length, 8760).maxDrawdownRatio).toBeCloseTo(1 - 1 / 1.2, 12);
	});
});
