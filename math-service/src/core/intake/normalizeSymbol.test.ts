import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { KNOWN_QUOTES, normalizeSymbol } from './normalizeSymbol.js';

describe('normalizeSymbol', () => {
	it.each([
		['BINANCE:BTCUSDT', undefined, 'BTC/USDT', 'spot', 'BINANCE'],
		['BTCUSDT.P', 'BYBIT', 'BTC/USDT', 'perpetual', 'BYBIT'],
		['BINANCE:ETHUSDT.P', undefined, 'ETH/USDT', 'perpetual', 'BINANCE'],
		['BTC/USDT', undefined, 'BTC/USDT', 'spot', null],
		['BTC-USDT', 'okx', 'BTC/USDT', 'spot', 'OKX'],
		['BTC-USDT-SWAP', 'OKX', 'BTC/USDT', 'perpetual', 'OKX'],
		['btc_usdt', undefined, 'BTC/USDT', 'spot', null],
		['btcusdt', undefined, 'BTC/USDT', 'spot', null],
		[' solusdc ', undefined, 'SOL/USDC', 'spot', null],
		['BNBFDUSD', undefined, 'BNB/FDUSD', 'spot', null],
		['ETHBTC', undefined, 'ETH/BTC', 'spot', null],
		['COINBASE:BTCUSD', undefined, 'BTC/USD', 'spot', 'COINBASE'],
		['KRAKEN:ETHEUR', undefined, 'ETH/EUR', 'spot', 'KRAKEN'],
		['BTCUSDTPERP', undefined, 'BTC/USDT', 'perpetual', null],
		['BTC/USDT:USDT', undefined, 'BTC/USDT', 'perpetual', null],
		['BTCUSDT', 'BINANCE_DL', 'BTC/USDT', 'spot', 'BINANCE'],
		['POLUSDT', undefined, 'POL/USDT', 'spot', null],
	])('normalises %s (exchange %s) to %s', (ticker, exchange, symbol, contract, exch) => {
		const result = normalizeSymbol(ticker, exchange);
		expect(result.symbol).toBe(symbol);
		expect(`${result.base}/${result.quote}`).toBe(symbol);
		expect(result.contract).toBe(contract);
		expect(result.exchange).toBe(exch);
	});

	it('matches the longest known quote first (USDT before USD, FDUSD before USD)', () => {
		expect(KNOWN_QUOTES[0]).toBe('FDUSD');
		expect(normalizeSymbol('AVAXUSDT').quote).toBe('USDT');
		expect(normalizeSymbol('AVAXUSD').quote).toBe('USD');
		expect(normalizeSymbol('ETHFDUSD').base).toBe('ETH');
	});

	it('throws InvalidInputError for tickers it cannot split or that are not pairs', () => {
		for (const bad of [
			'USDT',
			'BTC',
			'BTC.D',
			'TOTAL3',
			'BTC/USDT/ETH',
			'BINANCE:',
			'',
			'BTC$USDT',
			'BTC/',
			'/USDT',
			'SPX500USD.CASH',
		]) {
			expect(() => normalizeSymbol(bad), bad).toThrow(InvalidInputError);
		}
	});
});
