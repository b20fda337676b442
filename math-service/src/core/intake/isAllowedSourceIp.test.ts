import { describe, expect, it } from 'vitest';
import { isAllowedSourceIp, TRADINGVIEW_WEBHOOK_IPS } from './isAllowedSourceIp.js';

describe('isAllowedSourceIp', () => {
	it("allows each of TradingView's published webhook IPs by default", () => {
		expect(TRADINGVIEW_WEBHOOK_IPS).toEqual(['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7']);
		for (const ip of TRADINGVIEW_WEBHOOK_IPS) expect(isAllowedSourceIp(ip)).toBe(true);
	});
	it('allows IPv4-mapped IPv6 forms of an allowed address', () => {
		expect(isAllowedSourceIp('::ffff:52.89.214.238')).toBe(true);
		expect(isAllowedSourceIp('::FFFF:34.212.75.30')).toBe(true);
		expect(isAllowedSourceIp('[::ffff:52.32.178.7]')).toBe(true);
		expect(isAllowedSourceIp('::ffff:3459:d6ee'), 'hex form of 52.89.214.238').toBe(true);
		expect(isAllowedSourceIp('::ffff:345c:d6ee'), 'hex form of 52.92.214.238').toBe(false);
	});
	it('refuses other addresses, garbage and undefined', () => {
		for (const ip of [
			'52.89.214.239',
			'127.0.0.1',
			'::1',
			'2001:db8::1',
			'52.89.214',
			'052.89.214.238',
			'',
			'localhost',
			undefined,
		]) {
			expect(isAllowedSourceIp(ip), String(ip)).toBe(false);
		}
	});
	it('supports a custom list with IPv4 CIDR ranges', () => {
		expect(isAllowedSourceIp('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
		expect(isAllowedSourceIp('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
		expect(isAllowedSourceIp('127.0.0.1', ['127.0.0.1/32'])).toBe(true);
		expect(isAllowedSourceIp('8.8.8.8', ['0.0.0.0/0'])).toBe(true);
		expect(isAllowedSourceIp('192.168.1.7', ['192.168.1.0/25'])).toBe(true);
		expect(isAllowedSourceIp('192.168.1.200', ['192.168.1.0/25'])).toBe(false);
	});
});
