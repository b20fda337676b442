/**
 * @module risk/gates/dailyDrawdownHalt
 * Financial rule (seed risk table, "Daily Drawdown −5 % → halt trading 24 h"): when equity has
 * fallen to or below `−maxDailyDrawdownRatio` of the equity at 00:00 UTC, stop opening positions for
 * `haltMs` (24 h) from that moment. While a halt is active (`haltUntilMs > nowMs`) every entry is
 * rejected. Open positions are not touched: their stops and the time stop still manage them.
 *
 * Drawdown = equity / dayStartEquity − 1 (−0.05 = −5 %), mark-to-market, realised and unrealised.
 *
 * Docs:
 * ```
 * dailyDrawdownHalt  { maxDailyDrawdownRatio: 0.05, haltMs: 86400000 }
 *   value = today's return (−0.062), limit = −0.05; at or below the limit → action "halt",
 *   haltUntilMs = now + 24 h (persist it); while halted → action "reject", reason "halted".
 *   A halt is not extended by further losses, and it outlives midnight.
 * ```
 */
import { z } from 'zod';
import type { RiskGate } from '../RiskGate.js';
import { pct } from '../fitQuantity.js';

export const DailyDrawdownHaltConfigSchema = z.object({
	maxDailyDrawdownRatio: z.number().gt(0).lt(1),
	haltMs: z.number().int().positive(),
});
export type DailyDrawdownHaltConfig = z.infer<typeof DailyDrawdownHaltConfigSchema>;

export const dailyDrawdownHalt: RiskGate<DailyDrawdownHaltConfig> = {
	name: 'dailyDrawdownHalt',
	description: 'Halt new entries for 24 h once equity is 5 % below the 00:00 UTC equity',
	configSchema: DailyDrawdownHaltConfigSchema,
	defaults: { maxDailyDrawdownRatio: 0.05, haltMs: 86_400_000 },
	evaluate(ctx, config) {
		const limit = -config.maxDailyDrawdownRatio;
		const drawdown = ctx.dayStartEquity > 0 ? ctx.equity / ctx.dayStartEquity - 1 : null;
		const base = { name: 'dailyDrawdownHalt', value: drawdown, limit };
		if (ctx.haltUntilMs !== null && ctx.haltUntilMs > ctx.nowMs) {
			return {
				...base,
				passed: false,
				action: 'reject',
				reasonCode: 'halted',
				detail: `trading halted until ${new Date(ctx.haltUntilMs).toISOString()} after a daily drawdown`,
			};
		}
		if (drawdown === null) {
			return {
				...base,
				passed: false,
				action: 'reject',
				reasonCode: 'daily_drawdown_halt',
				detail: 'day-start equity ≤ 0: drawdown undefined, no entries',
			};
		}
		if (drawdown <= limit) {
			const haltUntilMs = ctx.nowMs + config.haltMs;
			return {
				...base,
				passed: false,
				action: 'halt',
				reasonCode: 'daily_drawdown_halt',
				haltUntilMs,
				detail: `equity ${pct(drawdown)} since 00:00 UTC, at or below ${pct(
					limit,
				)}: new entries halted until ${new Date(haltUntilMs).toISOString()}`,
			};
		}
		return { ...base, passed: true, detail: `equity ${pct(drawdown)} since 00:00 UTC, above ${pct(limit)}` };
	},
};
