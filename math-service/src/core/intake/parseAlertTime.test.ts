import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { parseAlertTime } from './parseAlertTime.js';

const MS_2025 = Date.UTC(2025, 1, 19, 21, 20, 0); // 2025-02-19T21:20:00Z = 1740000000000

describe('parseAlertTime', () => {
	it('returns Unix ms unchanged for a 13-digit number', () => {
		expect(parseAlertTime(1740000000000)).toBe(1740000000000);
	});
	it('returns Unix ms for a 13-digit numeric string (substituted placeholder)', () => {
		expect(parseAlertTime(' 1740000000000 ')).toBe(1740000000000);
	});
	it('detects Unix seconds by magnitude and multiplies by 1000', () => {
		expect(parseAlertTime(1740000000)).toBe(1740000000000);
		expect(parseAlertTime('1740000000')).toBe(1740000000000);
		expect(parseAlertTime(1740000000.5)).toBe(1740000000500);
	});
	it('parses TradingView {{time}} ISO 8601 in UTC', () => {
		expect(parseAlertTime('2025-02-19T21:20:00Z')).toBe(MS_2025);
		expect(MS_2025).toBe(1740000000000);
	});
	it('parses ISO with fractional seconds and offsets', () => {
		expect(parseAlertTime('2025-02-19T21:20:00.250Z')).toBe(MS_2025 + 250);
		expect(parseAlertTime('2025-02-19T23:20:00+02:00')).toBe(MS_2025);
		expect(parseAlertTime('2025-02-19T16:20:00-0500')).toBe(MS_2025);
	});
	it('reads an ISO time without offset as UTC, independent of the host time zone', () => {
		expect(parseAlertTime('2025-02-19T21:20:00')).toBe(MS_2025);
		expect(parseAlertTime('2025-02-19 21:20')).toBe(MS_2025);
	});
	it('throws InvalidInputError for impossible calendar dates', () => {
		expect(() => parseAlertTime('2025-02-30T00:00:00Z')).toThrow(InvalidInputError);
		expect(() => parseAlertTime('2025-13-01T00:00:00Z')).toThrow(/not a valid/);
	});
	it('throws for free text, negative, zero, microseconds and non-finite values', () => {
		for (const bad of [
			'yesterday',
			'',
			-5,
			0,
			1e-300,
			1740000000000000,
			Number.NaN,
			Infinity,
			'1e3',
			true,
			'1999-12-31T23:59:59Z',
			'2200-01-01T00:00:00Z',
			99_999,
		]) {
			expect(() => parseAlertTime(bad as never), String(bad)).toThrow(InvalidInputError);
		}
	});
});
