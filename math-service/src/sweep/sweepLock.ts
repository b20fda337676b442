/**
 * @module sweep/sweepLock
 * One executing sweep at a time on this machine: two runs started together (a cron job and a
 * hand, say) would both read the same withdrawal history before either withdrew, and together
 * exceed the daily cap. `--execute` therefore creates `<HFQ_DATA_DIR>/sweep-wallet.lock`
 * exclusively (O_EXCL) before it reads anything, and removes it when done. A lock older than
 * `staleAfterMs` (a run that crashed) is taken over; a fresh one refuses the run with its age and
 * holder.
 */
import { mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OperatorError } from '../errors.js';

export const SWEEP_LOCK_STALE_MS = 10 * 60_000;

/** Takes the lock; returns its release. @throws OperatorError when another sweep holds it. */
export function acquireSweepLock(file: string, now: () => number = Date.now, staleAfterMs = SWEEP_LOCK_STALE_MS): () => void {
	mkdirSync(dirname(file), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, `${process.pid} ${new Date(now()).toISOString()}\n`);
			closeSync(fd);
			return () => rmSync(file, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const ageMs = now() - statSync(file).mtimeMs;
			if (ageMs < staleAfterMs) {
				const holder = readFileSync(file, 'utf8').trim();
				throw new OperatorError(`refused: another sweep is running (lock ${file}, held by ${holder || 'unknown'}, ${Math.round(ageMs / 1000)} s old); nothing was sent`);
			}
			rmSync(file, { force: true });
		}
	}
	throw new OperatorError(`refused: could not take the sweep lock ${file}; nothing was sent`);
}
