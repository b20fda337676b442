import { describe, expect, it } from 'vitest';
import { HOUR_MS, resolveBrokerOptions, type BrokerOptions } from './brokerOptions.js';
import { simulateLongTrades, type PriceColumns } from './simulateLongTrades.js';
import { EXIT_REASONS, TradeLog } from './tradeLog.js';

type Ohlc = [number, number, number, number];

function bars(rows: Ohlc[], times?: number[]): PriceColumns {
	const n = rows.length;
	const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
	return {
		openTime: Float64Array.from(times ?? rows.map((_, i) => i * HOUR_MS)),
		open: col(0), high: col(1), low: col(2), close: col(3), length: n,
	};
}

/** Zero fees/slippage unless given, so prices can be checked by hand. */
function run(b: PriceColumns, signalBars: number[], targets: Record<number, number>, opts: Partial<BrokerOptions> = {}) {
	const o = resolveBrokerOptions({ feeRatio: 0, slippageRatio: 0, ...opts });
	const target = new Float64Array(b.length).fill(Number.NaN);
	for (const [k, v] of Object.entries(targets)) target[Number(k)] = v;
	const log = new TradeLog(1);
	simulateLongTrades(b, Int32Array.from(signalBars), signalBars.length, target, 0.03, o, 0, b.length, log);
	return Array.from({ length: log.count }, (_, k) => ({
		signal: log.signalIndex[k], entry: log.entryIndex[k], entryPrice: log.entryPrice[k],
		exit: log.exitIndex[k], exitPrice: log.exitPrice[k], reason: EXIT_REASONS[log.reason[k]],
	}));
}

// Signal bar 0 closes at 100: stop 97 (3%), target 105 unless a test says otherwise.
const SIGNAL: Ohlc = [100, 101, 99, 100];

describe('simulateLongTrades', () => {
	it('fills the market entry at the next open and the target at the VWAP limit', () => {
		const t = run(bars([SIGNAL, [101, 102, 100, 101], [101, 106, 100.5, 104]]), [0], { 0: 105 });
		expect(t).toEqual([{ signal: 0, entry: 1, entryPrice: 101, exit: 2, exitPrice: 105, reason: 'target' }]);
	});

	it('lets the stop win when both levels are inside one bar and the open is nearer the low', () => {
		// open 100: high 106 is 6 away, low 96 is 4 away → O→L→H→C, stop first.
		const t = run(bars([SIGNAL, [100, 106, 96, 100]]), [0], { 0: 105 });
		expect(t[0]).toMatchObject({ exit: 1, exitPrice: 97, reason: 'stop' });
	});

	it('lets the target win when both levels are inside one bar and the open is nearer the high', () => {
		const t = run(bars([SIGNAL, [102, 106, 96, 100]]), [0], { 0: 105 });
		expect(t[0]).toMatchObject({ exit: 1, exitPrice: 105, reason: 'target' });
	});

	it('breaks an exact tie low-first by default and high-first when asked', () => {
		const b = bars([SIGNAL, [101, 106, 96, 100]]);
		expect(run(b, [0], { 0: 105 })[0].reason).toBe('stop');
		expect(run(b, [0], { 0: 105 }, { tieBreak: 'high_first' })[0].reason).toBe('target');
	});

	it('fills at the open when the bar gaps past a level, with slippage only on the stop', () => {
		const up = run(bars([SIGNAL, [101, 102, 100, 101], [108, 109, 107, 108]]), [0], { 0: 105 }, { slippageRatio: 0.001 });
		expect(up[0]).toMatchObject({ entryPrice: 101 * 1.001, exit: 2, exitPrice: 108, reason: 'target' });
		const down = run(bars([SIGNAL, [101, 102, 100, 101], [90, 91, 89, 90]]), [0], { 0: 105 }, { slippageRatio: 0.001 });
		expect(down[0]).toMatchObject({ exit: 2, exitPrice: 90 * 0.999, reason: 'stop' });
		const touched = run(bars([SIGNAL, [101, 102, 100, 101], [99, 99.5, 96, 98]]), [0], { 0: 105 }, { slippageRatio: 0.001 });
		expect(touched[0]).toMatchObject({ exit: 2, exitPrice: 97 * 0.999, reason: 'stop' });
	});

	it('can exit on the entry bar, including when the entry bar opens beyond the target', () => {
		expect(run(bars([SIGNAL, [101, 105.5, 100.5, 105]]), [0], { 0: 105 })[0]).toMatchObject({ entry: 1, exit: 1, reason: 'target' });
		expect(run(bars([SIGNAL, [106, 107, 105.5, 106]]), [0], { 0: 105 })[0]).toMatchObject({ entry: 1, exit: 1, exitPrice: 106 });
	});

	it('closes at the open after the close at which 48 h have elapsed since the entry', () => {
		const flat: Ohlc = [100, 101, 99, 100];
		const rows: Ohlc[] = [SIGNAL, ...Array.from({ length: 60 }, () => flat)];
		const t = run(bars(rows), [0], { 0: 105 }, { slippageRatio: 0.001 });
		// entry bar 1 opens at 1h; bar 48 closes at 49h = entry + 48h → exit at the open of bar 49.
		expect(t[0]).toMatchObject({ entry: 1, exit: 49, exitPrice: 100 * 0.999, reason: 'time' });
	});

	it('measures the time stop in time, so missing bars count', () => {
		const flat: Ohlc = [100, 101, 99, 100];
		const rows: Ohlc[] = [SIGNAL, ...Array.from({ length: 30 }, () => flat)];
		// bars 0..10 hourly, then a 40 h outage: bar 11 opens at 50h.
		const times = rows.map((_, i) => (i <= 10 ? i : i + 39) * HOUR_MS);
		const t = run(bars(rows, times), [0], { 0: 105 });
		// bar 11 (opens 50h) closes at 51h ≥ 1h + 48h → exit at the open of bar 12.
		expect(t[0]).toMatchObject({ exit: 12, reason: 'time' });
		expect(run(bars(rows, times), [0], { 0: 105 }, { timeStopMs: null })[0].reason).toBe('end_of_data');
	});

	it('holds one position at a time and takes a signal at the close of the exit bar', () => {
		const rows: Ohlc[] = [SIGNAL, [101, 102, 100, 101], [101, 102, 100, 101], [101, 106, 100.5, 104], [104, 104, 103, 103.5], [103, 106, 102.5, 105]];
		const t = run(bars(rows), [0, 2, 3], { 0: 105, 2: 110, 3: 105.5 });
		expect(t.map((x) => [x.signal, x.entry, x.exit, x.reason])).toEqual([
			[0, 1, 3, 'target'],
			[3, 4, 5, 'target'],
		]);
	});

	it('closes a position still open at the end at the last close, and ignores a signal on the last bar', () => {
		const t = run(bars([SIGNAL, [101, 102, 100, 101], [101, 102, 100, 101.5]]), [0, 2], { 0: 105, 2: 105 });
		expect(t).toEqual([{ signal: 0, entry: 1, entryPrice: 101, exit: 2, exitPrice: 101.5, reason: 'end_of_data' }]);
		expect(run(bars([SIGNAL, [101, 102, 100, 101]]), [1], { 1: 105 })).toEqual([]);
	});

	it('rounds the target up and the stop down to the tick grid', () => {
		const b = bars([[100, 101, 99, 100.07], [101, 104.99, 100, 101], [101, 104.995, 90, 95]]);
		const t = run(b, [0], { 0: 104.991 }, { tickSize: 0.01 });
		// target 104.991 → 105.00 (the 104.99 high misses it); stop 100.07 × 0.97 = 97.0679 → 97.06
		expect(t[0].reason).toBe('stop');
		expect(t[0].exitPrice).toBeCloseTo(97.06, 9);
	});
});
