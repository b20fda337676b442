/**
 * @module desk/haltDesk
 * The kill switch. `haltDesk` sets desk_state halted (who, since when) so the operatorHalt gate
 * refuses every entry decided after it — in this process and any other on the same database, and
 * after a restart; it runs in the pipeline queue, so a decision batch already running finishes and
 * the next one sees the halt. With `flatten` it then closes every open position
 * (desk/closeOpenPosition) and reports each one. Halting a halted desk keeps the first halt (and
 * still flattens when asked). `resumeDesk` lifts it. Each action is a desk_events row.
 */
import type { Pipeline } from '../pipeline/createPipeline.js';
import type { DeskHalt } from '../storage/deskState.js';
import { closeOpenPositions, type CloseOutcome } from './closeOpenPosition.js';

export interface HaltOutcome {
	halted: true;
	/** false when the desk was already halted (the first halt is kept). */
	changed: boolean;
	halted_since: string;
	halted_by: string;
	reason: string | null;
	flatten: CloseOutcome | null;
}

export async function haltDesk(p: Pipeline, o: { by: string; reason?: string | null; flatten?: boolean; prices?: Record<string, number> }): Promise<HaltOutcome> {
	const { state, changed } = await p.serialize(() =>
		p.storage.transaction(async (tx) => {
			const nowMs = p.now();
			const r = await tx.desk.halt({ by: o.by, reason: o.reason ?? null, atMs: nowMs });
			await tx.desk.recordEvent({ at: nowMs, action: 'halt', actor: o.by, detail: { changed: r.changed, flatten: o.flatten === true, reason: o.reason ?? null } });
			return r;
		}),
	);
	const flatten = o.flatten ? await closeOpenPositions(p, { symbol: 'all', actor: o.by, exitReason: 'operator_flatten', prices: o.prices }) : null;
	return { halted: true, changed, ...haltWire(state), flatten };
}

export async function resumeDesk(p: Pipeline, o: { by: string }): Promise<{ halted: false; changed: boolean }> {
	const changed = await p.serialize(() =>
		p.storage.transaction(async (tx) => {
			const nowMs = p.now();
			const was = await tx.desk.resume({ atMs: nowMs });
			await tx.desk.recordEvent({ at: nowMs, action: 'resume', actor: o.by, detail: { was_halted: was } });
			return was;
		}),
	);
	return { halted: false, changed };
}

function haltWire(state: DeskHalt) {
	return { halted_since: new Date(state.sinceMs ?? 0).toISOString(), halted_by: state.by ?? 'operator', reason: state.reason };
}
