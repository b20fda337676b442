/**
 * Where an approved signal can be executed on-chain, per asset. The seed executes through 1inch
 * (a DEX aggregator) with the Flashbots Protect RPC (private mempool against sandwich attacks).
 *
 * | Asset | Chain (id) | Token bought | Note |
 * |-------|------------|--------------|------|
 * | BTC | Ethereum (1) | WBTC | bitcoin itself is not on Ethereum; WBTC is the wrapped ERC-20 |
 * | ETH | Ethereum (1) | ETH | |
 * | ARB | Arbitrum One (42161) | ARB | |
 * | OP | OP Mainnet (10) | OP | |
 * | POL, MATIC | Polygon PoS (137) | POL | MATIC was renamed POL |
 * | BNB | BNB Chain (56) | BNB | |
 * | AVAX | Avalanche C-Chain (43114) | AVAX | |
 * | SOL, NEAR | none | | not EVM chains: 1inch's EVM swap has no route; use the chain's own DEX |
 *
 * The link is 1inch's web app, `https://app.1inch.io/swap?src=<chain>:<from>&dst=<chain>:<to>`,
 * paying with USDT (the signal's quote currency). It opens the swap form; the user reviews and signs.
 * Flashbots Protect (https://rpc.flashbots.net) serves Ethereum mainnet only: on the other chains
 * the reminder says so instead of pretending it protects them.
 */
export interface EvmSwapRoute {
	kind: 'evm';
	side: 'buy' | 'sell';
	asset: string;
	chain: string;
	chainId: number;
	token: string;
	url: string;
	/** True only on Ethereum mainnet, the one chain Flashbots Protect serves. */
	flashbotsProtect: boolean;
	note: string;
}

export interface NoSwapRoute {
	kind: 'none';
	asset: string;
	note: string;
}

export type SwapRoute = EvmSwapRoute | NoSwapRoute;

export const FLASHBOTS_PROTECT_RPC = 'https://rpc.flashbots.net';
const QUOTE_TOKEN = 'USDT';

const EVM: Record<string, { chain: string; chainId: number; token: string }> = {
	BTC: { chain: 'Ethereum', chainId: 1, token: 'WBTC' },
	ETH: { chain: 'Ethereum', chainId: 1, token: 'ETH' },
	ARB: { chain: 'Arbitrum One', chainId: 42161, token: 'ARB' },
	OP: { chain: 'OP Mainnet', chainId: 10, token: 'OP' },
	POL: { chain: 'Polygon PoS', chainId: 137, token: 'POL' },
	MATIC: { chain: 'Polygon PoS', chainId: 137, token: 'POL' },
	BNB: { chain: 'BNB Chain', chainId: 56, token: 'BNB' },
	AVAX: { chain: 'Avalanche C-Chain', chainId: 43114, token: 'AVAX' },
};

const NATIVE: Record<string, string> = {
	SOL: 'Solana is not an EVM chain: 1inch swap links have no route for SOL. Use a Solana DEX (e.g. Jupiter) or an exchange.',
	NEAR: 'NEAR is not an EVM chain: 1inch swap links have no route for NEAR. Use a NEAR DEX (e.g. Ref Finance) or an exchange.',
};

/**
 * The swap route of a base asset (`BTC`, `eth`, `BTC/USDT` all work). `side` "buy" pays USDT for
 * the token (an entry); "sell" swaps the token back to USDT (an exit).
 */
export function swapRouteFor(assetOrSymbol: string, side: 'buy' | 'sell' = 'buy'): SwapRoute {
	const asset = assetOrSymbol.split(/[/:-]/)[0].trim().toUpperCase();
	const evm = EVM[asset];
	if (evm !== undefined) {
		const flashbotsProtect = evm.chainId === 1;
		return {
			kind: 'evm',
			side,
			asset,
			...evm,
			url:
				side === 'buy'
					? `https://app.1inch.io/swap?src=${evm.chainId}:${QUOTE_TOKEN}&dst=${evm.chainId}:${evm.token}`
					: `https://app.1inch.io/swap?src=${evm.chainId}:${evm.token}&dst=${evm.chainId}:${QUOTE_TOKEN}`,
			flashbotsProtect,
			note: flashbotsProtect
				? `Send it through the Flashbots Protect RPC (${FLASHBOTS_PROTECT_RPC}, chain id 1) so the swap skips the public mempool.`
				: `Flashbots Protect covers Ethereum mainnet only; on ${evm.chain} use the network's normal RPC and a tight slippage limit.`,
		};
	}
	return {
		kind: 'none',
		asset,
		note: NATIVE[asset] ?? `No 1inch route is known for ${asset}; trade it where it is listed.`,
	};
}
