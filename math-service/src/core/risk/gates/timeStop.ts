/**
 * @module risk/gates/timeStop
 * Financial rule (seed risk table, "Time Stop 48 h — close if no target"): a mean-reversion trade
 * that has not reached its target or stop within `maxHoldMs` has lost its reason to exist and is
 * closed at market. A position is due once its age (now − openedAt) is ≥ maxHoldMs.
 *
 * This is not an entry filter: `positionsToTimeStop` is what the position watcher calls to find the
 * positions to close. As a gate it is informational (always passes) and lists the overdue
 * positions on the receipt so the operator sees them.
 *
 * Docs:
 * ```
 * timeStop  { maxHoldMs: 172800000 }
 *   value = age of the oldest open position in hours (null when flat), limit = 48; never rejects.
 *   positionsToTimeStop(openPositions, nowMs, maxHoldMs) → positions to close, oldest first.
 * ```
 */
import { z } from 'zod';
import type { OpenPosition, RiskGate } from '../RiskGate.js';

export const TimeStopConfigSchema = z.object({ maxHoldMs: z.number().int().positive() });
export type TimeStopConfig = z.infer<typeof TimeStopConfigSchema>;

export const DEFAULT_MAX_HOLD_MS = 48 * 3_600_000;

export type TimeStoppedPosition<P extends OpenPosition = OpenPosition> = P & { ageMs: number };

/** Open positions whose age is ≥ `maxHoldMs` at `nowMs`, oldest first, each with its `ageMs`. */
export function positionsToTimeStop<P extends OpenPosition>(
	openPositions: readonly P[],
	nowMs: number,
	maxHoldMs: number = DEFAULT_MAX_HOLD_MS,
): TimeStoppedPosition<P>[] {
	return openPositions
		.map((p) => ({ ...p, ageMs: nowMs - p.openedAtMs }))
		.filter((p) => p.ageMs >= maxHoldMs)
		.sort((a, b) => b.ageMs - a.ageMs);
}

const hours = (ms: number) => ms / 3_600_000;

export const timeStop: RiskGate<TimeStopConfig> = {
	name: 'timeStop',
	description: 'Positions open 48 h without hitting target or stop are closed (informational at entry)',
	configSchema: TimeStopConfigSchema,
	defaults: { maxHoldMs: DEFAULT_MAX_HOLD_MS },
	evaluate(ctx, config) {
		const oldest = ctx.openPositions.reduce<number | null>(
			(max, p) => Math.max(max ?? -Infinity, ctx.nowMs - p.openedAtMs),
			null,
		);
		const due = positionsToTimeStop(ctx.openPositions, ctx.nowMs, config.maxHoldMs);
		const detail =
			due.length === 0
				? `no position open ${hours(config.maxHoldMs)} h or longer`
				: `${due.length} position(s) past the ${hours(config.maxHoldMs)} h time stop, to close: ${due
						.map((p) => `${p.symbol} (${hours(p.ageMs).toFixed(1)} h)`)
						.join(', ')}`;
		return {
			name: 'timeStop',
			passed: true,
			value: oldest === null ? null : hours(oldest),
			limit: hours(config.maxHoldMs),
			detail,
		};
	},
};
