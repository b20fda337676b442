/**
 * HighFreqQuant CryptoPanic in-process against the loopback CryptoPanic fake (v1 and v2 shapes) and
 * the real math service over loopback HTTP: posts are normalised, stored, and turned into sentiment
 * and panic snapshots per currency; pages are followed up to the limit; 429 is retried; a bad token
 * or an exhausted quota is a NodeOperationError naming what to do.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { CryptoPanicApi } from '../../credentials/CryptoPanicApi.credentials';
import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { CryptoPanic } from '../../nodes/CryptoPanic/CryptoPanic.node';
import { startFakeCryptoPanic, type FakeCryptoPanic } from '../fakes/fakeCryptoPanic';
import { runNode, type CredentialUnderTest } from '../support/nodeHarness';
import { startMathService } from './mathServiceServer';

const TOKEN = 'cryptopanic-test-token';
/** Four hours after the sample posts were published. */
const NOW = Date.UTC(2025, 2, 4, 18);
let fake: FakeCryptoPanic;
let storage: Storage;
let serviceUrl = '';
let closeService: () => Promise<void> = async () => {};

beforeAll(async () => {
	fake = await startFakeCryptoPanic({ tokens: [TOKEN], pageSize: 2 });
	storage = await openStorage('sqlite::memory:');
	const service = await startMathService({ storage, clock: { now: () => NOW } });
	serviceUrl = service.baseUrl;
	closeService = service.close;
});
afterAll(async () => {
	await closeService();
	await storage?.close();
	await fake?.close();
});
beforeEach(() => fake.reset());

const credentials = (authToken = TOKEN, plan = 'api/developer/v2'): CredentialUnderTest[] => [
	{ type: new CryptoPanicApi(), data: { authToken, baseUrl: `${fake.url}/${plan}` } },
	{ type: new HighFreqQuantApi(), data: { baseUrl: serviceUrl, apiKey: '' } },
];

describe('HighFreqQuant CryptoPanic › Get Posts', () => {
	it('reads v2 posts (instruments), follows pages up to the limit and snapshots sentiment per currency', async () => {
		const { items, error } = await runNode({
			node: new CryptoPanic(),
			parameters: { operation: 'getPosts', currencies: 'BTC,ETH', cryptoPanicOptions: { maxPages: 5 } },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		const json = items[0].json as any;
		expect(fake.requests.every((r) => r.query.auth_token === TOKEN && r.query.currencies === 'BTC,ETH' && r.path === '/api/developer/v2/posts/')).toBe(true);
		expect(json.pages).toBe(fake.requests.length);
		expect(json.posts[0]).toMatchObject({ id: '21011873', currencies: ['BTC'], published_at: '2025-03-04T14:21:08.000Z' });
		expect(json.inserted).toBe(json.count);
		const snapshots = Object.fromEntries(json.snapshots.map((s: any) => [s.currency, s]));
		expect(Object.keys(snapshots)).toEqual(['*', 'BTC', 'ETH']);
		const stored = await storage.news.latestAtOrBefore('BTC', NOW);
		expect(stored?.sentimentScore).toBe(snapshots.BTC.sentiment_score);
		expect(stored?.postCount).toBeGreaterThan(0);
	});

	it('reads v1 posts (currencies) from the legacy path and stops at Max Pages', async () => {
		const { items, error } = await runNode({
			node: new CryptoPanic(),
			parameters: { operation: 'getPosts', currencies: 'BTC,ETH,SOL', store: false, cryptoPanicOptions: { maxPages: 1 } },
			credentials: credentials(TOKEN, 'api/v1'),
		});
		expect(error).toBeUndefined();
		expect(fake.requests).toHaveLength(1);
		expect((items[0].json as any).posts.every((p: any) => p.currencies.length > 0 && typeof p.votes === 'object')).toBe(true);
	});

	it('retries a 429 and completes', async () => {
		fake.failNext({ status: 429, headers: { 'retry-after': '0' }, body: { status: 'api_error', info: 'Rate limit exceeded' } }, 2);
		const { items, error } = await runNode({ node: new CryptoPanic(), parameters: { operation: 'getPosts', store: false }, credentials: credentials() });
		expect(error).toBeUndefined();
		expect((items[0].json as any).count).toBeGreaterThan(0);
		expect(fake.requests).toHaveLength(3);
	});

	it('names a bad token and an exhausted quota, and refuses a malformed currency code', async () => {
		const bad = await runNode({ node: new CryptoPanic(), parameters: { operation: 'getPosts', store: false }, credentials: credentials('nope') });
		expect(bad.error?.message).toMatch(/CryptoPanic refused the request \(HTTP 401\): Token not found/);
		fake.failNext('quota_exceeded', 1);
		const quota = await runNode({ node: new CryptoPanic(), parameters: { operation: 'getPosts', store: false }, credentials: credentials() });
		expect(quota.error?.name).toBe('NodeOperationError');
		expect(quota.error?.message).toMatch(/quota exceeded/);
		const code = await runNode({ node: new CryptoPanic(), parameters: { operation: 'getPosts', currencies: 'BTC,<script>' }, credentials: credentials() });
		expect(code.error?.message).toMatch(/"<SCRIPT>" is not a currency code/);
	});
});
