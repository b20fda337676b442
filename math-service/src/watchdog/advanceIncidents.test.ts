import { describe, expect, it } from 'vitest';
import { advanceIncidents, EMPTY_INCIDENT_STATE, openIncidents, type CheckObservation, type IncidentNotice, type IncidentState } from './advanceIncidents';

const ok = (check = 'heartbeat:risk_monitor'): CheckObservation => ({ check, status: 'ok', detail: 'fresh' });
const failing = (check = 'heartbeat:risk_monitor', detail = 'stale'): CheckObservation => ({ check, status: 'failing', detail });
const unknown = (check = 'heartbeat:risk_monitor'): CheckObservation => ({ check, status: 'unknown', detail: 'service down' });

/** Runs a sequence of observations (one per second) and returns every notice. */
function run(sequence: CheckObservation[][], failuresToAlert = 1, start: IncidentState = EMPTY_INCIDENT_STATE) {
	let state = start;
	const notices: IncidentNotice[] = [];
	sequence.forEach((observations, i) => {
		const next = advanceIncidents(state, observations, 1_000 * (i + 1), { failuresToAlert });
		state = next.state;
		notices.push(...next.notices);
	});
	return { state, notices };
}

describe('advanceIncidents', () => {
	it('returns no notice while every check is ok', () => {
		expect(run([[ok()], [ok()], [ok()]]).notices).toEqual([]);
	});

	it('alerts once when a check starts failing and stays failing', () => {
		const { notices, state } = run([[ok()], [failing()], [failing()], [failing()], [failing()]]);
		expect(notices).toEqual([{ kind: 'alert', check: 'heartbeat:risk_monitor', detail: 'stale', sinceMs: 2_000, atMs: 2_000 }]);
		expect(openIncidents(state)).toEqual(['heartbeat:risk_monitor']);
	});

	it('reports one recovery with the incident duration, then nothing more', () => {
		const { notices, state } = run([[failing()], [failing()], [ok()], [ok()], [ok()]]);
		expect(notices.map((n) => n.kind)).toEqual(['alert', 'recovered']);
		expect(notices[1]).toEqual({ kind: 'recovered', check: 'heartbeat:risk_monitor', detail: 'fresh', sinceMs: 1_000, atMs: 3_000, durationMs: 2_000 });
		expect(openIncidents(state)).toEqual([]);
	});

	it('a second incident after a recovery alerts again (once)', () => {
		const { notices } = run([[failing()], [ok()], [failing()], [failing()], [ok()]]);
		expect(notices.map((n) => `${n.kind}@${n.atMs}`)).toEqual(['alert@1000', 'recovered@2000', 'alert@3000', 'recovered@5000']);
	});

	it('waits for failuresToAlert failing checks in a row; a blip shorter than that says nothing', () => {
		expect(run([[failing()], [failing()], [ok()], [failing()], [ok()]], 3).notices).toEqual([]);
		const { notices } = run([[ok()], [failing()], [failing()], [failing()], [failing()]], 3);
		expect(notices).toEqual([{ kind: 'alert', check: 'heartbeat:risk_monitor', detail: 'stale', sinceMs: 2_000, atMs: 4_000 }]);
	});

	it('keeps the state on an unknown observation (the dependency carries the incident)', () => {
		const { notices, state } = run([[failing()], [unknown()], [unknown()], [failing()]]);
		expect(notices.map((n) => n.kind)).toEqual(['alert']);
		expect(state.checks['heartbeat:risk_monitor']?.status).toBe('failing');
		expect(run([[unknown()], [unknown()]]).notices).toEqual([]);
	});

	it('tracks each check on its own', () => {
		const { notices } = run([
			[failing('n8n'), ok('database')],
			[failing('n8n'), failing('database')],
			[ok('n8n'), failing('database')],
		]);
		expect(notices.map((n) => `${n.kind}:${n.check}`)).toEqual(['alert:n8n', 'alert:database', 'recovered:n8n']);
	});

	it('continues an open incident from a stored state (a restarted watchdog does not alert again)', () => {
		const first = run([[failing()], [failing()]]);
		const stored = JSON.parse(JSON.stringify(first.state)) as IncidentState;
		const second = run([[failing()], [failing()], [ok()]], 1, stored);
		expect(second.notices.map((n) => n.kind)).toEqual(['recovered']);
		expect(second.notices[0]?.sinceMs).toBe(1_000);
	});

	it('does not change the state it was given', () => {
		const state: IncidentState = { checks: {} };
		advanceIncidents(state, [failing()], 1, { failuresToAlert: 1 });
		expect(state).toEqual({ checks: {} });
	});
});
