// Every market-data sync is a run of the `market_data` heartbeat job: GET /v1/heartbeat shows its
// freshness (what the watchdog pages on), a failed sync is recorded as failed without refreshing it.
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinance, type FakeBinance } from '../../../test/fakes/fakeBinance';
import { createApp, type AppDeps } from '../app';
import { loadConfig } from '../config';
import { createExchangeClient } from '../crawler/createExchangeClient';
import type { MarketDataDepsExtension } from '../crawler/marketDataFor';
import { InProcessHotCache } from '../heartbeat/HotCache';
import type { HeartbeatDepsExtension } from '../heartbeat/heartbeatFor';
import { InProcessJobLock } from '../heartbeat/InProcessJobLock';
import { openStorage, type Storage } from '../storage/openStorage';

/** 2025-06-02 12:00:30 UTC, inside the real BTCUSDT 1m candles the fake serves. */
const T0 = Date.UTC(2025, 5, 2, 12, 0, 30);

describe('POST /v1/candles/sync records the market_data heartbeat', () => {
	let fake: FakeBinance;
	let storage: Storage;
	let clock = { ms: T0 };
	let app: ReturnType<typeof createApp>;

	beforeAll(async () => {
		fake = await startFakeBinance();
	});
	afterAll(() => fake.close());
	beforeEach(async () => {
		fake.reset();
		clock = { ms: T0 };
		storage = await openStorage('sqlite::memory:');
		const deps: AppDeps & MarketDataDepsExtension & HeartbeatDepsExtension = {
			config: loadConfig({}),
			storage,
			clock: { now: () => clock.ms },
			logError: () => {},
			exchangeClient: createExchangeClient('binance', { baseUrl: fake.apiV3 }),
			heartbeat: { lock: new InProcessJobLock(), cache: new InProcessHotCache(), now: () => clock.ms },
		};
		app = createApp(deps);
		return () => storage.close();
	});

	const sync = (symbol: string) => app.request('/v1/candles/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol, timeframe: '1m', since: T0 - 10 * 60_000 }) });
	const marketData = async () => ((await (await app.request('/v1/heartbeat')).json()) as { jobs: { job: string; age_ms: number | null; last_run: { outcome: string } | null }[] }).jobs.find((j) => j.job === 'market_data');

	it('a completed sync makes market_data fresh; its age grows until the next one', async () => {
		expect(await marketData()).toBeUndefined();
		expect((await sync('BTC/USDT')).status).toBe(200);
		expect(await marketData()).toMatchObject({ age_ms: 0, last_run: { outcome: 'ran' } });
		clock.ms += 95_000;
		expect((await marketData())?.age_ms).toBe(95_000);
	});

	it('a failed sync is recorded as failed and leaves the freshness where it was', async () => {
		expect((await sync('BTC/USDT')).status).toBe(200);
		clock.ms += 60_000;
		fake.failNext('klines', 'rate_limited_429');
		expect((await sync('BTC/USDT')).status).toBe(503);
		expect(await marketData()).toMatchObject({ age_ms: 60_000, last_run: { outcome: 'failed' } });
	});
});
