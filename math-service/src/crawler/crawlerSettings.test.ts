import { describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { crawlerSettingsFromEnv, normalizeBinanceBaseUrl } from './crawlerSettings';
import { parseTimeMs } from './parseTimeMs';

describe('crawlerSettingsFromEnv', () => {
	it('returns null (ccxt default) when BINANCE_BASE_URL is unset or blank', () => {
		expect(crawlerSettingsFromEnv({}).binanceBaseUrl).toBeNull();
		expect(crawlerSettingsFromEnv({ BINANCE_BASE_URL: '  ' }).binanceBaseUrl).toBeNull();
	});

	it('appends /api/v3 to a bare origin and keeps an explicit path without trailing slash', () => {
		expect(normalizeBinanceBaseUrl('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/api/v3');
		expect(normalizeBinanceBaseUrl('https://data-api.binance.vision/api/v3/')).toBe('https://data-api.binance.vision/api/v3');
	});

	it('refuses URLs that are not http(s) or carry credentials, as OperatorError', () => {
		for (const bad of ['not a url', 'ftp://x/api/v3', 'https://user:pw@x/api/v3', 'https://x/api/v3?k=1']) {
			expect(() => crawlerSettingsFromEnv({ BINANCE_BASE_URL: bad }), bad).toThrow(OperatorError);
		}
	});
});

describe('parseTimeMs', () => {
	it('reads Unix ms as number or digits, and ISO 8601 with a zone or a bare date', () => {
		expect(parseTimeMs(1_748_865_600_000)).toBe(Date.UTC(2025, 5, 2, 12));
		expect(parseTimeMs('1748865600000')).toBe(Date.UTC(2025, 5, 2, 12));
		expect(parseTimeMs('2025-06-02T12:00:00Z')).toBe(Date.UTC(2025, 5, 2, 12));
		expect(parseTimeMs('2025-06-02T14:00:00+02:00')).toBe(Date.UTC(2025, 5, 2, 12));
		expect(parseTimeMs('2025-06-02')).toBe(Date.UTC(2025, 5, 2));
	});

	it('returns null for zone-less date-times, words, fractions and times outside 2000-2200', () => {
		for (const bad of ['2025-06-02T12:00:00', 'yesterday', 1.5, -1, '1', 'NaN', null, {}, Date.UTC(2300, 0, 1)]) expect(parseTimeMs(bad), String(bad)).toBeNull();
	});
});

describe('crawlerSettingsFromEnv: exchange and Bybit', () => {
	it('defaults the exchange to binance, reads HFQ_EXCHANGE=bybit, and stops on an unknown exchange naming HFQ_EXCHANGE', () => {
		expect(crawlerSettingsFromEnv({}).defaultExchange).toBe('binance');
		expect(crawlerSettingsFromEnv({ HFQ_EXCHANGE: ' Bybit ' }).defaultExchange).toBe('bybit');
		expect(() => crawlerSettingsFromEnv({ HFQ_EXCHANGE: 'kraken' })).toThrow(/HFQ_EXCHANGE/);
	});

	it('keeps BYBIT_BASE_URL as the origin without a trailing slash and refuses a broken one naming BYBIT_BASE_URL', () => {
		expect(crawlerSettingsFromEnv({}).bybitBaseUrl).toBeNull();
		expect(crawlerSettingsFromEnv({ BYBIT_BASE_URL: 'http://127.0.0.1:4011/' }).bybitBaseUrl).toBe('http://127.0.0.1:4011');
		expect(() => crawlerSettingsFromEnv({ BYBIT_BASE_URL: 'ftp://x' })).toThrow(/BYBIT_BASE_URL/);
	});
});
