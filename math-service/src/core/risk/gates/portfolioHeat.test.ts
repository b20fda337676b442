import { describe, expect, it } from 'vitest';
import { context, position } from '../__fixtures__/context.js';
import { openHeat, portfolioHeat } from './portfolioHeat.js';

const cfg = portfolioHeat.defaults;
// Three ETH-like positions worth 9 % each at mark = 27 % exposure; risk to stop 3 % of their value each.
const book = [1, 2, 3].map((i) => position({ symbol: `A${i}/USDT`, quantity: 9, markPrice: 1000, stopPrice: 970 }));

describe('portfolioHeat', () => {
	it('measures exposure as Σ quantity × mark (default basis)', () => {
		expect(openHeat(book, 'exposure')).toBe(27_000);
		expect(portfolioHeat.evaluate(context({ openPositions: book }), cfg)).toMatchObject({ passed: true, value: 0.29 });
	});
	it('resizes a candidate that would push exposure over 30 % down to the room left', () => {
		const result = portfolioHeat.evaluate(
			context({
				openPositions: book,
				candidate: { symbol: 'BTC/USDT', entry: 100, stop: 97, target: 106, positionRatio: 0.05, quantity: 50 },
			}),
			cfg,
		);
		expect(result).toMatchObject({ passed: true, action: 'resize' });
		expect(result.resizedQuantity).toBeCloseTo(30, 9);
		expect(result.value).toBeCloseTo(0.3, 12);
	});
	it('rejects as portfolio_heat when the book is already at 30 %', () => {
		const full = [...book, position({ symbol: 'A4/USDT', quantity: 3, markPrice: 1000 })];
		expect(portfolioHeat.evaluate(context({ openPositions: full }), cfg)).toMatchObject({
			passed: false,
			reasonCode: 'portfolio_heat',
			action: 'reject',
		});
	});
	it('measures risk to stop as Σ quantity × (mark − stop), a missing stop counting the full value', () => {
		expect(openHeat(book, 'risk_to_stop')).toBeCloseTo(3 * 9 * 30, 9);
		expect(openHeat([position({ stopPrice: null, quantity: 2, markPrice: 50 })], 'risk_to_stop')).toBe(100);
		expect(
			openHeat([position({ stopPrice: 1100, markPrice: 1000 })], 'risk_to_stop'),
			'stop above mark (locked-in profit) is no risk',
		).toBe(0);
		const result = portfolioHeat.evaluate(context({ openPositions: book }), {
			...cfg,
			heatBasis: 'risk_to_stop',
			maxHeatRatio: 0.06,
		});
		expect(result.value).toBeCloseTo((810 + 20 * 3) / 100_000, 12);
	});
	it('under risk_to_stop resizes by the candidate risk per unit (entry − stop)', () => {
		const result = portfolioHeat.evaluate(context({ openPositions: book }), {
			...cfg,
			heatBasis: 'risk_to_stop',
			maxHeatRatio: 0.0084,
		});
		expect(result.resizedQuantity).toBeCloseTo((840 - 810) / 3, 9);
	});
});
