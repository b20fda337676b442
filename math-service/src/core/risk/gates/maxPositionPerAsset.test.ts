import { describe, expect, it } from 'vitest';
import { context, position } from '../__fixtures__/context.js';
import { maxPositionPerAsset } from './maxPositionPerAsset.js';

const cfg = maxPositionPerAsset.defaults;
const candidate = (quantity: number) => ({
	symbol: 'BTC/USDT',
	entry: 100,
	stop: 97,
	target: 106,
	positionRatio: (quantity * 100) / 100_000,
	quantity,
});

describe('maxPositionPerAsset', () => {
	it('passes a 2 % position and reports its share of equity', () => {
		expect(maxPositionPerAsset.evaluate(context(), cfg)).toMatchObject({ passed: true, value: 0.02, limit: 0.1 });
	});
	it('passes exactly 10 %', () => {
		expect(maxPositionPerAsset.evaluate(context({ candidate: candidate(100) }), cfg)).toMatchObject({
			passed: true,
			value: 0.1,
		});
	});
	it('resizes a 15 % candidate down to 10 %', () => {
		const result = maxPositionPerAsset.evaluate(context({ candidate: candidate(150) }), cfg);
		expect(result).toMatchObject({ passed: true, action: 'resize', resizedQuantity: 100 });
		expect(result.value).toBeCloseTo(0.1, 12);
	});
	it('counts an existing position in the same base asset (marked to market), across quotes', () => {
		const ctx = context({
			candidate: candidate(50),
			openPositions: [position({ symbol: 'BTC/USDC', quantity: 60, markPrice: 110 })],
		});
		const result = maxPositionPerAsset.evaluate(ctx, cfg);
		expect(result.resizedQuantity).toBeCloseTo((10_000 - 6_600) / 100, 9);
	});
	it('ignores positions in other assets', () => {
		const ctx = context({
			candidate: candidate(100),
			openPositions: [position({ symbol: 'ETH/USDT', quantity: 9, markPrice: 1000 })],
		});
		expect(maxPositionPerAsset.evaluate(ctx, cfg).action).toBeUndefined();
	});
	it('rejects when the asset is already at the cap, or when resizing is off', () => {
		const full = context({ openPositions: [position({ symbol: 'BTC/USDT', quantity: 100, markPrice: 100 })] });
		expect(maxPositionPerAsset.evaluate(full, cfg)).toMatchObject({
			passed: false,
			reasonCode: 'max_position_per_asset',
		});
		expect(
			maxPositionPerAsset.evaluate(context({ candidate: candidate(150) }), { ...cfg, allowResize: false }),
		).toMatchObject({ passed: false, value: 0.15 });
	});
	it('rejects when the room left is below the minimum position', () => {
		const almost = context({ openPositions: [position({ symbol: 'BTC/USDT', quantity: 99.95, markPrice: 100 })] });
		expect(maxPositionPerAsset.evaluate(almost, cfg).passed, '0.05 % left < 0.1 % minimum').toBe(false);
	});
});
