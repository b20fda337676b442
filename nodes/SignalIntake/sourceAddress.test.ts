import { describe, expect, it } from 'vitest';

import { isTradingViewAddress, sourceAddressOf } from './sourceAddress';

describe('sourceAddressOf', () => {
	it('takes the first X-Forwarded-For entry, else X-Real-IP, unmapping IPv4-mapped IPv6', () => {
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238, 10.0.0.2' })).toBe('52.89.214.238');
		expect(sourceAddressOf({ 'x-real-ip': '::ffff:34.212.75.30' })).toBe('34.212.75.30');
		expect(sourceAddressOf({ 'x-forwarded-for': ['54.218.53.128'] })).toBe('54.218.53.128');
	});

	it('returns null without a proxy header', () => {
		expect(sourceAddressOf({ 'content-type': 'application/json' })).toBeNull();
		expect(sourceAddressOf(undefined)).toBeNull();
	});
});

describe('isTradingViewAddress', () => {
	it("accepts TradingView's four webhook addresses only", () => {
		for (const ip of ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7']) expect(isTradingViewAddress(ip)).toBe(true);
		expect(isTradingViewAddress('52.89.214.239')).toBe(false);
		expect(isTradingViewAddress(null)).toBe(false);
	});
});
