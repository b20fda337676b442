/**
 * @module cli/progressBar
 * Progress of a long sweep on stderr (stdout stays clean for piping): on a terminal a bar redrawn
 * in place (`\r[#####.....]  50% 500/1000 sweep`), at most once per whole percent; otherwise (CI
 * logs, redirected stderr) one plain line per 10%, so logs stay short.
 */

export interface ProgressStream {
	isTTY?: boolean;
	write(chunk: string): boolean;
}

export interface Progress {
	update(done: number, total: number): void;
	/** Ends the bar's line (terminal only). */
	done(): void;
}

const WIDTH = 30;

export function createProgress(stream: ProgressStream, label: string): Progress {
	const tty = stream.isTTY === true;
	let lastPct = -1;
	let drawn = false;
	return {
		update(done, total) {
			if (!(total > 0)) return;
			const pct = Math.min(100, Math.floor((done * 100) / total));
			if (tty) {
				if (pct === lastPct) return;
				lastPct = pct;
				const filled = Math.round((pct / 100) * WIDTH);
				stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(pct).padStart(3)}% ${done}/${total} ${label}`);
				drawn = true;
			} else {
				const step = Math.floor(pct / 10) * 10;
				if (step <= lastPct || step === 0) return;
				lastPct = step;
				stream.write(`${label}: ${step}% (${Math.round((step / 100) * total)}/${total})\n`);
			}
		},
		done() {
			if (tty && drawn) stream.write('\n');
			drawn = false;
		},
	};
}
