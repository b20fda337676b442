/**
 * @module sweep/runSweep
 * One cold-wallet sweep: moves the exchange balance above the threshold to the one whitelisted
 * cold-wallet address, within a daily cap (core/sweep/planSweep).
 *
 * Order of the safety checks, each one before anything it protects:
 * 1. the address must be in the whitelist — checked before the exchange is contacted at all;
 * 2. `execute` only when LIVE (HFQ_MODE=LIVE and HFQ_LIVE_CONFIRM) — a dry run may look in any
 *    mode, a withdrawal is refused (with the missing switch named) before any key is used;
 * 3. the network must be open for withdrawals on the exchange;
 * 4. the daily cap counts every withdrawal of the asset since 00:00 UTC that the exchange's
 *    withdrawal history lists as pending or completed (so also ones made by hand or by another run).
 *
 * A dry run (the default) says what it would withdraw and why, and sends nothing anywhere. An
 * executed sweep calls ccxt `withdraw` once, and sends a Telegram notice of the withdrawal (or of
 * its failure) when a notifier is configured.
 */
import { planSweep, type SweepPlan } from '../core/sweep/planSweep.js';
import { OperatorError } from '../errors.js';
import type { Notifier } from '../notify/telegramNotifier.js';
import type { WalletClient } from './createWalletClient.js';
import type { LiveSwitch } from './liveSwitchFromEnv.js';
import { assertWhitelisted, type SweepSettings } from './sweepSettings.js';

export interface SweepReport {
	outcome: 'dry_run' | 'withdrawn' | 'nothing_to_do';
	asset: string;
	network: string;
	address: string;
	free_balance: number;
	keep_amount: number;
	withdrawn_today: number;
	daily_cap: number;
	/** The amount withdrawn (or that a dry run would withdraw); null when nothing. */
	amount: number | null;
	withdrawal_fee: number | null;
	withdrawal_id: string | null;
	live: boolean;
	reason: string;
}

export interface SweepDeps {
	settings: SweepSettings;
	/** The destination; the settings' address unless the operator named another (still whitelisted). */
	address?: string;
	live: LiveSwitch;
	execute: boolean;
	/** Built only once the whitelist and the LIVE switch allow contacting the exchange. */
	client: () => WalletClient;
	notifier: Notifier | null;
	now?: () => number;
	log?: (line: string) => void;
}

interface BinanceNetwork {
	network?: string;
	withdrawEnable?: boolean;
	withdrawMin?: string;
	withdrawFee?: string;
	withdrawIntegerMultiple?: string;
}

const COUNTED = new Set(['pending', 'ok']);

/** Start of the UTC day of `ms`. */
export const utcDayStart = (ms: number) => ms - (ms % 86_400_000);

export async function runSweep(deps: SweepDeps): Promise<SweepReport> {
	const { settings } = deps;
	const now = deps.now ?? Date.now;
	const address = deps.address ?? settings.address;
	assertWhitelisted(address, settings.whitelist);
	if (deps.execute && !deps.live.live) {
		throw new OperatorError(`refused: a withdrawal needs LIVE mode (${deps.live.reason}); run without --execute to see what a sweep would do`);
	}
	const client = deps.client();
	await client.loadMarkets();
	const coin = client.currencies[settings.asset];
	if (!coin) throw new OperatorError(`HFQ_SWEEP_ASSET: the exchange lists no coin ${settings.asset}`);
	const networks = ((coin.info as { networkList?: BinanceNetwork[] } | undefined)?.networkList ?? []) as BinanceNetwork[];
	const network = networks.find((n) => n.network === settings.network);
	if (!network) throw new OperatorError(`HFQ_SWEEP_NETWORK: ${settings.asset} has no network ${settings.network} on the exchange (it has ${networks.map((n) => n.network).join(', ') || 'none'})`);
	if (network.withdrawEnable !== true) throw new OperatorError(`refused: ${settings.asset} withdrawals on ${settings.network} are suspended by the exchange; nothing was sent`);

	const balance = await client.fetchBalance();
	const freeBalance = Number(balance.free?.[settings.asset] ?? 0);
	const dayStart = utcDayStart(now());
	const today = await client.fetchWithdrawals(settings.asset, dayStart, 1000);
	const withdrawnToday = today.filter((w) => (w.timestamp ?? 0) >= dayStart && COUNTED.has(String(w.status))).reduce((sum, w) => sum + Number(w.amount ?? 0), 0);
	const fee = network.withdrawFee === undefined ? null : Number(network.withdrawFee);
	const plan: SweepPlan = planSweep({
		freeBalance,
		keepAmount: settings.keepAmount,
		withdrawnToday,
		dailyCap: settings.dailyCap,
		minWithdrawal: network.withdrawMin === undefined ? null : Number(network.withdrawMin),
		step: network.withdrawIntegerMultiple === undefined ? null : Number(network.withdrawIntegerMultiple),
	});
	const report: SweepReport = {
		outcome: 'nothing_to_do',
		asset: settings.asset,
		network: settings.network,
		address,
		free_balance: freeBalance,
		keep_amount: settings.keepAmount,
		withdrawn_today: withdrawnToday,
		daily_cap: settings.dailyCap,
		amount: null,
		withdrawal_fee: fee,
		withdrawal_id: null,
		live: deps.live.live,
		reason: '',
	};
	if (plan.action === 'none') return { ...report, reason: plan.reason };
	const what = `${plan.amount} ${settings.asset} to ${address} on ${settings.network}`;
	const why = `free ${freeBalance}, keep ${settings.keepAmount}, withdrawn today ${withdrawnToday} of the cap ${settings.dailyCap}${fee === null ? '' : `; the exchange takes a fee of ${fee}`}`;
	if (!deps.execute) {
		return { ...report, outcome: 'dry_run', amount: plan.amount, reason: `would withdraw ${what} (${why}); run with --execute${deps.live.live ? '' : ' in LIVE mode'} to send it` };
	}
	let result: { id?: string };
	try {
		result = await client.withdraw(settings.asset, plan.amount, address, undefined, { network: settings.network });
	} catch (error) {
		const message = `⚠️ HighFreqQuant cold-wallet sweep FAILED: ${what} was refused by the exchange: ${(error as Error).message}`;
		await deps.notifier?.send(message).catch((e: Error) => deps.log?.(`sweep: Telegram notice not sent: ${e.message}`));
		throw new OperatorError(message.replace(/^⚠️ /, ''), { cause: error });
	}
	const id = result.id ?? null;
	const done: SweepReport = { ...report, outcome: 'withdrawn', amount: plan.amount, withdrawal_id: id, reason: `withdrew ${what} (${why}); withdrawal id ${id ?? 'not given'}` };
	await deps.notifier
		?.send(`🧊 HighFreqQuant cold-wallet sweep: withdrew ${what}.\nWithdrawal id ${id ?? 'not given'}; ${why}.`)
		.catch((e: Error) => deps.log?.(`sweep: Telegram notice not sent: ${e.message}`));
	return done;
}
