import { describe, expect, it } from 'vitest';
import { parseCliOptions, numberOption, timeOption, stringOption } from './cliOptions.js';
import { UsageError } from './UsageError.js';

const SPEC = { csv: { type: 'string' }, fee: { type: 'string' }, from: { type: 'string' }, 'walk-forward': { type: 'boolean' } } as const;

describe('parseCliOptions', () => {
	it('returns string values and boolean flags by option name', () => {
		const v = parseCliOptions(['--csv', 'a.csv', '--fee=0.002', '--walk-forward'], SPEC);
		expect(v).toEqual({ csv: 'a.csv', fee: '0.002', 'walk-forward': true });
	});

	it('throws a UsageError for an unknown option, a missing value or a positional argument', () => {
		expect(() => parseCliOptions(['--bogus', '1'], SPEC)).toThrow(UsageError);
		expect(() => parseCliOptions(['--bogus', '1'], SPEC)).toThrow(/--bogus/);
		expect(() => parseCliOptions(['--csv'], SPEC)).toThrow(UsageError);
		expect(() => parseCliOptions(['stray'], SPEC)).toThrow(UsageError);
	});
});

describe('numberOption', () => {
	it('returns the number, or the default when absent', () => {
		expect(numberOption({ fee: '0.002' }, 'fee', { min: 0 })).toBe(0.002);
		expect(numberOption({}, 'fee', { min: 0 }, 0.001)).toBe(0.001);
		expect(numberOption({}, 'fee', { min: 0 })).toBeUndefined();
	});

	it('rejects text, out-of-range values and non-integers where integers are required', () => {
		expect(() => numberOption({ fee: 'abc' }, 'fee', {})).toThrow(/--fee/);
		expect(() => numberOption({ fee: '-1' }, 'fee', { min: 0 })).toThrow(/>= 0/);
		expect(() => numberOption({ fee: '1' }, 'fee', { max: 1, maxExclusive: true })).toThrow(/< 1/);
		expect(() => numberOption({ n: '2.5' }, 'n', { integer: true })).toThrow(/integer/);
	});
});

describe('timeOption', () => {
	it('reads a date as 00:00 UTC, an ISO time without zone as UTC, and epoch milliseconds', () => {
		expect(timeOption({ from: '2020-01-01' }, 'from')).toBe(Date.UTC(2020, 0, 1));
		expect(timeOption({ from: '2020-01-01T05:30' }, 'from')).toBe(Date.UTC(2020, 0, 1, 5, 30));
		expect(timeOption({ from: '2020-01-01T05:30:00+02:00' }, 'from')).toBe(Date.UTC(2020, 0, 1, 3, 30));
		expect(timeOption({ from: '1577836800000' }, 'from')).toBe(1577836800000);
		expect(timeOption({}, 'from')).toBeUndefined();
	});

	it('rejects a date that does not exist', () => {
		expect(() => timeOption({ from: '2020-13-01' }, 'from')).toThrow(UsageError);
		expect(() => timeOption({ from: 'yesterday' }, 'from')).toThrow(/--from/);
	});
});

describe('stringOption', () => {
	it('throws a UsageError naming a required option that is missing', () => {
		expect(() => stringOption({}, 'symbol', true)).toThrow(/--symbol is required/);
		expect(stringOption({ symbol: 'BTC/USDT' }, 'symbol', true)).toBe('BTC/USDT');
	});
});
