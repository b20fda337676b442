/**
 * @module bench/index
 * `npm run bench` (root) runs every benchmark section in order and prints each figure beside its
 * target; `npm run bench -- var service` runs only the named sections. BENCH_QUICK=1 shortens
 * the long ones. Timing targets live here, never in tests. Opt-in sections (OPT_IN) run only
 * when named: `npm run bench -- intake`.
 *
 * ADDING A SECTION: write `bench/<name>.bench.ts` exporting an async (or sync) `run…Bench()` that
 * prints its figures with `printFigure` from ./report, then add one line to SECTIONS below. Each
 * section is imported lazily, so one broken section does not stop the others.
 */
import os from 'node:os';

type Section = () => Promise<() => void | Promise<void>>;

const SECTIONS: Record<string, Section> = {
	service: async () => (await import('./service.bench')).runServiceBench,
	var: async () => (await import('./var.bench')).runVarBench,
	backtest: async () => (await import('./backtest.bench')).runBacktestBench,
	pipeline: async () => (await import('./pipeline.bench')).runPipelineBench,
	decisions: async () => (await import('./pipeline.bench')).runDecisionBench,
	intake: async () => (await import('./intake.bench')).runIntakeBench,
	live: async () => (await import('./live.bench')).runLiveBench,
	heartbeat: async () => (await import('./heartbeat.bench')).runHeartbeatBench,
	backfill: async () => (await import('./backfill.bench')).runBackfillBench,
};

/** Sections left out of a plain `npm run bench` (long, need Postgres and Redis): run them by name. */
const OPT_IN = new Set(['intake']);

async function main(): Promise<void> {
	const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const unknown = wanted.filter((w) => !(w in SECTIONS));
	if (unknown.length > 0) {
		console.error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
		process.exit(2);
	}
	const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS).filter((name) => !OPT_IN.has(name));
	console.log(`HighFreqQuant benchmarks: ${names.join(', ')} — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
	let failed = 0;
	for (const name of names) {
		console.log(`\n== ${name} ==`);
		try {
			const run = await SECTIONS[name]!();
			await run();
		} catch (error) {
			failed++;
			console.error(`bench section ${name} failed:`, error);
		}
	}
	process.exit(failed > 0 ? 1 : 0);
}

void main();
