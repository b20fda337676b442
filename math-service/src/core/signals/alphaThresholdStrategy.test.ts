import { describe, expect, it } from 'vitest';
import { alphaEntry, alphaEntrySignals, resolveAlphaThresholdParams } from './alphaThresholdStrategy.js';
import { pineTimeframePeriod, tradingViewAlertId } from './tradingViewAlertId.js';

describe('alphaEntry', () => {
	it('enters when the score crosses the threshold, with the seed stop and the minimum R/R target', () => {
		const e = alphaEntry(72, 65, false, 100)!;
		expect(e.stop).toBeCloseTo(97, 12);
		expect(e.target).toBeCloseTo(104.5, 12);
		expect(e.rewardRisk).toBeCloseTo(1.5, 12);
	});
	it('does not fire again while the score stays above the threshold, nor below it', () => {
		expect(alphaEntry(80, 75, false, 100)).toBeNull();
		expect(alphaEntry(69.9, 50, false, 100)).toBeNull();
		expect(alphaEntry(70, null, false, 100)).not.toBeNull();
	});
	it('skips partial scores only when told to, and missing scores always', () => {
		expect(alphaEntry(90, 10, true, 100)).not.toBeNull();
		expect(alphaEntry(90, 10, true, 100, resolveAlphaThresholdParams({ allowPartial: false }))).toBeNull();
		expect(alphaEntry(null, 10, false, 100)).toBeNull();
	});
	it('lists crossings over a series for the backtester, NaN scores skipped', () => {
		const scores = Float64Array.from([50, 71, 75, NaN, 60, 70, 90]);
		const close = Float64Array.from([1, 2, 3, 4, 5, 6, 7]);
		const r = alphaEntrySignals(scores, close);
		expect(Array.from(r.signals.subarray(0, r.count))).toEqual([1, 5]);
		expect(r.target[5]).toBeCloseTo(6 * 1.045, 12);
		expect(Number.isNaN(r.target[2]!)).toBe(true);
	});
	it('takes a partial score only when allowed (the default), and a refused bar still counts as the previous score', () => {
		const scores = Float64Array.from([50, 71, 50, 72]);
		const close = Float64Array.from([1, 2, 3, 4]);
		const partial = Uint8Array.from([0, 1, 0, 0]);
		const allowed = alphaEntrySignals(scores, close, resolveAlphaThresholdParams({}), partial);
		expect(Array.from(allowed.signals.subarray(0, allowed.count))).toEqual([1, 3]);
		const strict = alphaEntrySignals(scores, close, resolveAlphaThresholdParams({ allowPartial: false }), partial);
		expect(Array.from(strict.signals.subarray(0, strict.count))).toEqual([3]);
	});
	it('refuses parameters no strategy could use', () => {
		expect(() => resolveAlphaThresholdParams({ entryScore: 120 })).toThrow(/entryScore/);
		expect(() => resolveAlphaThresholdParams({ stopLossRatio: 0 })).toThrow(/stopLossRatio/);
	});
});

describe('tradingViewAlertId', () => {
	it("matches the Pine strategy's alert_id for the same bar", () => {
		expect(tradingViewAlertId('binance', 'BTC/USDT', '1h', 1740000000000)).toBe('BINANCE:BTCUSDT-60-1740000000000-long');
		expect(pineTimeframePeriod('1m')).toBe('1');
		expect(pineTimeframePeriod('4h')).toBe('240');
		expect(pineTimeframePeriod('1d')).toBe('D');
		expect(pineTimeframePeriod('1w')).toBe('W');
	});
});
