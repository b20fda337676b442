/**
 * @module cli/watchdog
 * `npm run watchdog [-- --once]`: the desk's watchdog, its own process beside the math service and
 * n8n. Every `HFQ_WATCHDOG_INTERVAL_MS` it checks the math service (/health), n8n (/healthz), the
 * database (a query) and heartbeat freshness (GET /v1/heartbeat: the market-data and risk-monitor
 * jobs), and sends one Telegram message when a check starts failing and one when it recovers —
 * never more per incident, also across restarts (watchdog/runWatchdogRound, state in
 * `HFQ_WATCHDOG_STATE_FILE`). Settings: watchdog/watchdogSettings.ts; a bad one stops the start with
 * its name (exit 1). `--once` runs a single round and exits (0 when nothing is failing, 3 when an
 * incident is open), for cron or a manual look. SIGTERM/SIGINT end the loop after the current round.
 */
import { createTelegramNotifier } from '../notify/telegramNotifier.js';
import { runWatchdogRound } from '../watchdog/runWatchdogRound.js';
import { WatchdogChecks } from '../watchdog/watchdogChecks.js';
import { watchdogSettingsFromEnv } from '../watchdog/watchdogSettings.js';
import { readWatchdogState } from '../watchdog/watchdogStateFile.js';
import { parseCliOptions } from './cliOptions.js';
import { isMainModule, runCliMain, type CliIo } from './runCli.js';

export const WATCHDOG_USAGE = 'usage: npm run watchdog [-- --once]   (settings: HFQ_WATCHDOG_* environment variables, docs/watchdog.md)';
/** Exit code of `--once` when an incident is open. */
export const EXIT_INCIDENT_OPEN = 3;

export async function watchdogMain(argv: string[], io: CliIo, env: Record<string, string | undefined> = process.env, signal?: AbortSignal): Promise<{ openIncidents: string[] }> {
	const options = parseCliOptions(argv, { once: { type: 'boolean' }, help: { type: 'boolean' } });
	const settings = watchdogSettingsFromEnv(env);
	let state = readWatchdogState(settings.stateFile);
	const log = (line: string) => io.stdout.write(`${new Date().toISOString()} ${line}\n`);
	const notifier = settings.telegram ? createTelegramNotifier({ ...settings.telegram, timeoutMs: settings.timeoutMs }) : null;
	const checks = new WatchdogChecks(settings);
	const heartbeat = Object.entries(settings.heartbeatMaxAgeMs).map(([job, ms]) => `${job} ≤ ${ms / 1000} s`).join(', ');
	log(`watchdog: checking ${settings.checks.join(', ')} every ${settings.intervalMs / 1000} s (service ${settings.serviceUrl}, n8n ${settings.n8nUrl}, heartbeat ${heartbeat}); alerts to ${notifier?.target ?? 'this log only'}; state ${settings.stateFile}`);
	for (const warning of settings.warnings) log(`watchdog: warning: ${warning}`);
	const open = Object.entries(state.incidents.checks).filter(([, s]) => s.status === 'failing').map(([c]) => c);
	if (open.length > 0) log(`watchdog: continuing open incidents (no new alert): ${open.join(', ')}`);

	const stop = new AbortController();
	const onSignal = () => stop.abort();
	signal?.addEventListener('abort', onSignal);
	if (!options.once) {
		process.once('SIGTERM', onSignal);
		process.once('SIGINT', onSignal);
	}
	const pause = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			stop.signal.addEventListener('abort', () => {
				clearTimeout(timer);
				resolve();
			}, { once: true });
		});
	try {
		if (settings.startDelayMs > 0 && !options.once) {
			log(`watchdog: first round in ${settings.startDelayMs / 1000} s (HFQ_WATCHDOG_START_DELAY_MS)`);
			await pause(settings.startDelayMs);
			if (stop.signal.aborted) return { openIncidents: Object.keys(state.incidents.checks).filter((c) => state.incidents.checks[c]?.status === 'failing') };
		}
		for (;;) {
			const round = await runWatchdogRound({ stateFile: settings.stateFile, failuresToAlert: settings.failuresToAlert, check: () => checks.run(), notifier, log }, state);
			state = round.state;
			const named = (status: string) => round.result.observations.filter((o) => o.status === status).map((o) => o.check);
			const [ok, failing, unknown] = [named('ok'), named('failing'), named('unknown')];
			log(`watchdog: round done: ${ok.length}/${round.result.observations.length} ok${failing.length ? `, failing: ${failing.join(', ')}` : ''}${unknown.length ? `, not checkable: ${unknown.join(', ')}` : ''}${round.result.pending ? `, ${round.result.pending} notice(s) waiting for delivery` : ''}`);
			if (options.once || stop.signal.aborted) return { openIncidents: round.result.open };
			await pause(settings.intervalMs);
			if (stop.signal.aborted) return { openIncidents: round.result.open };
		}
	} finally {
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
		signal?.removeEventListener('abort', onSignal);
		await checks.close();
		log('watchdog: stopped');
	}
}

if (isMainModule(import.meta.url, 'watchdog')) {
	let incidentOpen = false;
	runCliMain(async (argv, io) => {
		incidentOpen = (await watchdogMain(argv, io)).openIncidents.length > 0;
	}, WATCHDOG_USAGE, process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
		process.exitCode = code === 0 && incidentOpen && process.argv.includes('--once') ? EXIT_INCIDENT_OPEN : code;
	});
}
