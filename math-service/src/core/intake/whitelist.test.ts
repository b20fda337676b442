import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { checkWhitelist, DEFAULT_WHITELIST, parseAssetList, resolveWhitelistConfig } from './whitelist.js';

describe('checkWhitelist', () => {
	it.each([
		['BTC', 1],
		['ETH', 1],
		['SOL', 2],
		['AVAX', 2],
		['NEAR', 2],
		['BNB', 2],
		['ARB', 3],
		['OP', 3],
		['POL', 3],
	])('allows %s as tier %i with the default tiers', (base, tier) => {
		const result = checkWhitelist(base, DEFAULT_WHITELIST);
		expect(result).toMatchObject({ allowed: true, tier, asset: base, note: null });
	});

	it('maps MATIC to POL (renamed on Binance, September 2024) with a note', () => {
		const result = checkWhitelist('MATIC', DEFAULT_WHITELIST);
		expect(result).toMatchObject({ allowed: true, tier: 3, asset: 'POL' });
		expect(result.allowed && result.note).toMatch(/MATIC.*POL.*2024/);
	});

	it('rejects BASE with no_tradable_token, explaining Base is a network without a token', () => {
		const result = checkWhitelist('BASE', DEFAULT_WHITELIST);
		expect(result).toMatchObject({ allowed: false, reasonCode: 'no_tradable_token', base: 'BASE' });
		expect(!result.allowed && result.reason).toMatch(/network.*no.*token/i);
	});

	it('rejects everything else with not_whitelisted and the base asset', () => {
		for (const base of ['DOGE', 'PEPE', 'USDT', 'WBTC', 'LINK']) {
			const result = checkWhitelist(base, DEFAULT_WHITELIST);
			expect(result).toMatchObject({ allowed: false, reasonCode: 'not_whitelisted', base });
			expect(!result.allowed && result.reason).toContain(base);
		}
	});

	it('is case-insensitive and honours configured tiers', () => {
		const config = resolveWhitelistConfig({ tier1: ['btc'], tier2: [], tier3: ['doge', 'matic'] });
		expect(checkWhitelist('btc', config)).toMatchObject({ allowed: true, tier: 1, asset: 'BTC' });
		expect(checkWhitelist('DOGE', config)).toMatchObject({ allowed: true, tier: 3 });
		expect(checkWhitelist('ETH', config)).toMatchObject({ allowed: false, reasonCode: 'not_whitelisted' });
		expect(checkWhitelist('POL', config), 'MATIC in the list means POL').toMatchObject({
			allowed: true,
			tier: 3,
			asset: 'POL',
		});
	});

	it('accepts tiers as n8n text parameters', () => {
		const config = resolveWhitelistConfig({ tier1: 'btc, eth', tier2: '' });
		expect(config.tier1).toEqual(['BTC', 'ETH']);
		expect(checkWhitelist('SOL', config)).toMatchObject({ allowed: false, reasonCode: 'not_whitelisted' });
	});

	it('throws InvalidInputError for a malformed configuration', () => {
		expect(() => resolveWhitelistConfig({ tier1: ['BTC!'] })).toThrow(InvalidInputError);
		expect(() => resolveWhitelistConfig({ aliases: { MATIC: 'POL', POL: 'MATIC' } })).toThrow(/alias/);
	});
});

describe('parseAssetList', () => {
	it('returns the default universe validated once and frozen, unaffected by an override resolved in between', () => {
		const first = resolveWhitelistConfig();
		expect(resolveWhitelistConfig({ tier1: ['btc'], tier2: [], tier3: [] }).tier2).toEqual([]);
		const again = resolveWhitelistConfig({});
		expect(again).toBe(first);
		expect(Object.isFrozen(again) && Object.isFrozen(again.tier1)).toBe(true);
		expect(checkWhitelist('ETH', again).allowed).toBe(true);
	});
	it('splits an n8n comma/space separated parameter into upper-case assets', () => {
		expect(parseAssetList(' btc, eth ;sol\nMATIC/POL ')).toEqual(['BTC', 'ETH', 'SOL', 'MATIC', 'POL']);
		expect(parseAssetList('')).toEqual([]);
	});
});
