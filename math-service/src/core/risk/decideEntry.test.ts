import { describe, expect, it } from 'vitest';
import { HOUR, NOW, position } from './__fixtures__/context.js';
import { decideEntry, type AccountState } from './decideEntry.js';
import { kellyInputsFromTrades } from './kellyInputsFromTrades.js';

const flat: AccountState = {
	equity: 100_000,
	cash: 100_000,
	openPositions: [],
	dayStartEquity: 100_000,
	haltUntilMs: null,
};
const prior = kellyInputsFromTrades([], { prior: { winRate: 0.55, avgWin: 0.045, avgLoss: 0.03 } });
const signal = { symbol: 'BTC/USDT', entry: 84012.5, stop: 81492.125, target: 88000 };

describe('decideEntry', () => {
	it('sizes quarter-Kelly from the prior and approves: p 0.55, b 1.5 → f* 0.25, 6.25 % of equity', () => {
		const receipt = decideEntry({ nowMs: NOW, state: flat, signal, kelly: prior, varPerPositionRatio: 0.04 });
		expect(receipt).toMatchObject({
			status: 'approved',
			reasonCode: null,
			symbol: 'BTC/USDT',
			resized: false,
			haltUntilMs: null,
		});
		expect(receipt.kelly).toMatchObject({ source: 'prior', n: 0, multiplier: 0.25, capRatio: 0.1 });
		expect(receipt.kelly.kellyFraction).toBeCloseTo(0.55 - 0.45 / 1.5, 12);
		expect(receipt.positionPct).toBeCloseTo(6.25, 10);
		expect(receipt.quantity).toBeCloseTo(6250 / 84012.5, 12);
		expect(receipt.rewardRisk).toBeCloseTo((88000 - 84012.5) / (84012.5 - 81492.125), 12);
		expect(receipt.gates.map((g) => g.name)).toContain('portfolioHeat');
	});
	it('resizes against an existing BTC position and reports the requested size', () => {
		const state = {
			...flat,
			cash: 92_000,
			openPositions: [
				position({ symbol: 'BTC/USDT', quantity: 0.1, markPrice: 80_000, entryPrice: 80_000, stopPrice: 77_600 }),
			],
		};
		const receipt = decideEntry({ nowMs: NOW, state, signal, kelly: prior });
		expect(receipt.resized).toBe(true);
		expect(receipt.requestedPositionPct).toBeCloseTo(6.25, 10);
		expect(receipt.positionPct).toBeCloseTo(2, 10);
	});
	it('rejects with the gate reason and zero size, and returns a new halt after a −5 % day', () => {
		const receipt = decideEntry({ nowMs: NOW, state: { ...flat, equity: 94_000, cash: 94_000 }, signal, kelly: prior });
		expect(receipt).toMatchObject({
			status: 'rejected',
			reasonCode: 'daily_drawdown_halt',
			quantity: 0,
			positionPct: 0,
			haltUntilMs: NOW + 24 * HOUR,
		});
	});
});
