// 1,000 concurrent deliveries of one alert (TradingView retries, n8n re-runs, a proxy replaying)
// must give exactly one decision and one paper position; every answer carries the same decision_id
// and all but one say duplicate: true. Run through app.request and through a real HTTP server, on
// a SQLite file and on a throw-away MariaDB database (where requests really run in parallel on a
// connection pool). Within one app, deliveries that arrive while the alert is being decided wait
// for that decision (single flight); the two-instance tests take that away, so only the database's
// UNIQUE keys and the decision row lock stand between concurrent deliveries and a second trade.
// Through the real HTTP server, every answer then goes, as in the signal workflow, to the Send
// Signal Card node (HighFreqQuant Telegram, in-process n8n-core) against the loopback Telegram
// fake: the 1,000 deliveries give exactly one Telegram message.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HighFreqQuantTelegramApi } from '../../credentials/HighFreqQuantTelegramApi.credentials';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { runNode } from '../support/nodeHarness';
import { alert, counts, post, startService, type DatabaseKind, type ServiceHarness } from './serviceHarness';

const N = 1_000;
const TOKEN = '7012345678:AAH-concurrency-test';
let h: ServiceHarness | undefined;
let server: ServerType | undefined;
let tg: FakeTelegram;

beforeAll(async () => {
	tg = await startFakeTelegram({ tokens: [TOKEN] });
});
afterAll(() => tg?.close());

afterEach(async () => {
	if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
	server = undefined;
	await h?.close();
	h = undefined;
});

type Answer = { status: number; body: { decision_id: number; duplicate: boolean; status: string } };

/** Hands all answers to Send Signal Card (one item each, as n8n would per execution); returns the Telegram messages sent. */
async function telegramMessagesFor(answers: Answer[]) {
	tg.reset();
	const run = await runNode({
		node: new HighFreqQuantTelegram(),
		parameters: { operation: 'sendSignalCard' },
		input: answers.map((a) => a.body as unknown as IDataObject),
		credentials: [{ type: new HighFreqQuantTelegramApi(), data: { accessToken: TOKEN, chatId: '123456789', baseUrl: tg.url } }],
	});
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(answers.length);
	expect(run.items.filter((item) => (item.json.telegram as { sent?: boolean } | undefined)?.sent === true)).toHaveLength(1);
	return tg.calls.filter((call) => call.method.startsWith('send'));
}

function assertOneDecision(answers: Answer[]) {
	expect(answers.filter((a) => a.status !== 200)).toEqual([]);
	const ids = new Set(answers.map((a) => a.body.decision_id));
	expect(ids.size).toBe(1);
	expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
	expect(answers.every((a) => a.body.status === 'approved')).toBe(true);
}

async function viaAppRequest(db: DatabaseKind) {
	h = await startService({ db });
	const body = JSON.stringify(alert());
	const answers = await Promise.all(
		Array.from({ length: N }, async (_, i) => {
			// Mix TradingView's two content types.
			const res = await post(h!.app, '/v1/signals/tradingview', body, i % 2 ? 'text/plain; charset=utf-8' : 'application/json');
			return { status: res.status, body: (await res.json()) as Answer['body'] };
		}),
	);
	assertOneDecision(answers);
	expect(await counts(h.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1, orders: 1 });
}

async function viaHttpServer(db: DatabaseKind) {
	// One address replaying 1,000 times: the intake rate limit (its own test) is off here.
	h = await startService({ db, settings: { intakeBurst: 0 } });
	const port = await new Promise<number>((resolve) => {
		server = serve({ fetch: h!.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
	});
	const body = JSON.stringify(alert({ ticker: 'ETHUSDT' }));
	const answers = await Promise.all(
		Array.from({ length: N }, async () => {
			const res = await fetch(`http://127.0.0.1:${port}/v1/signals/tradingview`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
			return { status: res.status, body: (await res.json()) as Answer['body'] };
		}),
	);
	assertOneDecision(answers);
	expect(await counts(h.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1, orders: 1 });
	expect((await telegramMessagesFor(answers)).map((call) => call.status)).toEqual([200]);
}

describe(`${N} concurrent deliveries of one alert`, () => {
	it('SQLite file, app.request: one decision, one paper position, same decision_id everywhere', () => viaAppRequest('sqlite-file'), 300_000);
	it('SQLite file, real HTTP server on 127.0.0.1:0: one decision, one paper position, one Telegram message', () => viaHttpServer('sqlite-file'), 300_000);
	it('MariaDB, app.request: one decision, one paper position', () => viaAppRequest('mysql'), 300_000);
	it('MariaDB, real HTTP server: one decision, one paper position, one Telegram message', () => viaHttpServer('mysql'), 300_000);

	it('MariaDB, two app instances (two "processes") on one database: still one decision and one position', async () => {
		h = await startService({ db: 'mysql' });
		// A second app over its own pool on the same database: the in-process queue cannot help here,
		// only the database's UNIQUE keys and the decision row lock.
		const { createApp } = await import('../../math-service/src/app');
		const { loadConfig } = await import('../../math-service/src/config');
		const { openStorage } = await import('../../math-service/src/storage/openStorage');
		const dbName = (await h.storage.db.selectNoFrom((eb) => eb.fn<string>('database', []).as('name')).executeTakeFirstOrThrow()).name;
		const otherUrl = `mysql://root@127.0.0.1:3306/${dbName}`;
		const otherStorage = await openStorage(otherUrl, { mysqlConnectionLimit: 20 });
		try {
			const other = createApp({
				config: loadConfig({ DATABASE_URL: otherUrl }),
				storage: otherStorage,
				clock: h.clock,
				logError: () => {},
				pipeline: { webhookSecret: (await import('./serviceHarness')).SECRET, ollamaHost: null, paperInitialCash: 10_000 },
			} as Parameters<typeof createApp>[0]);
			const body = JSON.stringify(alert({ ticker: 'SOLUSDT' }));
			const answers = await Promise.all(
				Array.from({ length: 200 }, async (_, i) => {
					const res = await post(i % 2 ? other : h!.app, '/v1/signals/tradingview', body);
					return { status: res.status, body: (await res.json()) as Answer['body'] };
				}),
			);
			assertOneDecision(answers);
			expect(await counts(h.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1 });
			// The starting deposit was booked once, not once per process.
			const deposits = (await h.storage.paperLedger.cashMovements()).filter((m) => m.reason === 'initial_deposit');
			expect(deposits).toHaveLength(1);
		} finally {
			await otherStorage.close();
		}
	}, 300_000);

	it('MariaDB, two app instances, 200 concurrent DIFFERENT alerts: the limits still hold (heat ≤ 30 %, ≤ 10 % per asset)', async () => {
		h = await startService({ db: 'mysql' });
		const { createApp } = await import('../../math-service/src/app');
		const { loadConfig } = await import('../../math-service/src/config');
		const { openStorage } = await import('../../math-service/src/storage/openStorage');
		const { SECRET } = await import('./serviceHarness');
		const dbName = (await h.storage.db.selectNoFrom((eb) => eb.fn<string>('database', []).as('name')).executeTakeFirstOrThrow()).name;
		const otherUrl = `mysql://root@127.0.0.1:3306/${dbName}`;
		const otherStorage = await openStorage(otherUrl, { mysqlConnectionLimit: 20 });
		try {
			const other = createApp({ config: loadConfig({ DATABASE_URL: otherUrl }), storage: otherStorage, clock: h.clock, logError: () => {}, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000 } } as Parameters<typeof createApp>[0]);
			const tickers = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'AVAXUSDT', 'NEARUSDT', 'BNBUSDT'];
			const answers = await Promise.all(
				Array.from({ length: 200 }, async (_, i) => {
					const res = await post(i % 2 ? other : h!.app, '/v1/signals/tradingview', { ...alert({ ticker: tickers[i % tickers.length] }), thresholds: { kelly_fraction: 1 } });
					return { status: res.status, body: (await res.json()) as { status: string; reason_code: string } };
				}),
			);
			expect(answers.filter((a) => a.status !== 200)).toEqual([]);
			const approved = answers.filter((a) => a.body.status === 'approved');
			expect(approved.length).toBeGreaterThanOrEqual(3);
			const positions = await h.storage.paperLedger.openPositions();
			expect(positions).toHaveLength(approved.length);
			const cash = await h.storage.paperLedger.cashBalance();
			const equity = cash + positions.reduce((s, p) => s + p.quantity * p.entryPrice, 0);
			const exposure = positions.reduce((s, p) => s + p.quantity * p.entryPrice, 0);
			expect(exposure / equity).toBeLessThanOrEqual(0.3 * (1 + 1e-9));
			// The per-asset limit holds at entry: later entries' fees lower equity afterwards, so compare each
			// asset with the equity it saw (today's equity plus the fees paid after its last entry).
			for (const symbol of new Set(positions.map((p) => p.symbol))) {
				const mine = positions.filter((p) => p.symbol === symbol);
				const lastId = Math.max(...mine.map((p) => p.id));
				const feesAfter = positions.filter((p) => p.id > lastId).reduce((s, p) => s + p.fees, 0);
				const inAsset = mine.reduce((s, p) => s + p.quantity * p.entryPrice, 0);
				expect(inAsset / (equity + feesAfter), symbol).toBeLessThanOrEqual(0.1 * (1 + 1e-9));
			}
		} finally {
			await otherStorage.close();
		}
	}, 300_000);
});
