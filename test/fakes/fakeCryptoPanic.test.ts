import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loadSample } from './fakeServer';
import { startFakeCryptoPanic, type CryptoPanicPost, type FakeCryptoPanic } from './fakeCryptoPanic';

const TOKEN = 'cp-test-token';
type Page = { count: number; next: string | null; previous: string | null; results: CryptoPanicPost[] };

describe('fake CryptoPanic', () => {
	let cp: FakeCryptoPanic;
	const get = async (path: string, query: Record<string, string>) => {
		const res = await fetch(`${cp.url}${path}?${new URLSearchParams(query)}`);
		return { status: res.status, body: (await res.json()) as Page & { status?: string; info?: string } };
	};

	beforeAll(async () => {
		cp = await startFakeCryptoPanic({ tokens: [TOKEN], pageSize: 2 });
	});
	afterAll(() => cp.close());
	beforeEach(() => cp.reset());

	it('serves v1 sample posts with a valid auth_token, paginated with next links back to the fake', async () => {
		const sample = loadSample<Page>('cryptopanic', 'posts_v1_public.json').results;
		const first = await get('/api/v1/posts/', { auth_token: TOKEN, public: 'true' });
		expect(first.status).toBe(200);
		expect(first.body.count).toBe(sample.length);
		expect(first.body.results).toEqual(sample.slice(0, 2));
		expect(first.body.next).toMatch(new RegExp(`^${cp.url}/api/v1/posts/\\?.*page=2`));
		const second = await (await fetch(first.body.next!)).json();
		expect(second.results).toEqual(sample.slice(2, 4));
		expect(second.previous).toContain('page=1');
	});

	it('filters by currencies (posts without a tagged coin drop out) and by kind', async () => {
		const eth = await get('/api/free/v1/posts/', { auth_token: TOKEN, currencies: 'ETH' });
		expect(eth.body.results.every((post) => post.currencies!.some((c) => c.code === 'ETH'))).toBe(true);
		expect(eth.body.count).toBe(2);
		const media = await get('/api/v1/posts/', { auth_token: TOKEN, kind: 'media' });
		expect(media.body.results.map((post) => post.kind)).toEqual(['media']);
	});

	it('serves the v2 developer shape with instruments, and the metadata sample when asked', async () => {
		const v2 = await get('/api/developer/v2/posts/', { auth_token: TOKEN, currencies: 'BTC' });
		expect(v2.body.results[0]).toHaveProperty('instruments');
		expect(v2.body.results[0]).not.toHaveProperty('currencies');
		const meta = await get('/api/v1/posts/', { auth_token: TOKEN, metadata: 'true', panic_score: 'true' });
		expect(meta.body.results.every((post) => 'metadata' in post && 'panic_score' in post)).toBe(true);
	});

	it('answers 401 without or with a wrong auth_token, and an injected 403 quota error once', async () => {
		expect((await get('/api/v1/posts/', {})).status).toBe(401);
		const wrong = await get('/api/v1/posts/', { auth_token: 'x' });
		expect(wrong).toEqual({ status: 401, body: { status: 'Incomplete', info: 'Token not found' } });
		cp.failNext('quota_exceeded');
		const quota = await get('/api/v1/posts/', { auth_token: TOKEN });
		expect(quota.status).toBe(403);
		expect(quota.body.info).toMatch(/monthly quota exceeded/);
		expect((await get('/api/v1/posts/', { auth_token: TOKEN })).status).toBe(200);
	});

	it('answers 404 for a page past the end', async () => {
		expect((await get('/api/v1/posts/', { auth_token: TOKEN, page: '9' })).status).toBe(404);
	});
});
