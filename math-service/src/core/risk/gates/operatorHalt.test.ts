import { describe, expect, it } from 'vitest';
import { context, NOW } from '../__fixtures__/context.js';
import { evaluateRiskGates } from '../evaluateRiskGates.js';
import { DEFAULT_RISK_GATES } from '../riskGates.js';
import { operatorHalt } from './operatorHalt.js';

describe('operatorHalt gate', () => {
	it('passes while the desk is not halted (no field, or null)', () => {
		expect(operatorHalt.evaluate(context(), operatorHalt.defaults)).toMatchObject({ passed: true, value: 0, limit: 0 });
		expect(operatorHalt.evaluate(context({ operatorHalt: null }), operatorHalt.defaults).passed).toBe(true);
	});

	it('rejects every entry while halted, naming who halted and since when', () => {
		const result = operatorHalt.evaluate(context({ operatorHalt: { sinceMs: NOW - 60_000, by: 'telegram:@desk' } }), operatorHalt.defaults);
		expect(result).toMatchObject({ passed: false, action: 'reject', reasonCode: 'operator_halt', value: 1 });
		expect(result.detail).toContain('telegram:@desk');
		expect(result.detail).toContain(new Date(NOW - 60_000).toISOString());
	});

	it('runs right after dailyDrawdownHalt and refuses a healthy candidate, even with no equity', () => {
		const names = DEFAULT_RISK_GATES.map((g) => g.name);
		expect(names.indexOf('operatorHalt')).toBe(names.indexOf('dailyDrawdownHalt') + 1);
		const halted = { sinceMs: NOW, by: 'api' };
		expect(evaluateRiskGates(context({ operatorHalt: halted }))).toMatchObject({ status: 'rejected', reasonCode: 'operator_halt' });
		expect(evaluateRiskGates(context({ operatorHalt: halted, equity: 0, cash: 0 })).results.map((r) => r.name)).toContain('operatorHalt');
		expect(evaluateRiskGates(context()).status).toBe('approved');
	});
});
