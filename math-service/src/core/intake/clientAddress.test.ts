import { describe, expect, it } from 'vitest';
import { clientAddress } from './clientAddress.js';
import { isAllowedSourceIp } from './isAllowedSourceIp.js';

describe('clientAddress', () => {
	it('returns the socket peer and ignores X-Forwarded-For with no trusted proxy', () => {
		expect(clientAddress('52.89.214.238', '203.0.113.7', 0)).toBe('203.0.113.7');
	});

	it('returns the right-most entry behind one proxy, never the client-supplied first entry', () => {
		// The attacker sent "X-Forwarded-For: 52.89.214.238"; the proxy appended the real peer.
		const client = clientAddress('52.89.214.238, 203.0.113.7', '10.0.0.2', 1);
		expect(client).toBe('203.0.113.7');
		expect(isAllowedSourceIp(client ?? undefined)).toBe(false);
	});

	it('accepts a real chain of two proxies (CDN → Caddy → service)', () => {
		expect(clientAddress('52.89.214.238, 172.16.0.5', '10.0.0.2', 2)).toBe('52.89.214.238');
		expect(clientAddress(['1.1.1.1, 52.89.214.238', '172.16.0.5'], '10.0.0.2', 2)).toBe('52.89.214.238');
	});

	it('returns null when the chain is shorter than the trusted proxies (fail closed)', () => {
		expect(clientAddress(undefined, '10.0.0.2', 1)).toBeNull();
		expect(clientAddress('52.89.214.238', '10.0.0.2', 2)).toBeNull();
		expect(clientAddress(' , ', '10.0.0.2', 1)).toBeNull();
	});

	it('returns null without a peer address', () => {
		expect(clientAddress('52.89.214.238', undefined, 0)).toBeNull();
		expect(clientAddress('52.89.214.238', undefined, 1)).toBeNull();
	});
});
