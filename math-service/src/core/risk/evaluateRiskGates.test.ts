import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import { context, HOUR, NOW, position } from './__fixtures__/context.js';
import { evaluateRiskGates } from './evaluateRiskGates.js';
import type { RiskGate } from './RiskGate.js';
import { DEFAULT_RISK_GATE_CONFIGS, RISK_GATES, resolveRiskGateConfigs } from './riskGates.js';

describe('evaluateRiskGates', () => {
	it('approves a clean 2 % candidate, listing sizing then every gate in order', () => {
		const decision = evaluateRiskGates(context());
		expect(decision).toMatchObject({
			status: 'approved',
			reasonCode: null,
			quantity: 20,
			notional: 2000,
			positionRatio: 0.02,
			positionPct: 2,
			resized: false,
			haltUntilMs: null,
		});
		expect(decision.results.map((r) => r.name)).toEqual(['sizing', ...Object.keys(RISK_GATES)]);
		expect(decision.results.every((r) => r.passed)).toBe(true);
	});

	it('applies resizes in order and reports the final size', () => {
		// 15 % requested: the per-asset cap cuts it to 10 %, then VaR 15 % cuts it to 6.67 %.
		const decision = evaluateRiskGates(
			context({
				candidate: { symbol: 'SOL/USDT', entry: 100, stop: 97, target: 106, positionRatio: 0.15, quantity: 150 },
				varPerPositionRatio: 0.15,
			}),
		);
		expect(decision.status).toBe('approved');
		expect(decision.resized).toBe(true);
		expect(decision.requestedQuantity).toBe(150);
		expect(decision.positionRatio).toBeCloseTo(0.01 / 0.15, 12);
		expect(decision.results.filter((r) => r.action === 'resize').map((r) => r.name)).toEqual([
			'maxPositionPerAsset',
			'varBudget',
		]);
	});

	it('rejects after a −5 % day with daily_drawdown_halt and returns the halt to persist', () => {
		const decision = evaluateRiskGates(context({ equity: 94_000, cash: 94_000 }));
		expect(decision).toMatchObject({
			status: 'rejected',
			reasonCode: 'daily_drawdown_halt',
			quantity: 0,
			notional: 0,
			haltUntilMs: NOW + 24 * HOUR,
		});
	});

	it('rejects a buy while the panic score is above 70 with panic_switch, and passes an unknown score with a note', () => {
		const panicked = evaluateRiskGates(context({ panicScore: 82 }));
		expect(panicked).toMatchObject({ status: 'rejected', reasonCode: 'panic_switch', quantity: 0 });
		expect(panicked.results.map((r) => r.name).slice(0, 4)).toEqual(['sizing', 'dailyDrawdownHalt', 'operatorHalt', 'panicSwitch']);
		expect(evaluateRiskGates(context({ panicScore: 82 }), { panicSwitch: { maxPanicScore: 90 } }).status).toBe('approved');
		const unknown = evaluateRiskGates(context({ panicScore: null }));
		expect(unknown.status).toBe('approved');
		expect(unknown.results.find((r) => r.name === 'panicSwitch')?.detail).toMatch(/unknown/);
		expect(evaluateRiskGates(context(), { panicSwitch: { onMissing: 'reject' } }).reasonCode).toBe('panic_unavailable');
		expect(() => evaluateRiskGates(context({ panicScore: 101 }))).toThrow(/panicScore/);
	});

	it('rejects while halted as halted, without a new halt', () => {
		expect(evaluateRiskGates(context({ haltUntilMs: NOW + HOUR }))).toMatchObject({
			status: 'rejected',
			reasonCode: 'halted',
			haltUntilMs: null,
		});
	});

	it('rejects at 30 % heat with portfolio_heat', () => {
		const book = [1, 2, 3].map((i) => position({ symbol: `A${i}/USDT`, quantity: 10, markPrice: 1000 }));
		const decision = evaluateRiskGates(context({ openPositions: book, cash: 70_000 }));
		expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'portfolio_heat' });
	});

	it('reports the first failure but still evaluates every gate', () => {
		const decision = evaluateRiskGates(
			context({
				equity: 94_000,
				candidate: { symbol: 'BTC/USDT', entry: 100, stop: 99, target: 100.5, positionRatio: 0.02, quantity: 20 },
			}),
		);
		expect(decision.reasonCode).toBe('daily_drawdown_halt');
		expect(decision.results.filter((r) => !r.passed).map((r) => r.reasonCode)).toEqual([
			'daily_drawdown_halt',
			'reward_risk_below_min',
		]);
	});

	it('rejects zero size (no Kelly edge) and zero equity', () => {
		expect(
			evaluateRiskGates(context({ candidate: { ...context().candidate, quantity: 0, positionRatio: 0 } })).reasonCode,
		).toBe('zero_size');
		const broke = evaluateRiskGates(context({ equity: 0, cash: 0 }));
		expect(broke.reasonCode).toBe('no_equity');
		expect(broke.results.map((r) => r.name)).toEqual(['sizing', 'dailyDrawdownHalt', 'operatorHalt', 'timeStop']);
	});

	it('honours per-gate config overrides', () => {
		const decision = evaluateRiskGates(context(), { minRewardRisk: { minRewardRisk: 2.5 } });
		expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'reward_risk_below_min' });
	});

	it('throws InvalidInputError for a bad config or a NaN in the state', () => {
		expect(() => evaluateRiskGates(context(), { portfolioHeat: { heatBasis: 'notional' as never } })).toThrow(
			/portfolioHeat\.heatBasis/,
		);
		expect(() => evaluateRiskGates(context({ equity: Number.NaN }))).toThrow(InvalidInputError);
		expect(() => evaluateRiskGates(context({ openPositions: [position({ markPrice: -1 })] }))).toThrow(
			/openPositions\.0\.markPrice/,
		);
		expect(() => resolveRiskGateConfigs({ nope: {} } as never)).toThrow(/unknown risk gate/);
	});

	it('runs a custom plugin gate through the same interface', () => {
		const noWeekends: RiskGate<{ enabled: boolean }> = {
			name: 'noWeekends',
			description: 'test gate',
			configSchema: z.object({ enabled: z.boolean() }),
			defaults: { enabled: true },
			evaluate: (ctx, c) => ({
				name: 'noWeekends',
				passed: !c.enabled || new Date(ctx.nowMs).getUTCDay() % 6 !== 0,
				value: null,
				limit: 0,
				detail: '',
				action: 'reject',
				reasonCode: 'halted',
			}),
		};
		expect(evaluateRiskGates(context({ nowMs: Date.UTC(2026, 10, 21) }), {}, [noWeekends]).status, 'Saturday').toBe(
			'rejected',
		);
		expect(
			evaluateRiskGates(context({ nowMs: Date.UTC(2026, 10, 21) }), { noWeekends: { enabled: false } } as never, [
				noWeekends,
			]).status,
		).toBe('approved');
	});

	it('has defaults that pass their own config schema', () => {
		for (const gate of Object.values(RISK_GATES))
			expect(gate.configSchema.safeParse(gate.defaults).success, gate.name).toBe(true);
	});

	it('exposes the seed defaults', () => {
		expect(DEFAULT_RISK_GATE_CONFIGS).toMatchObject({
			dailyDrawdownHalt: { maxDailyDrawdownRatio: 0.05, haltMs: 86_400_000 },
			maxPositionPerAsset: { maxPositionRatio: 0.1 },
			portfolioHeat: { maxHeatRatio: 0.3, heatBasis: 'exposure' },
			minRewardRisk: { minRewardRisk: 1.5 },
			timeStop: { maxHoldMs: 172_800_000 },
			varBudget: { maxVarRatio: 0.01 },
			panicSwitch: { maxPanicScore: 70, onMissing: 'pass' },
		});
	});
});
