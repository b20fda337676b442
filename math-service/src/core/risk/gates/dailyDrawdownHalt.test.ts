import { describe, expect, it } from 'vitest';
import { context, HOUR, NOW } from '../__fixtures__/context.js';
import { dailyDrawdownHalt } from './dailyDrawdownHalt.js';

const run = (patch: Parameters<typeof context>[0]) =>
	dailyDrawdownHalt.evaluate(context(patch), dailyDrawdownHalt.defaults);

describe('dailyDrawdownHalt', () => {
	it('passes at −4.99 % and reports the day return', () => {
		const result = run({ equity: 95_010 });
		expect(result.passed).toBe(true);
		expect(result.value).toBeCloseTo(-0.0499, 12);
		expect(result.limit).toBe(-0.05);
	});
	it('halts for 24 h at exactly −5 %', () => {
		const result = run({ equity: 95_000 });
		expect(result).toMatchObject({
			passed: false,
			action: 'halt',
			reasonCode: 'daily_drawdown_halt',
			haltUntilMs: NOW + 24 * HOUR,
		});
	});
	it('rejects every entry while a halt is active, even after equity recovered', () => {
		expect(run({ haltUntilMs: NOW + 1 })).toMatchObject({ passed: false, action: 'reject', reasonCode: 'halted' });
	});
	it('lets entries through once the halt has expired', () => {
		expect(run({ haltUntilMs: NOW }).passed).toBe(true);
	});
	it('honours a configured limit', () => {
		expect(
			dailyDrawdownHalt.evaluate(context({ equity: 97_000 }), { maxDailyDrawdownRatio: 0.02, haltMs: HOUR }),
		).toMatchObject({ action: 'halt', haltUntilMs: NOW + HOUR });
	});
	it('rejects with value null when day-start equity is not positive', () => {
		expect(run({ dayStartEquity: 0 })).toMatchObject({ passed: false, value: null });
	});
});
