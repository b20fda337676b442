/**
 * @module cli/sweepWallet
 * `npm run sweep-wallet [-- --execute] [-- --address ADDR]`: the cold-wallet sweep (sweep/runSweep).
 * Without `--execute` it is a dry run: it reads the balance and today's withdrawals and prints what
 * it would withdraw. `--execute` withdraws, only in LIVE mode (HFQ_MODE=LIVE and
 * HFQ_LIVE_CONFIRM=I_UNDERSTAND_REAL_MONEY), and sends a Telegram notice to the operators' chat
 * (HFQ_WATCHDOG_CHAT_ID, else TELEGRAM_CHAT_ID) when TELEGRAM_BOT_TOKEN is set. `--address` picks
 * another whitelisted destination; any address outside HFQ_SWEEP_WHITELIST is refused before the
 * exchange is contacted. `--execute` holds `<HFQ_DATA_DIR>/sweep-wallet.lock` while it runs (one
 * executing sweep at a time). Prints the report as JSON on the last line. Refusals and bad settings
 * exit 1 with the reason.
 */
import { join } from 'node:path';
import { EnvReader } from '../EnvReader.js';
import { createTelegramNotifier, DEFAULT_TELEGRAM_API_BASE_URL, type Notifier } from '../notify/telegramNotifier.js';
import { createWalletClient } from '../sweep/createWalletClient.js';
import { liveSwitchFromEnv } from '../sweep/liveSwitchFromEnv.js';
import { runSweep } from '../sweep/runSweep.js';
import { acquireSweepLock } from '../sweep/sweepLock.js';
import { sweepSettingsFromEnv } from '../sweep/sweepSettings.js';
import { parseCliOptions, stringOption } from './cliOptions.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';

export const SWEEP_WALLET_USAGE = 'usage: npm run sweep-wallet [-- --execute] [-- --address ADDR]   (settings: HFQ_SWEEP_* environment variables, docs/watchdog.md)';

function operatorNotifier(env: Record<string, string | undefined>): Notifier | null {
	const r = new EnvReader(env);
	const token = r.raw('TELEGRAM_BOT_TOKEN');
	const chatId = r.raw('HFQ_WATCHDOG_CHAT_ID') ?? r.raw('TELEGRAM_CHAT_ID');
	const baseUrl = r.httpUrl('TELEGRAM_API_BASE_URL') ?? DEFAULT_TELEGRAM_API_BASE_URL;
	r.throwIfInvalid('Telegram configuration');
	return token && chatId ? createTelegramNotifier({ baseUrl, botToken: token, chatId }) : null;
}

export async function sweepWalletMain(argv: string[], io: CliIo, env: Record<string, string | undefined> = process.env): Promise<void> {
	const options = parseCliOptions(argv, { execute: { type: 'boolean' }, address: { type: 'string' }, help: { type: 'boolean' } });
	const settings = sweepSettingsFromEnv(env);
	const live = liveSwitchFromEnv(env);
	const notifier = operatorNotifier(env);
	const execute = options.execute === true;
	io.stdout.write(`sweep: ${execute ? 'EXECUTE' : 'dry run'} — ${settings.asset} above ${settings.keepAmount} to the cold wallet on ${settings.network}, daily cap ${settings.dailyCap}; mode ${live.live ? 'LIVE' : `not live (${live.reason})`}; notice to ${notifier?.target ?? 'nobody (Telegram not configured)'}\n`);
	// One executing sweep at a time (both would read the same history and exceed the cap together).
	const release = execute ? acquireSweepLock(join(new EnvReader(env).raw('HFQ_DATA_DIR') ?? './data', 'sweep-wallet.lock')) : () => {};
	const report = await runSweep({
		settings,
		address: stringOption(options, 'address'),
		live,
		execute,
		client: () => createWalletClient(settings),
		notifier,
		log: (line) => io.stderr.write(`${line}\n`),
	}).finally(release);
	io.stdout.write(`sweep: ${report.reason}\n${JSON.stringify(report)}\n`);
}

if (isMainModule(import.meta.url, 'sweepWallet')) runAsScript((argv, io) => sweepWalletMain(argv, io), SWEEP_WALLET_USAGE);
