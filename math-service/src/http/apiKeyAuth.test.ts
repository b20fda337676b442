import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { apiKeyAuth, apiKeyMatcher, safeEqual } from './apiKeyAuth';

function app(apiKey: string | null) {
	const a = new Hono();
	a.use('*', apiKeyAuth({ apiKey }));
	a.get('/health', (c) => c.text('open'));
	a.get('/private', (c) => c.text('secret'));
	return a;
}

describe('apiKeyAuth', () => {
	const key = 'k3y-0123456789abcdef';

	it('answers 401 with a reason when the key is missing', async () => {
		const res = await app(key).request('/private');
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe('APIKey');
		expect(await res.json()).toEqual({ detail: 'Missing or invalid API key (X-API-Key header)' });
	});

	it('answers 401 for a wrong key, a prefix of the key and the key plus a suffix', async () => {
		for (const wrong of ['nope', key.slice(0, -1), `${key}x`, key.toUpperCase(), '']) {
			const res = await app(key).request('/private', { headers: { 'X-API-Key': wrong } });
			expect(res.status, wrong).toBe(401);
		}
	});

	it('lets the right key through, whatever the header name case', async () => {
		const res = await app(key).request('/private', { headers: { 'x-api-key': key } });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('secret');
	});

	it('leaves public paths open', async () => {
		expect((await app(key).request('/health')).status).toBe(200);
	});

	it('is off when no key is configured', async () => {
		expect((await app(null).request('/private')).status).toBe(200);
	});
});

it('safeEqual compares content and length', () => {
	expect(safeEqual('abc', 'abc')).toBe(true);
	expect(safeEqual('abc', 'abd')).toBe(false);
	expect(safeEqual('abc', 'abcd')).toBe(false);
	expect(safeEqual('', '')).toBe(true);
});

it('apiKeyMatcher accepts exactly the key: not a prefix, an extension, a multi-byte look-alike or undefined', () => {
	const matches = apiKeyMatcher('k3y-é');
	expect(matches('k3y-é')).toBe(true);
	for (const wrong of ['k3y-e', 'k3y-', 'k3y-éé', 'k3y-é\0', 'K3Y-é', '', undefined]) expect(matches(wrong), String(wrong)).toBe(false);
	// the scratch buffer is reused: a wrong key after a right one does not inherit its bytes
	expect(matches('k3y-é')).toBe(true);
	expect(matches('k3y')).toBe(false);
});
