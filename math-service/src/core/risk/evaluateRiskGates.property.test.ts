/**
 * Property test: random sequences of signals, price moves, clock advances and exits, applied through
 * `evaluateRiskGates` and an in-memory spot ledger, never open a position that breaks a limit:
 * per-asset cap, portfolio heat (either basis), cash, R/R, VaR budget, and never while halted or at
 * a −5 % day. Counters at the end prove each branch (approve, resize, reject, halt) was exercised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRiskGates } from './evaluateRiskGates.js';
import type { OpenPosition } from './RiskGate.js';
import { positionsToTimeStop } from './gates/timeStop.js';
import { openHeat, type HeatBasis } from './gates/portfolioHeat.js';
import { sizePosition } from './sizePosition.js';

const ASSETS = ['BTC', 'ETH', 'SOL', 'AVAX', 'ARB'] as const;
const DAY = 86_400_000;
const FEE = 0.001;
const TOL = 1 + 1e-9;

/** Evenly spread decimals (fc.double crowds near 0 and the bounds, which hides the interesting sizes). */
const uniform = (min: number, max: number) =>
	fc.integer({ min: 0, max: 10_000 }).map((i) => min + ((max - min) * i) / 10_000);

type Command =
	| {
			kind: 'signal';
			asset: number;
			kelly: number;
			capRatio: number;
			stopRatio: number;
			rr: number;
			varRatio: number | null;
	  }
	| { kind: 'move'; asset: number; factor: number }
	| { kind: 'crash'; factor: number }
	| { kind: 'advance'; ms: number }
	| { kind: 'close'; index: number }
	| { kind: 'timeStop' };

const command: fc.Arbitrary<Command> = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('signal' as const),
			asset: fc.nat(ASSETS.length - 1),
			kelly: uniform(-0.2, 0.6),
			capRatio: uniform(0.01, 1),
			stopRatio: uniform(0.002, 0.3),
			rr: uniform(0.5, 4),
			varRatio: fc.option(uniform(-0.05, 0.4), { nil: null }),
		}),
	},
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constant('move' as const),
			asset: fc.nat(ASSETS.length - 1),
			factor: uniform(0.7, 1.3),
		}),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), factor: uniform(0.5, 1.05) }) },
	{
		weight: 2,
		arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 * 3_600_000 }) }),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), index: fc.nat(20) }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'timeStop' as const }) },
);

const limits = fc.record({
	maxPositionRatio: uniform(0.02, 0.5),
	maxHeatRatio: uniform(0.05, 0.6),
	heatBasis: fc.constantFrom<HeatBasis>('exposure', 'risk_to_stop'),
	allowResize: fc.boolean(),
	maxVarRatio: uniform(0.002, 0.03),
});

describe('evaluateRiskGates over random sequences', () => {
	it(
		'never opens a position that breaks the per-asset cap, heat, cash, halt, R/R or VaR limits (10,000 sequences)',
		{ timeout: 180_000 },
		() => {
			const reasons: Record<string, number> = {};
			const seen = { approved: 0, resized: 0, rejected: 0, halts: 0, haltedRejections: 0 };
			fc.assert(
				fc.property(limits, fc.array(command, { minLength: 1, maxLength: 24 }), (limit, commands) => {
					const prices = ASSETS.map(() => 100);
					let nowMs = Date.UTC(2026, 0, 1, 0, 0, 0);
					let cash = 100_000;
					let haltUntilMs: number | null = null;
					let positions: (OpenPosition & { asset: number })[] = [];
					const equity = () => cash + positions.reduce((s, p) => s + p.quantity * p.markPrice, 0);
					let dayStartEquity = equity();
					const configs = {
						maxPositionPerAsset: { maxPositionRatio: limit.maxPositionRatio, allowResize: limit.allowResize },
						portfolioHeat: {
							maxHeatRatio: limit.maxHeatRatio,
							heatBasis: limit.heatBasis,
							allowResize: limit.allowResize,
						},
						varBudget: { maxVarRatio: limit.maxVarRatio, allowResize: limit.allowResize },
						cashAvailable: { feeRatio: FEE, allowResize: limit.allowResize },
					};

					for (const cmd of commands) {
						if (cmd.kind === 'move') {
							prices[cmd.asset] = prices[cmd.asset]! * cmd.factor;
							positions = positions.map((p) => (p.asset === cmd.asset ? { ...p, markPrice: prices[cmd.asset]! } : p));
						} else if (cmd.kind === 'crash') {
							// Crypto moves together: every asset by the same factor.
							for (let i = 0; i < prices.length; i++) prices[i] = prices[i]! * cmd.factor;
							positions = positions.map((p) => ({ ...p, markPrice: prices[p.asset]! }));
						} else if (cmd.kind === 'advance') {
							const day = Math.floor(nowMs / DAY);
							nowMs += cmd.ms;
							if (Math.floor(nowMs / DAY) !== day) dayStartEquity = equity();
						} else if (cmd.kind === 'close' || cmd.kind === 'timeStop') {
							const closing =
								cmd.kind === 'close'
									? positions.filter((_, i) => i === cmd.index)
									: positionsToTimeStop(positions, nowMs);
							for (const p of closing) cash += p.quantity * p.markPrice * (1 - FEE);
							positions = positions.filter(
								(p) =>
									!closing.some(
										(c) => c.symbol === p.symbol && c.openedAtMs === p.openedAtMs && c.quantity === p.quantity,
									),
							);
						} else {
							const entry = prices[cmd.asset]!;
							const stop = entry * (1 - cmd.stopRatio);
							const target = entry + cmd.rr * (entry - stop);
							const eq = equity();
							const size = sizePosition({
								equity: eq,
								entry,
								stop,
								target,
								kellyPositionRatio: cmd.kelly,
								capRatio: cmd.capRatio,
							});
							const symbol = `${ASSETS[cmd.asset]}/USDT`;
							const wasHalted = haltUntilMs !== null && haltUntilMs > nowMs;
							const decision = evaluateRiskGates(
								{
									nowMs,
									equity: eq,
									cash,
									openPositions: positions,
									dayStartEquity,
									haltUntilMs,
									candidate: {
										symbol,
										entry,
										stop,
										target,
										positionRatio: size.positionRatio,
										quantity: size.quantity,
									},
									varPerPositionRatio: cmd.varRatio,
								},
								configs,
							);
							if (decision.haltUntilMs !== null) {
								expect(wasHalted).toBe(false);
								haltUntilMs = decision.haltUntilMs;
								seen.halts++;
							}
							if (decision.status === 'rejected') {
								expect(decision.quantity).toBe(0);
								seen.rejected++;
								reasons[decision.reasonCode!] = (reasons[decision.reasonCode!] ?? 0) + 1;
								if (wasHalted) seen.haltedRejections++;
								continue;
							}
							// Invariants at the moment of entry, with the equity the gates saw.
							const q = decision.quantity;
							expect(wasHalted, 'no entry while halted').toBe(false);
							expect(eq / dayStartEquity - 1, 'no entry at a −5 % day').toBeGreaterThan(-0.05);
							expect(q).toBeGreaterThan(0);
							expect(q).toBeLessThanOrEqual(size.quantity);
							const assetNotional =
								positions.filter((p) => p.asset === cmd.asset).reduce((s, p) => s + p.quantity * p.markPrice, 0) +
								q * entry;
							expect(assetNotional / eq, 'per-asset cap').toBeLessThanOrEqual(limit.maxPositionRatio * TOL);
							const perUnit = limit.heatBasis === 'exposure' ? entry : entry - stop;
							expect((openHeat(positions, limit.heatBasis) + q * perUnit) / eq, 'portfolio heat').toBeLessThanOrEqual(
								limit.maxHeatRatio * TOL,
							);
							expect(q * entry * (1 + FEE), 'cash').toBeLessThanOrEqual(cash * TOL);
							expect((target - entry) / (entry - stop), 'R/R').toBeGreaterThanOrEqual(1.5 * (1 - 1e-9));
							if (cmd.varRatio !== null)
								expect(((q * entry) / eq) * Math.max(0, cmd.varRatio), 'VaR budget').toBeLessThanOrEqual(
									limit.maxVarRatio * TOL,
								);
							seen.approved++;
							if (decision.resized) seen.resized++;
							cash -= q * entry * (1 + FEE);
							positions = [
								...positions,
								{
									symbol,
									asset: cmd.asset,
									quantity: q,
									entryPrice: entry,
									stopPrice: stop,
									markPrice: entry,
									openedAtMs: nowMs,
								},
							];
						}
					}
				}),
				{ numRuns: 10_000, seed: 20261122 },
			);
			expect(Object.keys(reasons).sort(), 'every rejection reason exercised').toEqual(
				[
					'daily_drawdown_halt',
					'halted',
					'max_position_per_asset',
					'portfolio_heat',
					'reward_risk_below_min',
					'var_budget',
					'zero_size',
				].sort(),
			);
			expect(seen.approved, 'approvals exercised').toBeGreaterThan(1000);
			expect(seen.resized, 'resizes exercised').toBeGreaterThan(50);
			expect(seen.halts, 'halts exercised').toBeGreaterThan(50);
			expect(seen.haltedRejections, 'rejections while halted exercised').toBeGreaterThan(50);
		},
	);
});
