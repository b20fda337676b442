/**
 * @module pipeline/heartbeatWire
 * Wire shapes shared by the heartbeat endpoints (`/v1/positions/check`, `/v1/scan`, the refresh
 * routes): the `run` block says whether this call acted under the job's lease or found a previous
 * run still working (skipped, after waiting `waited_ms`), and the risk monitor's events.
 */
import { z } from '@hono/zod-openapi';
import type { HeartbeatRunAnswer } from '../heartbeat/runHeartbeatJob.js';

export const HeartbeatRunSchema = z
	.object({
		job: z.string().openapi({ example: 'risk_monitor' }),
		ran: z.boolean().openapi({ description: 'True when this call held the lease and acted' }),
		skipped: z.enum(['locked']).nullable().openapi({ description: '"locked": a previous run of the job still held the lease, so this one did not act' }),
		reason: z.string().nullable().openapi({ description: 'Why it was skipped (who holds the lease, since when, how long this run waited)' }),
		held_by: z.string().nullable(),
		held_since: z.number().nullable().openapi({ description: 'Unix ms' }),
		waited_ms: z.number().openapi({ description: 'How long this call waited for the lease' }),
		lock_lost: z.boolean().openapi({ description: 'The lease lapsed while this run worked (it still finished)' }),
		started_at: z.number().openapi({ description: 'Unix ms' }),
		finished_at: z.number().openapi({ description: 'Unix ms' }),
		duration_ms: z.number(),
	})
	.openapi('HeartbeatRun');

export type HeartbeatRunWire = z.infer<typeof HeartbeatRunSchema>;

/** The `run` block of an answer (every field present, nulls for what does not apply). */
export function runBlock(a: HeartbeatRunAnswer<unknown>): HeartbeatRunWire {
	return {
		job: a.job,
		ran: a.ran,
		skipped: a.skipped ?? null,
		reason: a.reason ?? null,
		held_by: a.held_by ?? null,
		held_since: a.held_since ?? null,
		waited_ms: a.waited_ms,
		lock_lost: a.lock_lost ?? false,
		started_at: a.started_at,
		finished_at: a.finished_at,
		duration_ms: a.duration_ms,
	};
}

/** Lease options every heartbeat request may carry. */
export const LeaseRequestFields = {
	wait_ms: z.number().int().min(0).max(60_000).optional().openapi({ description: 'Wait up to this long for a previous run of the job to finish before skipping. Default 0 (skip at once)' }),
};

export const RiskMonitorEventSchema = z
	.object({
		type: z.enum(['close', 'halt']),
		message: z.string().openapi({ description: 'Plain-text Telegram message, ready to send' }),
		position_id: z.number().int().optional(),
		symbol: z.string().optional(),
		strategy: z.string().optional(),
		exit_reason: z.enum(['stop', 'target', 'time_stop']).optional(),
		entry_price: z.number().optional(),
		fill_price: z.number().optional(),
		quantity: z.number().optional(),
		pnl: z.number().optional().openapi({ description: 'Net of both fees, quote currency' }),
		return_ratio: z.number().optional(),
		held_hours: z.number().optional(),
		exit_time: z.string().optional(),
		live_via: z.enum(['market', 'oco_stop', 'oco_target']).nullable().optional().openapi({ description: 'A LIVE position: how the exchange closed it (market sell, or the OCO leg that filled); null for paper' }),
		halt_until: z.string().optional(),
		day_return_ratio: z.number().optional(),
		limit: z.number().optional(),
		equity: z.number().nullable().optional(),
	})
	.openapi('RiskMonitorEvent', { description: 'close: one per position closed by stop, target or time stop; halt: a daily-drawdown halt this tick started' });
