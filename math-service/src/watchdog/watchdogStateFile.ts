/**
 * @module watchdog/watchdogStateFile
 * The watchdog's memory between rounds and across restarts (`HFQ_WATCHDOG_STATE_FILE`): each
 * check's incident state, the notices decided but not yet delivered (the outbox: Telegram down is
 * no reason to lose an alert), and the time of the last round (the container health check reads
 * it). Written atomically (a temporary file renamed over the old one), so a crash mid-write leaves
 * the previous state, never half a file. A file that exists but cannot be read as this state stops
 * the start with its name: guessing would re-alert every open incident or forget them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OperatorError } from '../errors.js';
import type { IncidentNotice, IncidentState } from './advanceIncidents.js';

export interface WatchdogState {
	version: 1;
	incidents: IncidentState;
	/** Decided notices not yet delivered, oldest first. */
	outbox: IncidentNotice[];
	/** Unix ms of the last completed round; null before the first. */
	lastRoundAt: number | null;
}

export const EMPTY_WATCHDOG_STATE: WatchdogState = { version: 1, incidents: { checks: {} }, outbox: [], lastRoundAt: null };

export function readWatchdogState(file: string): WatchdogState {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY_WATCHDOG_STATE);
		throw new OperatorError(`HFQ_WATCHDOG_STATE_FILE: cannot read ${file}: ${(error as Error).message}`);
	}
	let parsed: Partial<WatchdogState>;
	try {
		parsed = JSON.parse(text) as Partial<WatchdogState>;
	} catch {
		throw new OperatorError(`HFQ_WATCHDOG_STATE_FILE: ${file} is not JSON; move it away to start with no open incident`);
	}
	if (parsed?.version !== 1 || typeof parsed.incidents?.checks !== 'object' || parsed.incidents.checks === null || !Array.isArray(parsed.outbox)) {
		throw new OperatorError(`HFQ_WATCHDOG_STATE_FILE: ${file} is not a watchdog state (version 1); move it away to start with no open incident`);
	}
	return { version: 1, incidents: parsed.incidents, outbox: parsed.outbox, lastRoundAt: typeof parsed.lastRoundAt === 'number' ? parsed.lastRoundAt : null };
}

export function writeWatchdogState(file: string, state: WatchdogState): void {
	mkdirSync(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(state, null, 1)}\n`);
	renameSync(temporary, file);
}
