/**
 * @module alpha/whitelistUniverse
 * The tradable universe the heartbeat scores and scans: every whitelisted asset (tiers 1–3, aliases
 * resolved) except networks without a token, quoted in `quote` (USDT by default): BTC/USDT … POL/USDT.
 */
import { DEFAULT_WHITELIST, type WhitelistConfig } from '../core/intake/whitelist.js';

export function whitelistUniverse(config: WhitelistConfig = DEFAULT_WHITELIST, quote = 'USDT'): string[] {
	const assets = [...config.tier1, ...config.tier2, ...config.tier3].map((a) => config.aliases[a.toUpperCase()] ?? a.toUpperCase());
	return [...new Set(assets)].filter((a) => config.chainsWithoutToken[a] === undefined).map((a) => `${a}/${quote}`);
}
