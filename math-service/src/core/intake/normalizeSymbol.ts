/**
 * @module intake/normalizeSymbol
 * One spelling for a trading pair, ccxt style: `BASE/QUOTE` (`BTC/USDT`).
 *
 * Accepted inputs: `BINANCE:BTCUSDT` (TradingView ticker id; the prefix becomes `exchange`),
 * `BTCUSDT.P` / `BTCUSDTPERP` / `BTC-USDT-SWAP` / `BTC/USDT:USDT` (perpetual swaps; `contract` says
 * so), `BTC/USDT`, `BTC-USDT`, `BTC_USDT`, `btcusdt`. Without a separator the quote is found by
 * matching known quote currencies as a suffix, longest first (`FDUSD` before `USD`, `USDT` before
 * `USD`), so `BTCUSDT` is BTC/USDT, not BTCU/SDT. TradingView's delayed-feed exchange suffixes
 * (`_DL`, `_DLY`) are dropped. Index and dominance tickers (`BTC.D`, `TOTAL3`) are not pairs and
 * are refused with `InvalidInputError`.
 */
import { InvalidInputError } from '../../errors.js';

/** Quote currencies recognised in unseparated tickers, longest first. */
export const KNOWN_QUOTES: readonly string[] = Object.freeze([
	'FDUSD',
	'USDT',
	'USDC',
	'BUSD',
	'USD',
	'BTC',
	'ETH',
	'EUR',
]);

export type ContractKind = 'spot' | 'perpetual';

export interface NormalizedSymbol {
	/** `BASE/QUOTE`, e.g. `BTC/USDT`. */
	symbol: string;
	base: string;
	quote: string;
	contract: ContractKind;
	/** Upper-case exchange from the ticker prefix, else from the `exchange` argument, else null. */
	exchange: string | null;
}

const ASSET = /^[A-Z0-9]{1,20}$/;
const PERP_SUFFIXES = ['.PERP', '.P', '-PERP', '_PERP', '-SWAP', 'PERP'] as const;

export function normalizeSymbol(ticker: string, exchange?: string | null): NormalizedSymbol {
	const input = typeof ticker === 'string' ? ticker.trim().toUpperCase() : '';
	let rest = input;
	let exchangeName = normalizeExchange(exchange);
	const colon = rest.indexOf(':');
	if (colon > 0 && !rest.includes('/')) {
		exchangeName = normalizeExchange(rest.slice(0, colon));
		rest = rest.slice(colon + 1);
	}

	let contract: ContractKind = 'spot';
	const settle = /^([^:]+\/[^:]+):([A-Z0-9]+)$/.exec(rest); // ccxt swap notation BTC/USDT:USDT
	if (settle) {
		rest = settle[1]!;
		contract = 'perpetual';
	}
	for (const suffix of PERP_SUFFIXES) {
		if (rest.endsWith(suffix) && rest.length > suffix.length) {
			rest = rest.slice(0, -suffix.length);
			contract = 'perpetual';
			break;
		}
	}

	const parts = rest.split(/[/\-_]/);
	let base: string | undefined;
	let quote: string | undefined;
	if (parts.length === 2) {
		[base, quote] = parts;
	} else if (parts.length === 1) {
		quote = KNOWN_QUOTES.find((q) => rest.endsWith(q) && rest.length > q.length);
		base = quote === undefined ? undefined : rest.slice(0, -quote.length);
	}
	if (!base || !quote || !ASSET.test(base) || !ASSET.test(quote) || base === quote) {
		throw new InvalidInputError(
			`ticker "${input.slice(
				0,
				64,
			)}" is not a recognised trading pair; use e.g. BINANCE:BTCUSDT, BTCUSDT.P or BTC/USDT (known quotes: ${KNOWN_QUOTES.join(
				', ',
			)})`,
			['ticker'],
		);
	}
	return { symbol: `${base}/${quote}`, base, quote, contract, exchange: exchangeName };
}

function normalizeExchange(exchange: string | null | undefined): string | null {
	if (typeof exchange !== 'string') return null;
	const name = exchange
		.trim()
		.toUpperCase()
		.replace(/_(DL|DLY)$/, '');
	return name === '' ? null : name;
}
