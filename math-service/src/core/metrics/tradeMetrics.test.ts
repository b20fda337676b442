import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { tradeMetrics } from './tradeMetrics.js';

const pnls = (...values: number[]) => values.map((pnl) => ({ pnl }));

describe('tradeMetrics', () => {
	it('returns win rate, profit factor, payoff ratio and expectancy for a mixed list', () => {
		// Wins 30, 10; losses −10, −5; one breakeven. Gross profit 40, gross loss 15.
		const metrics = tradeMetrics(pnls(30, -10, 0, 10, -5));
		expect(metrics).toMatchObject({ tradeCount: 5, winCount: 2, lossCount: 2, breakevenCount: 1 });
		expect(metrics.winRate).toBeCloseTo(0.4, 15);
		expect(metrics.profitFactor).toBeCloseTo(40 / 15, 15);
		expect(metrics.avgWin).toBe(20);
		expect(metrics.avgLoss).toBe(7.5);
		expect(metrics.payoffRatio).toBeCloseTo(20 / 7.5, 15);
		expect(metrics.expectancy).toBeCloseTo(25 / 5, 15);
	});

	it('counts breakeven trades in the win-rate denominator but as neither win nor loss', () => {
		const withBreakevens = tradeMetrics(pnls(10, -10, 0, 0));
		expect(withBreakevens.winRate).toBe(0.25);
		expect(withBreakevens.profitFactor).toBe(1);
		expect(withBreakevens.expectancy).toBe(0);
		// expectancy = winRate·avgWin − lossRate·avgLoss, with lossRate = losses / trades.
		const m = tradeMetrics(pnls(12, -4, 0, 6, -2, 0));
		expect(m.expectancy).toBeCloseTo(m.winRate! * m.avgWin! - (m.lossCount / m.tradeCount) * m.avgLoss!, 15);
	});

	it('returns null profit factor and payoff ratio without losses, 0 win rate without wins', () => {
		const allWins = tradeMetrics(pnls(1, 2));
		expect(allWins.profitFactor).toBeNull();
		expect(allWins.payoffRatio).toBeNull();
		expect(allWins.avgLoss).toBeNull();
		const allLosses = tradeMetrics(pnls(-1, -2));
		expect(allLosses.winRate).toBe(0);
		expect(allLosses.profitFactor).toBe(0);
		expect(allLosses.payoffRatio).toBeNull();
		expect(allLosses.avgWin).toBeNull();
	});

	it('returns counts 0 and nulls for no trades', () => {
		expect(tradeMetrics([])).toEqual({
			tradeCount: 0,
			winCount: 0,
			lossCount: 0,
			breakevenCount: 0,
			winRate: null,
			profitFactor: null,
			payoffRatio: null,
			expectancy: null,
			avgWin: null,
			avgLoss: null,
		});
	});

	it('throws InvalidInputError at loc [trades, i, pnl] for a non-finite pnl', () => {
		try {
			tradeMetrics(pnls(1, Number.NaN));
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).loc).toEqual(['trades', 1, 'pnl']);
		}
	});
});
