/**
 * @module watchdog/advanceIncidents
 * The watchdog's incident logic, pure (no I/O, no clock: the check time is an argument). Each named
 * check (the math service, n8n, the database, each heartbeat job's freshness) is in one of two
 * states:
 *
 * - `ok`: healthy, or failing fewer than `failuresToAlert` checks in a row (a single blip does not
 *   page anyone);
 * - `failing`: an open incident. It opens on the `failuresToAlert`-th failing check in a row, and
 *   that transition — only that one — yields an `alert` notice.
 *
 * A `failing` check that observes `ok` closes its incident with one `recovered` notice (with how
 * long it lasted). Repeated failing checks while an incident is open yield nothing, so an operator
 * gets exactly one alert and one recovery per incident. An `unknown` observation (the check could
 * not be made because something it depends on is down, e.g. the heartbeat when the service does not
 * answer) changes nothing: the incident of the dependency speaks for it.
 *
 * The state is plain JSON, kept by the watchdog in its state file, so a restarted watchdog continues
 * the open incidents instead of alerting again.
 */

export type CheckStatus = 'ok' | 'failing' | 'unknown';

/** One check's result at one moment. */
export interface CheckObservation {
	/** Stable name, e.g. `math_service`, `n8n`, `database`, `heartbeat:risk_monitor`. */
	check: string;
	status: CheckStatus;
	/** What was seen, in words (shown in the alert). */
	detail: string;
}

export interface CheckState {
	status: 'ok' | 'failing';
	/** Failing observations in a row (0 when the last one was ok). */
	consecutiveFailures: number;
	/** Unix ms of the first failing observation of the current run of failures; null when ok. */
	failingSinceMs: number | null;
	/** The latest detail seen. */
	detail: string;
}

export interface IncidentState {
	checks: Record<string, CheckState>;
}

export interface IncidentNotice {
	kind: 'alert' | 'recovered';
	check: string;
	detail: string;
	/** When the failures began (Unix ms). */
	sinceMs: number;
	/** When this notice was decided (Unix ms). */
	atMs: number;
	/** Recovered only: how long the incident lasted, atMs − sinceMs. */
	durationMs?: number;
}

export interface IncidentOptions {
	/** Failing checks in a row that open an incident (≥ 1). */
	failuresToAlert: number;
}

export const EMPTY_INCIDENT_STATE: IncidentState = { checks: {} };

const OK_STATE: CheckState = { status: 'ok', consecutiveFailures: 0, failingSinceMs: null, detail: '' };

/** The next state of every observed check and the notices to send (checks not observed keep their state). */
export function advanceIncidents(
	state: IncidentState,
	observations: readonly CheckObservation[],
	atMs: number,
	options: IncidentOptions,
): { state: IncidentState; notices: IncidentNotice[] } {
	const failuresToAlert = Math.max(1, Math.floor(options.failuresToAlert));
	const checks: Record<string, CheckState> = { ...state.checks };
	const notices: IncidentNotice[] = [];
	for (const o of observations) {
		const before = checks[o.check] ?? OK_STATE;
		if (o.status === 'unknown') continue;
		if (o.status === 'ok') {
			if (before.status === 'failing') {
				const sinceMs = before.failingSinceMs ?? atMs;
				notices.push({ kind: 'recovered', check: o.check, detail: o.detail, sinceMs, atMs, durationMs: Math.max(0, atMs - sinceMs) });
			}
			checks[o.check] = { ...OK_STATE, detail: o.detail };
			continue;
		}
		const consecutiveFailures = before.consecutiveFailures + 1;
		const failingSinceMs = before.failingSinceMs ?? atMs;
		if (before.status === 'failing') {
			checks[o.check] = { status: 'failing', consecutiveFailures, failingSinceMs, detail: o.detail };
		} else if (consecutiveFailures >= failuresToAlert) {
			checks[o.check] = { status: 'failing', consecutiveFailures, failingSinceMs, detail: o.detail };
			notices.push({ kind: 'alert', check: o.check, detail: o.detail, sinceMs: failingSinceMs, atMs });
		} else {
			checks[o.check] = { status: 'ok', consecutiveFailures, failingSinceMs, detail: o.detail };
		}
	}
	return { state: { checks }, notices };
}

/** Checks with an open incident. */
export function openIncidents(state: IncidentState): string[] {
	return Object.entries(state.checks)
		.filter(([, s]) => s.status === 'failing')
		.map(([name]) => name)
		.sort();
}
