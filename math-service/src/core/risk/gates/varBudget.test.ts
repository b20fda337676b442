import { describe, expect, it } from 'vitest';
import { context } from '../__fixtures__/context.js';
import { varBudget } from './varBudget.js';

const cfg = varBudget.defaults;
const big = { symbol: 'SOL/USDT', entry: 100, stop: 97, target: 106, positionRatio: 0.1, quantity: 100 };

describe('varBudget', () => {
	it('passes a 2 % position with 4 % VaR (contribution 0.08 %)', () => {
		const result = varBudget.evaluate(context(), cfg);
		expect(result.passed).toBe(true);
		expect(result.value).toBeCloseTo(0.0008, 12);
	});
	it('resizes a 10 % position with 15 % VaR (1.5 %) to 6.67 % of equity (1 %)', () => {
		const result = varBudget.evaluate(context({ candidate: big, varPerPositionRatio: 0.15 }), cfg);
		expect(result).toMatchObject({ passed: true, action: 'resize' });
		expect(result.resizedQuantity).toBeCloseTo((100_000 * (0.01 / 0.15)) / 100, 9);
		expect(result.value).toBeCloseTo(0.01, 12);
	});
	it('rejects over budget when resizing is off', () => {
		expect(
			varBudget.evaluate(context({ candidate: big, varPerPositionRatio: 0.15 }), { ...cfg, allowResize: false }),
		).toMatchObject({ passed: false, reasonCode: 'var_budget' });
	});
	it('treats a negative VaR (gain tail) as no loss', () => {
		expect(varBudget.evaluate(context({ candidate: big, varPerPositionRatio: -0.01 }), cfg)).toMatchObject({
			passed: true,
			value: 0,
		});
	});
	it('passes with value null when VaR is unknown, or rejects when configured to', () => {
		expect(varBudget.evaluate(context({ varPerPositionRatio: null }), cfg)).toMatchObject({
			passed: true,
			value: null,
		});
		expect(
			varBudget.evaluate(context({ varPerPositionRatio: undefined }), { ...cfg, onMissingVar: 'reject' }),
		).toMatchObject({ passed: false, reasonCode: 'var_unavailable' });
	});
});
