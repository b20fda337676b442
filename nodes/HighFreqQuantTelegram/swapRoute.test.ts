import { describe, expect, it } from 'vitest';

import { swapRouteFor } from './swapRoute';

describe('swapRouteFor', () => {
	it.each([
		['BTC', 1, 'WBTC'],
		['ETH/USDT', 1, 'ETH'],
		['arb', 42161, 'ARB'],
		['OP', 10, 'OP'],
		['POL', 137, 'POL'],
		['MATIC', 137, 'POL'],
		['BNB', 56, 'BNB'],
		['AVAX', 43114, 'AVAX'],
	])('routes %s to chain %i buying %s with a 1inch link', (asset, chainId, token) => {
		const route = swapRouteFor(asset);
		expect(route).toMatchObject({ kind: 'evm', chainId, token });
		expect(route.kind === 'evm' && route.url).toBe(`https://app.1inch.io/swap?src=${chainId}:USDT&dst=${chainId}:${token}`);
	});

	it('recommends Flashbots Protect on Ethereum mainnet only', () => {
		for (const asset of ['BTC', 'ETH']) expect(swapRouteFor(asset)).toMatchObject({ flashbotsProtect: true, note: expect.stringContaining('https://rpc.flashbots.net') });
		for (const asset of ['ARB', 'OP', 'POL', 'BNB', 'AVAX']) {
			expect(swapRouteFor(asset)).toMatchObject({ flashbotsProtect: false, note: expect.stringContaining('Ethereum mainnet only') });
		}
	});

	it('gives SOL, NEAR and unknown assets no 1inch route and says why', () => {
		expect(swapRouteFor('SOL')).toMatchObject({ kind: 'none', note: expect.stringContaining('not an EVM chain') });
		expect(swapRouteFor('NEAR')).toMatchObject({ kind: 'none', note: expect.stringContaining('not an EVM chain') });
		expect(swapRouteFor('DOGE')).toMatchObject({ kind: 'none', note: 'No 1inch route is known for DOGE; trade it where it is listed.' });
	});
});
