import { describe, expect, it } from 'vitest';

import { isTradingViewAddress, sourceAddressOf } from './sourceAddress';

describe('sourceAddressOf', () => {
	it('takes the right-most X-Forwarded-For entry behind one proxy, never a client-written first entry', () => {
		// The attacker sent "X-Forwarded-For: 52.89.214.238"; the proxy appended the address it saw.
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238, 203.0.113.7' })).toBe('203.0.113.7');
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238' })).toBe('52.89.214.238');
		expect(sourceAddressOf({ 'x-forwarded-for': ['1.1.1.1', '::ffff:34.212.75.30'] })).toBe('34.212.75.30');
	});

	it('counts trusted proxies from the right (CDN → reverse proxy = 2)', () => {
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238, 172.16.0.5' }, 2)).toBe('52.89.214.238');
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238, 203.0.113.7, 172.16.0.5' }, 2)).toBe('203.0.113.7');
	});

	it('returns null when the chain is shorter than the trusted proxies, without the header, or for X-Real-IP alone', () => {
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238' }, 2)).toBeNull();
		expect(sourceAddressOf({ 'content-type': 'application/json' })).toBeNull();
		expect(sourceAddressOf({ 'x-real-ip': '52.89.214.238' })).toBeNull();
		expect(sourceAddressOf(undefined)).toBeNull();
		expect(sourceAddressOf({ 'x-forwarded-for': '52.89.214.238' }, 0)).toBeNull();
	});
});

describe('isTradingViewAddress', () => {
	it("accepts TradingView's four webhook addresses only", () => {
		for (const ip of ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7']) expect(isTradingViewAddress(ip)).toBe(true);
		expect(isTradingViewAddress('52.89.214.239')).toBe(false);
		expect(isTradingViewAddress(null)).toBe(false);
	});
});
