// The Bybit fake (test/fakes) iterates FormData; math-service's tsconfig lacks that lib, so add it here.
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCandles } from '../../../test/fakes/binanceCandles';
import { startFakeBybit, type FakeBybit } from '../../../test/fakes/fakeBybit';
import { openStorage } from '../storage/openStorage';
import { backfill, BACKFILL_USAGE, backfillMain } from './backfill';
import { runCliMain, type CliIo } from './runCli';

const NOW = Date.UTC(2025, 5, 3, 0, 0, 30);
const key = { exchange: 'bybit', symbol: 'BTC/USDT', timeframe: '1m' };

function captureIo(): CliIo & { out: () => string; err: () => string } {
	let out = '';
	let err = '';
	return {
		stdout: { write: (s: string) => ((out += s), true) },
		stderr: { write: (s: string) => ((err += s), true) },
		out: () => out,
		err: () => err,
	};
}

describe('npm run backfill (Bybit fake, real ccxt, SQLite file)', () => {
	let fake: FakeBybit;
	let dir: string;
	let db: string;
	const env = () => ({ BYBIT_BASE_URL: fake.url, HFQ_EXCHANGE: 'bybit' });
	const klines = () => fake.requests.filter((r) => r.path === '/v5/market/kline').length;

	beforeAll(async () => {
		fake = await startFakeBybit();
		loadCandles('BTCUSDT', '1m'); // parse the 1m file before any request's timeout runs
	});
	afterAll(() => fake.close());
	beforeEach(() => {
		fake.reset();
		dir = mkdtempSync(join(tmpdir(), 'hfq-backfill-'));
		db = `sqlite:${join(dir, 'candles.db')}`;
		return () => rmSync(dir, { recursive: true, force: true });
	});

	it('backfills 2,880 missing bars with exactly ceil(2880 / 1000) = 3 requests, showing progress, then resumes with 0', async () => {
		const io = captureIo();
		const summary = await backfill(['--symbol', 'BTCUSDT', '--since', '2025-06-01', '--db', db], io, { env: env(), now: () => NOW });
		expect(summary).toMatchObject({ ...key, missing: 2880, inserted: 2880, requests: 3, gaps: [] });
		expect(klines()).toBe(Math.ceil(2880 / 1000));
		expect(io.out()).toMatch(/backfilled 2880 of 2880 missing bybit BTC\/USDT 1m candles in 3 requests/);
		expect(io.err()).toMatch(/100% \(2880\/2880\)/);
		const storage = await openStorage(db);
		expect(await storage.candles.count(key)).toBe(2880);
		await storage.close();
		const again = await backfill(['--symbol', 'BTC/USDT', '--since', '2025-06-01', '--db', db], captureIo(), { env: env(), now: () => NOW });
		expect(again).toMatchObject({ missing: 0, inserted: 0, requests: 0 });
		expect(klines()).toBe(3);
	});

	it('resumes after the stored bars: 1,500 stored of 2,880 → ceil(1380 / 1000) = 2 requests', async () => {
		await backfill(['--symbol', 'BTC/USDT', '--since', '2025-06-01', '--until', '2025-06-02T00:59', '--db', db], captureIo(), { env: env(), now: () => NOW });
		fake.reset();
		const rest = await backfill(['--symbol', 'BTC/USDT', '--since', '2025-06-01', '--db', db], captureIo(), { env: env(), now: () => NOW });
		expect(rest).toMatchObject({ missing: 1380, inserted: 1380, requests: 2 });
		expect(klines()).toBe(2);
	});

	it('waits out a rate limit (retCode 10006) and completes', async () => {
		fake.failNext('kline', 'rate_limit_10006', { resetInMs: 2_000 });
		const waits: number[] = [];
		const io = captureIo();
		const summary = await backfill(['--symbol', 'BTC/USDT', '--since', '2025-06-02T23:00', '--db', db], io, { env: env(), now: () => NOW, sleep: async (ms) => void waits.push(ms) });
		expect(summary).toMatchObject({ missing: 60, inserted: 60, requests: 1 });
		expect(waits).toHaveLength(1);
		expect(io.err()).toMatch(/rate limited by bybit/);
	});

	it('exits 2 with the usage for a missing --since or a pair outside the whitelist, before any request', async () => {
		for (const argv of [['--symbol', 'BTC/USDT', '--db', db], ['--symbol', 'PEPE/USDT', '--since', '2025-06-01', '--db', db]]) {
			const io = captureIo();
			expect(await runCliMain(backfillMain, BACKFILL_USAGE, argv, io)).toBe(2);
			expect(io.err()).toMatch(/usage: npm run backfill/);
		}
		expect(fake.requests).toHaveLength(0);
	});
});
