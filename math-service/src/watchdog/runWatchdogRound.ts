/**
 * @module watchdog/runWatchdogRound
 * One round of the watchdog: run the checks, advance the incidents (advanceIncidents), store the
 * new state with the decided notices in the outbox, then deliver the outbox in order and store what
 * is left. Storing before sending means a crash between the two re-sends at most the notices of
 * that one round after a restart; a notice that cannot be delivered (Telegram down) stays in the
 * outbox and is tried again next round, so an alert is late rather than lost, and it is never
 * decided twice. Without a notifier the notices are only printed.
 */
import { advanceIncidents, openIncidents, type CheckObservation, type IncidentNotice } from './advanceIncidents.js';
import type { Notifier } from '../notify/telegramNotifier.js';
import { readWatchdogState, writeWatchdogState, type WatchdogState } from './watchdogStateFile.js';

export interface WatchdogRoundDeps {
	stateFile: string;
	failuresToAlert: number;
	check: () => Promise<CheckObservation[]>;
	notifier: Notifier | null;
	now?: () => number;
	log?: (line: string) => void;
}

export interface WatchdogRoundResult {
	observations: CheckObservation[];
	decided: IncidentNotice[];
	delivered: IncidentNotice[];
	/** Still in the outbox after this round (delivery failed). */
	pending: number;
	open: string[];
}

const LABELS: Record<string, string> = { math_service: 'math service', n8n: 'n8n', database: 'database' };
const label = (check: string) => LABELS[check] ?? (check.startsWith('heartbeat:') ? `heartbeat ${check.slice('heartbeat:'.length)}` : check);

function duration(ms: number): string {
	const s = Math.round(ms / 1000);
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min ${s % 60} s`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The Telegram text of a notice. */
export function noticeText(n: IncidentNotice): string {
	if (n.kind === 'alert') return `🔴 HighFreqQuant watchdog: ${label(n.check)} FAILING since ${utc(n.sinceMs)}\n${n.detail}`;
	return `🟢 HighFreqQuant watchdog: ${label(n.check)} recovered after ${duration(n.durationMs ?? 0)} (failing since ${utc(n.sinceMs)})\n${n.detail}`;
}

export async function runWatchdogRound(deps: WatchdogRoundDeps, state: WatchdogState = readWatchdogState(deps.stateFile)): Promise<{ state: WatchdogState; result: WatchdogRoundResult }> {
	const now = deps.now ?? Date.now;
	const log = deps.log ?? (() => {});
	const observations = await deps.check();
	const atMs = now();
	const next = advanceIncidents(state.incidents, observations, atMs, { failuresToAlert: deps.failuresToAlert });
	let current: WatchdogState = { version: 1, incidents: next.state, outbox: [...state.outbox, ...next.notices], lastRoundAt: atMs };
	writeWatchdogState(deps.stateFile, current);

	const delivered: IncidentNotice[] = [];
	while (current.outbox.length > 0) {
		const notice = current.outbox[0]!;
		const text = noticeText(notice);
		if (deps.notifier) {
			try {
				await deps.notifier.send(text);
			} catch (error) {
				log(`watchdog: could not deliver a notice to ${deps.notifier.target} (kept for the next round): ${(error as Error).message}`);
				break;
			}
		}
		log(`watchdog: ${notice.kind === 'alert' ? 'ALERT' : 'RECOVERED'} ${text.split('\n').join(' — ')}`);
		delivered.push(notice);
		current = { ...current, outbox: current.outbox.slice(1) };
		writeWatchdogState(deps.stateFile, current);
	}
	return { state: current, result: { observations, decided: next.notices, delivered, pending: current.outbox.length, open: openIncidents(current.incidents) } };
}
