import { describe, expect, it } from 'vitest';
import { context } from '../__fixtures__/context.js';
import { cashAvailable } from './cashAvailable.js';

describe('cashAvailable', () => {
	it('passes when notional plus fee fits in cash', () => {
		expect(cashAvailable.evaluate(context({ cash: 2_002 }), cashAvailable.defaults)).toMatchObject({
			passed: true,
			value: 1,
		});
	});
	it('resizes to the cash available, fee included', () => {
		const result = cashAvailable.evaluate(context({ cash: 1_001 }), cashAvailable.defaults);
		expect(result).toMatchObject({ passed: true, action: 'resize' });
		expect(result.resizedQuantity).toBeCloseTo(10, 9);
	});
	it('rejects as insufficient_cash with no cash, value null', () => {
		expect(cashAvailable.evaluate(context({ cash: 0 }), cashAvailable.defaults)).toMatchObject({
			passed: false,
			reasonCode: 'insufficient_cash',
			value: null,
		});
	});
});
