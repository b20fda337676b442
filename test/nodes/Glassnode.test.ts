/**
 * HighFreqQuant Glassnode in-process (n8n-core WorkflowExecute, test/support/nodeHarness) against the
 * loopback Glassnode fake and the real math service app over loopback HTTP: the values Glassnode
 * serves are normalised, stored point in time, fetched incrementally, retried on 429/5xx, and a bad
 * key or plan is a NodeOperationError naming what to fix.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { GlassnodeApi } from '../../credentials/GlassnodeApi.credentials';
import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { Glassnode } from '../../nodes/Glassnode/Glassnode.node';
import { startFakeGlassnode, type FakeGlassnode } from '../fakes/fakeGlassnode';
import { runNode, type CredentialUnderTest } from '../support/nodeHarness';
import { startMathService } from './mathServiceServer';

const KEY = 'glassnode-test-key';
const UNTIL = '2025-01-08T00:00:00Z';
let fake: FakeGlassnode;
let storage: Storage;
let serviceUrl = '';
let closeService: () => Promise<void> = async () => {};

beforeAll(async () => {
	fake = await startFakeGlassnode({ apiKey: KEY });
	storage = await openStorage('sqlite::memory:');
	const service = await startMathService({ storage });
	serviceUrl = service.baseUrl;
	closeService = service.close;
});
afterAll(async () => {
	await closeService();
	await storage?.close();
	await fake?.close();
});
beforeEach(() => fake.reset());

const credentials = (apiKey = KEY): CredentialUnderTest[] => [
	{ type: new GlassnodeApi(), data: { apiKey, baseUrl: fake.url } },
	{ type: new HighFreqQuantApi(), data: { baseUrl: serviceUrl, apiKey: '' } },
];
const params = (extra: Record<string, unknown> = {}) => ({ operation: 'getMetrics', assets: ['BTC'], interval: '24h', until: UNTIL, since: '2025-01-01T00:00:00Z', ...extra });

describe('HighFreqQuant Glassnode › Get Metrics', () => {
	it('normalises netflow, SOPR and LTH-SOPR, sends the key as a header and stores them point in time', async () => {
		const { items, error } = await runNode({ node: new Glassnode(), parameters: params(), credentials: credentials() });
		expect(error).toBeUndefined();
		const json = items[0].json as any;
		expect(json.series.map((s: any) => [s.metric, s.count])).toEqual([
			['exchange_netflow', 7],
			['sopr', 7],
			['lth_sopr', 7],
		]);
		expect(json.observations[0]).toEqual({ asset: 'BTC', metric: 'exchange_netflow', resolution: '24h', t: 1735689600, t_iso: '2025-01-01T00:00:00.000Z', value: -1843.27716 });
		expect(json.stored).toBe(21);
		expect(fake.requests.every((r) => r.headers['x-api-key'] === KEY && r.query.api_key === undefined)).toBe(true);
		const stored = await storage.onchain.asOf('BTC', 'sopr', '24h', Date.now());
		expect(stored.map((v) => v.value)).toEqual(json.observations.filter((o: any) => o.metric === 'sopr').map((o: any) => o.value));
	});

	it('continues after the stored series (a few periods back for revisions) and stores nothing unchanged', async () => {
		const { items, error } = await runNode({ node: new Glassnode(), parameters: params({ since: '' }), credentials: credentials() });
		expect(error).toBeUndefined();
		const sinceAsked = fake.requests.map((r) => Number(r.query.s));
		// newest stored period 2025-01-07 (1736208000) minus 3 days
		expect(sinceAsked).toEqual([1736208000 - 3 * 86400, 1736208000 - 3 * 86400, 1736208000 - 3 * 86400]);
		expect((items[0].json as any).stored).toBe(0);
		expect((items[0].json as any).unchanged).toBe(12);
	});

	it('keeps a missing value as null, never 0', async () => {
		fake.setSeries('indicators/sopr', { a: 'ETH', i: '24h' }, [{ t: 1735689600, v: null }, { t: 1735776000, v: 1.01 }]);
		const { items } = await runNode({ node: new Glassnode(), parameters: params({ assets: ['ETH'], metrics: ['sopr'], store: false }), credentials: credentials() });
		expect((items[0].json as any).observations.map((o: any) => o.value)).toEqual([null, 1.01]);
	});

	it('retries 5xx with back-off and a 429 after the wait Glassnode names, then completes', async () => {
		fake.failNext({ status: 503, body: 'upstream unavailable' }, 2);
		fake.failNext({ status: 429, headers: { 'retry-after': '0' }, body: 'slow down' }, 1);
		const { items, error } = await runNode({ node: new Glassnode(), parameters: params({ metrics: ['sopr'], store: false }), credentials: credentials() });
		expect(error).toBeUndefined();
		expect((items[0].json as any).count).toBe(7);
		expect(fake.requests).toHaveLength(4);
	});

	it('gives up on a 429 whose wait is longer than allowed, naming the wait', async () => {
		fake.failNext('rate_limited', 1);
		const { error } = await runNode({
			node: new Glassnode(),
			parameters: params({ metrics: ['sopr'], store: false, glassnodeOptions: { maxWaitSeconds: 5 } }),
			credentials: credentials(),
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toMatch(/asked to wait 37 s, more than the 5 s/);
	});

	it('names a bad key and a plan without the metric as NodeOperationError', async () => {
		const bad = await runNode({ node: new Glassnode(), parameters: params({ store: false }), credentials: credentials('wrong') });
		expect(bad.error?.name).toBe('NodeOperationError');
		expect(bad.error?.message).toMatch(/Glassnode refused the request \(HTTP 401\)/);
		fake.failNext('forbidden_tier', 1);
		const tier = await runNode({ node: new Glassnode(), parameters: params({ store: false }), credentials: credentials() });
		expect(tier.error?.message).toMatch(/HTTP 403/);
		expect(tier.error?.description).toMatch(/not in your Glassnode plan/);
	});
});
