import { describe, expect, it } from 'vitest';
import { context } from '../__fixtures__/context.js';
import { panicSwitch } from './panicSwitch.js';

describe('panicSwitch', () => {
	const config = panicSwitch.defaults;
	it('rejects a buy while the panic score is above the threshold', () => {
		const r = panicSwitch.evaluate(context({ panicScore: 70.5 }), config);
		expect(r).toMatchObject({ passed: false, action: 'reject', reasonCode: 'panic_switch', value: 70.5, limit: 70 });
	});
	it('passes at or below the threshold', () => {
		expect(panicSwitch.evaluate(context({ panicScore: 70 }), config).passed).toBe(true);
		expect(panicSwitch.evaluate(context({ panicScore: 12 }), config).passed).toBe(true);
	});
	it('passes a missing score by default and says so, or rejects it when configured', () => {
		expect(panicSwitch.evaluate(context({ panicScore: null }), config)).toMatchObject({ passed: true, value: null });
		expect(panicSwitch.evaluate(context(), { ...config, onMissing: 'reject' })).toMatchObject({
			passed: false,
			reasonCode: 'panic_unavailable',
		});
	});
});
