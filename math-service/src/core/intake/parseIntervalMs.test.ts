import { describe, expect, it } from 'vitest';
import { parseIntervalMs } from './parseIntervalMs.js';

describe('parseIntervalMs', () => {
	it.each([
		['1', 60_000],
		['60', 3_600_000],
		['240', 14_400_000],
		['15S', 15_000],
		['D', 86_400_000],
		['1D', 86_400_000],
		['3d', 259_200_000],
		['W', 604_800_000],
		['2W', 1_209_600_000],
	])('returns the bar length of TradingView interval %s', (interval, ms) => {
		expect(parseIntervalMs(interval)).toBe(ms);
	});
	it('returns null for months (variable length), empty and unknown intervals', () => {
		for (const bad of ['M', '1M', '', 'abc', '0', null, '1H']) expect(parseIntervalMs(bad), String(bad)).toBeNull();
	});
});
