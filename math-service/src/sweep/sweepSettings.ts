/**
 * @module sweep/sweepSettings
 * Settings of the cold-wallet sweep, read strictly (EnvReader): a bad or missing one stops the
 * command with its name. The sweep is configured only when `HFQ_SWEEP_ASSET` is set; then every
 * other sweep setting is required, the network included (an address is only valid on its network:
 * a wrong one loses the funds).
 *
 * | Variable | Rule |
 * |---|---|
 * | `HFQ_SWEEP_ASSET` | coin to sweep, e.g. `USDT` (2–15 of A–Z, 0–9) |
 * | `HFQ_SWEEP_THRESHOLD` | number ≥ 0: the free balance kept on the exchange; the excess is swept |
 * | `HFQ_SWEEP_ADDRESS` | the one destination (the cold wallet); must be in the whitelist |
 * | `HFQ_SWEEP_WHITELIST` | comma-separated addresses the sweep may ever send to |
 * | `HFQ_SWEEP_DAILY_CAP` | number > 0: most of the asset withdrawn per UTC day, this sweep included |
 * | `HFQ_SWEEP_NETWORK` | Binance network id of the address, e.g. `TRX`, `ETH`, `BSC`, `BTC` |
 * | `HFQ_SWEEP_API_KEY`, `HFQ_SWEEP_API_SECRET` | a Binance key with withdrawals enabled (and Binance's own address whitelist on). Deliberately not the trading key (`EXCHANGE_API_KEY`, which needs no withdrawal permission): a leaked trading key then cannot move funds |
 * | `HFQ_LIVE_BASE_URL` | origin of Binance's REST API, shared with LIVE execution (default `https://api.binance.com`; a loopback fake in tests) |
 * | `HFQ_LIVE_EXCHANGE` | must be `binance` (or unset): the sweep speaks Binance's wallet API |
 */
import { EnvReader } from '../EnvReader.js';
import { OperatorError } from '../errors.js';

export interface SweepSettings {
	asset: string;
	keepAmount: number;
	address: string;
	whitelist: string[];
	dailyCap: number;
	network: string;
	apiKey: string;
	secret: string;
	/** Origin of the signed REST API, without a trailing slash. */
	apiUrl: string;
}

export const DEFAULT_BINANCE_API_URL = 'https://api.binance.com';
const ADDRESS = /^[A-Za-z0-9:_-]{10,128}$/;

/** @throws OperatorError when the sweep is not configured or a setting is unusable (all named at once). */
export function sweepSettingsFromEnv(env: Record<string, string | undefined>): SweepSettings {
	const r = new EnvReader(env);
	const asset = r.raw('HFQ_SWEEP_ASSET');
	if (asset === undefined) throw new OperatorError('The cold-wallet sweep is not configured: set HFQ_SWEEP_ASSET and the other HFQ_SWEEP_* settings (docs/watchdog.md)');
	if (!/^[A-Z0-9]{2,15}$/.test(asset)) r.problem('HFQ_SWEEP_ASSET', `${JSON.stringify(asset)} is not a coin code such as USDT`);
	const required = (name: string) => {
		const value = r.raw(name);
		if (value === undefined) r.problem(name, 'is required when HFQ_SWEEP_ASSET is set');
		return value ?? '';
	};
	if (r.raw('HFQ_SWEEP_THRESHOLD') === undefined) r.problem('HFQ_SWEEP_THRESHOLD', 'is required when HFQ_SWEEP_ASSET is set');
	const keepAmount = r.number('HFQ_SWEEP_THRESHOLD', 0, { min: 0, max: 1e12 });
	if (r.raw('HFQ_SWEEP_DAILY_CAP') === undefined) r.problem('HFQ_SWEEP_DAILY_CAP', 'is required when HFQ_SWEEP_ASSET is set');
	const dailyCap = r.number('HFQ_SWEEP_DAILY_CAP', 0, { min: 0, max: 1e12, above: true });
	const address = required('HFQ_SWEEP_ADDRESS');
	if (address !== '' && !ADDRESS.test(address)) r.problem('HFQ_SWEEP_ADDRESS', 'is not an address (10–128 letters, digits, : _ -)');
	const whitelistText = required('HFQ_SWEEP_WHITELIST');
	const whitelist = whitelistText.split(',').map((a) => a.trim()).filter((a) => a !== '');
	const badEntry = whitelist.find((a) => !ADDRESS.test(a));
	if (badEntry !== undefined) r.problem('HFQ_SWEEP_WHITELIST', `${JSON.stringify(badEntry.slice(0, 40))} is not an address`);
	if (whitelistText !== '' && whitelist.length === 0) r.problem('HFQ_SWEEP_WHITELIST', 'lists no address');
	const network = required('HFQ_SWEEP_NETWORK');
	if (network !== '' && !/^[A-Z0-9_-]{2,20}$/.test(network)) r.problem('HFQ_SWEEP_NETWORK', `${JSON.stringify(network)} is not a Binance network id such as TRX or ETH`);
	const apiKey = required('HFQ_SWEEP_API_KEY');
	const secret = required('HFQ_SWEEP_API_SECRET');
	const apiUrl = r.httpUrl('HFQ_LIVE_BASE_URL') ?? DEFAULT_BINANCE_API_URL;
	const exchange = r.raw('HFQ_LIVE_EXCHANGE');
	if (exchange !== undefined && exchange !== 'binance') r.problem('HFQ_LIVE_EXCHANGE', `the sweep speaks Binance's wallet API only, not ${JSON.stringify(exchange)}`);
	r.throwIfInvalid('cold-wallet sweep configuration');
	return { asset: asset, keepAmount, address, whitelist, dailyCap, network, apiKey, secret, apiUrl };
}

/** Refuses an address that is not exactly one of the whitelist's. */
export function assertWhitelisted(address: string, whitelist: readonly string[]): void {
	if (!whitelist.includes(address)) {
		throw new OperatorError(`refused: ${address} is not in HFQ_SWEEP_WHITELIST (${whitelist.length} address${whitelist.length === 1 ? '' : 'es'}); nothing was sent`);
	}
}
