/**
 * @module intake/whitelist
 * The seed's asset universe, "strictly enforced": only listed base assets may be traded.
 *
 * | Tier | Assets (defaults) |
 * |------|-------------------|
 * | 1 core | BTC, ETH |
 * | 2 established L1s | SOL, AVAX, NEAR, BNB |
 * | 3 major L2s | ARB, OP, BASE (network, no token), POL (ex-MATIC) |
 *
 * Two honest corrections to the seed:
 * - **MATIC → POL.** Polygon's MATIC was migrated to POL and Binance renamed the market in
 *   September 2024 (MATICUSDT stopped trading). `MATIC` is an alias: a MATIC ticker is accepted,
 *   traded as `POL`, and the decision carries a note saying so. Listing MATIC in a tier means POL.
 * - **BASE is a network, not a token.** Base (Coinbase's Ethereum L2) has no native token on any
 *   major exchange; its gas is ETH. It stays in tier 3 as a *chain entry* so the universe reads like
 *   the seed, but no ticker can match it: a BASE ticker is rejected as `no_tradable_token`.
 *
 * The tiers are configurable (the n8n Signal Intake node passes them as parameters); an asset not
 * in any tier is rejected as `not_whitelisted`.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import { deepFreeze } from '../deepFreeze.js';

const asset = z
	.string()
	.trim()
	.toUpperCase()
	.regex(/^[A-Z0-9]{1,20}$/, 'asset symbols are letters and digits, e.g. BTC');

/** A tier: an array of assets, or an n8n text parameter such as `"BTC, ETH"` (see `parseAssetList`). */
const tier = z.preprocess((v) => (typeof v === 'string' ? parseAssetList(v) : v), z.array(asset).max(200));

/** The configuration's shape without cross-field checks (use `.partial()` of this for overrides). */
export const WhitelistConfigShape = z.object({
	tier1: tier,
	tier2: tier,
	tier3: tier,
	/** Old name → current name (the trade uses the current name). */
	aliases: z.record(asset, asset),
	/** Networks without a tradable token: always rejected as `no_tradable_token`. */
	chainsWithoutToken: z.record(asset, z.string().max(300)),
});

export const WhitelistConfigSchema = WhitelistConfigShape.refine(
	(c) => Object.values(c.aliases).every((to) => c.aliases[to] === undefined),
	{ message: 'an alias target must not itself be an alias', path: ['aliases'] },
);

export type WhitelistConfig = z.infer<typeof WhitelistConfigSchema>;
/** Overrides as callers send them: tiers may be arrays or comma-separated text. */
export type WhitelistConfigInput = Partial<
	Omit<WhitelistConfig, 'tier1' | 'tier2' | 'tier3'> & Record<'tier1' | 'tier2' | 'tier3', string[] | string>
>;

export const DEFAULT_WHITELIST: WhitelistConfig = Object.freeze({
	tier1: ['BTC', 'ETH'],
	tier2: ['SOL', 'AVAX', 'NEAR', 'BNB'],
	tier3: ['ARB', 'OP', 'BASE', 'POL'],
	aliases: { MATIC: 'POL' },
	chainsWithoutToken: {
		BASE: 'Base is an Ethereum L2 network (Coinbase) with no native token on major exchanges (gas is paid in ETH); trade ETH or a listed asset instead',
	},
});

const ALIAS_NOTES: Record<string, string> = {
	MATIC: 'MATIC was renamed POL (Polygon migration; Binance switched the market in September 2024); traded as POL',
};

export type WhitelistTier = 1 | 2 | 3;

export type WhitelistResult =
	| { allowed: true; tier: WhitelistTier; asset: string; note: string | null }
	| { allowed: false; reasonCode: 'not_whitelisted' | 'no_tradable_token'; reason: string; base: string };

/** Defaults overlaid with `partial`, validated; throws `InvalidInputError` on a bad configuration. */
export function resolveWhitelistConfig(partial: WhitelistConfigInput = {}): WhitelistConfig {
	// The default universe (no override: every alert without whitelist thresholds) is validated once.
	if (Object.keys(partial).length === 0) return (resolvedDefault ??= deepFreeze(resolveWhitelistConfigOnce({})));
	return resolveWhitelistConfigOnce(partial);
}

let resolvedDefault: WhitelistConfig | undefined;

function resolveWhitelistConfigOnce(partial: WhitelistConfigInput): WhitelistConfig {
	const result = WhitelistConfigSchema.safeParse({ ...DEFAULT_WHITELIST, ...partial });
	if (!result.success) {
		const issue = result.error.issues[0]!;
		throw new InvalidInputError(`whitelist ${issue.path.join('.')}: ${issue.message}`, [
			'whitelist',
			...(issue.path as (string | number)[]),
		]);
	}
	return result.data;
}

/** Tier of `base` (after aliasing), or the reason it may not be traded. `config` must be resolved. */
export function checkWhitelist(base: string, config: WhitelistConfig = DEFAULT_WHITELIST): WhitelistResult {
	const upper = base.trim().toUpperCase();
	const canonical = config.aliases[upper] ?? upper;
	const chainNote = config.chainsWithoutToken[canonical];
	if (chainNote !== undefined) {
		return { allowed: false, reasonCode: 'no_tradable_token', reason: `${canonical}: ${chainNote}`, base: upper };
	}
	const canonicalOf = (a: string) => config.aliases[a] ?? a;
	const tiers: [WhitelistTier, string[]][] = [
		[1, config.tier1],
		[2, config.tier2],
		[3, config.tier3],
	];
	for (const [tier, assets] of tiers) {
		if (assets.some((a) => canonicalOf(a) === canonical)) {
			const note = canonical !== upper ? ALIAS_NOTES[upper] ?? `${upper} is traded as ${canonical}` : null;
			return { allowed: true, tier, asset: canonical, note };
		}
	}
	return {
		allowed: false,
		reasonCode: 'not_whitelisted',
		reason: `${upper} is not in the asset whitelist (tier 1: ${config.tier1.join(', ') || '—'}; tier 2: ${
			config.tier2.join(', ') || '—'
		}; tier 3: ${config.tier3.join(', ') || '—'})`,
		base: upper,
	};
}

/** Splits an n8n text parameter (`"BTC, ETH"`, one per line, `MATIC/POL`) into upper-case assets. */
export function parseAssetList(text: string): string[] {
	return text
		.split(/[\s,;/|]+/)
		.map((s) => s.trim().toUpperCase())
		.filter((s) => s !== '');
}
