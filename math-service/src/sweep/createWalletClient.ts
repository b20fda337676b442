/**
 * @module sweep/createWalletClient
 * A real ccxt Binance client with the account's keys, for the sweep: spot markets only, no margin
 * pairs (the keys need no margin permission), the signed REST roots derived from one origin
 * (`<origin>/api/v3` for the spot account, `<origin>/sapi/v1` for the wallet), so a loopback fake
 * can stand in for Binance. The keys stay inside the client and are never printed.
 */
import ccxt from 'ccxt';
import type { SweepSettings } from './sweepSettings.js';

/** The ccxt calls the sweep makes (the type tests substitute). */
export interface WalletClient {
	loadMarkets(): Promise<unknown>;
	fetchBalance(): Promise<{ free?: Record<string, number | undefined> }>;
	fetchWithdrawals(code: string, since: number, limit?: number): Promise<{ id?: string; amount?: number; status?: string; timestamp?: number; address?: string }[]>;
	withdraw(code: string, amount: number, address: string, tag?: string, params?: Record<string, unknown>): Promise<{ id?: string; info?: unknown }>;
	currencies: Record<string, { info?: unknown } | undefined>;
}

export function createWalletClient(settings: Pick<SweepSettings, 'apiKey' | 'secret' | 'apiUrl'>, timeoutMs = 15_000): WalletClient {
	const origin = settings.apiUrl.replace(/\/+$/, '');
	const client = new ccxt.binance({
		apiKey: settings.apiKey,
		secret: settings.secret,
		enableRateLimit: true,
		timeout: timeoutMs,
		options: { fetchMarkets: { types: ['spot'] }, fetchMargins: false },
		urls: { api: { public: `${origin}/api/v3`, private: `${origin}/api/v3`, sapi: `${origin}/sapi/v1` } },
	} as ConstructorParameters<typeof ccxt.binance>[0]);
	return client as unknown as WalletClient;
}
