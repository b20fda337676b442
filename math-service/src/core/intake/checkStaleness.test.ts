import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { checkStaleness } from './checkStaleness.js';

const NOW = 1_740_003_600_000;

describe('checkStaleness', () => {
	it('passes an alert inside the maximum lag and reports the lag', () => {
		expect(checkStaleness(NOW - 12_000, NOW, 60_000)).toMatchObject({
			passed: true,
			reasonCode: null,
			lagMs: 12_000,
			maxLagMs: 60_000,
		});
	});
	it('passes at exactly the maximum lag and rejects one millisecond later as stale', () => {
		expect(checkStaleness(NOW - 60_000, NOW, 60_000).passed).toBe(true);
		const late = checkStaleness(NOW - 60_001, NOW, 60_000);
		expect(late).toMatchObject({ passed: false, reasonCode: 'stale', lagMs: 60_001 });
		expect(late.detail).toMatch(/60001 ms.*60000 ms/);
	});
	it('tolerates a small clock skew into the future and rejects beyond it as future_time', () => {
		expect(checkStaleness(NOW + 4_000, NOW, 60_000)).toMatchObject({ passed: true, lagMs: -4_000 });
		expect(checkStaleness(NOW + 5_001, NOW, 60_000, 5_000)).toMatchObject({
			passed: false,
			reasonCode: 'future_time',
			lagMs: -5_001,
		});
	});
	it('throws InvalidInputError for non-finite or negative limits', () => {
		expect(() => checkStaleness(NOW, NOW, -1)).toThrow(InvalidInputError);
		expect(() => checkStaleness(Number.NaN, NOW, 1)).toThrow(InvalidInputError);
	});
});
