import { describe, expect, it } from 'vitest';
import { parseRangeArg } from './parseRangeArg.js';
import { UsageError } from './UsageError.js';

describe('parseRangeArg', () => {
	it('returns every value of an inclusive integer range', () => {
		expect(parseRangeArg('10:100:10', '--lookback', { integer: true })).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
	});

	it('returns exact decimals for a fractional step (no 0.30000000000000004, stop included)', () => {
		expect(parseRangeArg('0.5:2.75:0.25', '--threshold')).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]);
		expect(parseRangeArg('0.1:0.3:0.1', '--stop')).toEqual([0.1, 0.2, 0.3]);
		expect(parseRangeArg('0.01:0.05:0.01', '--stop')).toEqual([0.01, 0.02, 0.03, 0.04, 0.05]);
	});

	it('stops at the last value not beyond stop when the step does not divide the span', () => {
		expect(parseRangeArg('1:10:4', '--x')).toEqual([1, 5, 9]);
	});

	it('accepts a single value and a degenerate range', () => {
		expect(parseRangeArg('2', '--threshold')).toEqual([2]);
		expect(parseRangeArg('3:3:1', '--threshold')).toEqual([3]);
	});

	it('throws a UsageError naming the option for malformed ranges', () => {
		for (const bad of ['', 'a:b:c', '1:2', '1:2:0', '5:1:1', '1:2:-1', '1:2:3:4']) {
			expect(() => parseRangeArg(bad, '--ema'), bad).toThrow(UsageError);
		}
		expect(() => parseRangeArg('1:2:0', '--ema')).toThrow(/--ema/);
	});

	it('rejects non-integers where an integer is required', () => {
		expect(() => parseRangeArg('10.5', '--lookback', { integer: true })).toThrow(/integer/);
		expect(() => parseRangeArg('10:20:2.5', '--lookback', { integer: true })).toThrow(/integer/);
	});

	it('refuses ranges with more than 100,000 values', () => {
		expect(() => parseRangeArg('0:1:0.000001', '--threshold')).toThrow(/too many/);
	});
});
