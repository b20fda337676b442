import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../test/fakes/fakeTelegram';
import { OperatorError } from '../errors';
import { createTelegramNotifier } from '../notify/telegramNotifier';
import type { CheckObservation } from './advanceIncidents';
import { noticeText, runWatchdogRound } from './runWatchdogRound';
import { WatchdogChecks } from './watchdogChecks';
import { watchdogSettingsFromEnv } from './watchdogSettings';
import { readWatchdogState } from './watchdogStateFile';
import { createMysqlTestDatabase } from '../storage/testDatabases';

const TOKEN = '7000000001:AAwatchdogtoken_abcdefghijklmnopqrstu';
let dir: string;
let telegram: FakeTelegram;

beforeAll(async () => {
	telegram = await startFakeTelegram({ tokens: [TOKEN] });
});
afterAll(async () => telegram.close());
beforeEach(() => {
	telegram.reset();
	dir = mkdtempSync(join(tmpdir(), 'hfq-wd-unit-'));
	return () => rmSync(dir, { recursive: true, force: true });
});

describe('runWatchdogRound', () => {
	const failingN8n: CheckObservation[] = [{ check: 'n8n', status: 'failing', detail: 'n8n at http://n8n:5678 does not answer: ECONNREFUSED' }];
	const okN8n: CheckObservation[] = [{ check: 'n8n', status: 'ok', detail: '/healthz ok' }];

	it('keeps an alert Telegram did not take in the outbox and delivers it next round, once', async () => {
		const stateFile = join(dir, 'state.json');
		const notifier = createTelegramNotifier({ baseUrl: telegram.url, botToken: TOKEN, chatId: '42' });
		const deps = { stateFile, failuresToAlert: 1, notifier, now: () => Date.UTC(2026, 0, 1, 12) };
		telegram.failNext('sendMessage', 'flood_429');
		const first = await runWatchdogRound({ ...deps, check: async () => failingN8n });
		expect(first.result).toMatchObject({ pending: 1, open: ['n8n'] });
		expect(first.result.decided).toHaveLength(1);
		expect(readWatchdogState(stateFile).outbox).toHaveLength(1);
		const second = await runWatchdogRound({ ...deps, check: async () => failingN8n });
		expect(second.result.decided).toEqual([]);
		expect(second.result.delivered.map((n) => n.kind)).toEqual(['alert']);
		expect(telegram.callsTo('sendMessage').filter((c) => c.status === 200).map((c) => c.fields.text)).toEqual([
			'🔴 HighFreqQuant watchdog: n8n FAILING since 2026-01-01 12:00:00 UTC\nn8n at http://n8n:5678 does not answer: ECONNREFUSED',
		]);
		await runWatchdogRound({ ...deps, check: async () => failingN8n });
		expect(telegram.callsTo('sendMessage').filter((c) => c.status === 200)).toHaveLength(1);
		expect(readWatchdogState(stateFile).outbox).toEqual([]);
	});

	it('says how long the incident lasted in the recovery', () => {
		expect(noticeText({ kind: 'recovered', check: 'heartbeat:risk_monitor', detail: 'risk_monitor last completed a run 2 s ago', sinceMs: 0, atMs: 185_000, durationMs: 185_000 })).toBe(
			'🟢 HighFreqQuant watchdog: heartbeat risk_monitor recovered after 3 min 5 s (failing since 1970-01-01 00:00:00 UTC)\nrisk_monitor last completed a run 2 s ago',
		);
	});

	it('without a notifier decides and logs the notices all the same', async () => {
		const lines: string[] = [];
		const stateFile = join(dir, 'state.json');
		await runWatchdogRound({ stateFile, failuresToAlert: 1, notifier: null, check: async () => failingN8n, log: (l) => lines.push(l) });
		const round = await runWatchdogRound({ stateFile, failuresToAlert: 1, notifier: null, check: async () => okN8n, log: (l) => lines.push(l) });
		expect(round.result.open).toEqual([]);
		expect(lines.filter((l) => /ALERT|RECOVERED/.test(l))).toHaveLength(2);
	});

	it('refuses a state file that is not its own instead of forgetting the open incidents', () => {
		const stateFile = join(dir, 'state.json');
		writeFileSync(stateFile, '{"hello":');
		expect(() => readWatchdogState(stateFile)).toThrow(OperatorError);
		expect(() => readWatchdogState(stateFile)).toThrow(/HFQ_WATCHDOG_STATE_FILE/);
	});
});

describe('WatchdogChecks', () => {
	let server: Server;
	let url: string;
	let answer = { status: 200, body: '{"status":"ok"}' };
	beforeAll(async () => {
		server = createServer((req, res) => {
			res.writeHead(req.url === '/healthz' || req.url === '/v1/heartbeat' || req.url === '/health' ? answer.status : 404, { 'content-type': 'application/json' });
			res.end(answer.body);
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	const checksWith = (env: Record<string, string> = {}) => new WatchdogChecks(watchdogSettingsFromEnv({ HFQ_WATCHDOG_N8N_URL: url, HFQ_WATCHDOG_SERVICE_URL: url, HFQ_WATCHDOG_TIMEOUT_MS: '1000', ...env }));

	it('n8n: 200 on /healthz is ok, anything else or no answer is failing', async () => {
		answer = { status: 200, body: '{"status":"ok"}' };
		expect((await checksWith().checkN8n()).status).toBe('ok');
		answer = { status: 503, body: '{"status":"error"}' };
		expect(await checksWith().checkN8n()).toMatchObject({ status: 'failing', detail: "n8n's /healthz answered HTTP 503" });
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const closedPort = (closed.address() as AddressInfo).port;
		await new Promise<void>((r) => closed.close(() => r()));
		expect(await checksWith({ HFQ_WATCHDOG_N8N_URL: `http://127.0.0.1:${closedPort}` }).checkN8n()).toMatchObject({ status: 'failing', detail: expect.stringMatching(/does not answer: ECONNREFUSED/) });
	});

	it('database: a missing SQLite file fails without being created; a real one answers select 1', async () => {
		const missing = checksWith({ DATABASE_URL: `sqlite:${join(dir, 'nope.db')}` });
		expect(await missing.checkDatabase()).toMatchObject({ status: 'failing', detail: expect.stringMatching(/does not exist/) });
		const { openStorage } = await import('../storage/openStorage');
		const url = `sqlite:${join(dir, 'hfq.db')}`;
		await (await openStorage(url)).close();
		const real = checksWith({ DATABASE_URL: url });
		expect(await real.checkDatabase()).toEqual({ check: 'database', status: 'ok', detail: 'select 1 answered' });
		await real.close();
	});

	it('database: MariaDB answers select 1 over the watchdog’s own connection; a server that cannot be reached fails', async () => {
		const db = await createMysqlTestDatabase('hfq_wd');
		try {
			const checks = checksWith({ DATABASE_URL: db.url });
			expect((await checks.checkDatabase()).status).toBe('ok');
			const gone = checksWith({ DATABASE_URL: db.url.replace(/:\d+\//, ':1/') });
			expect(await gone.checkDatabase()).toMatchObject({ status: 'failing', detail: expect.stringMatching(/does not answer a query/) });
			expect((await checks.checkDatabase()).status).toBe('ok');
			await checks.close();
		} finally {
			await db.drop();
		}
	});

	it('heartbeat: unknown while the service is down, failing on a refused key, stale or never run by the limits', async () => {
		const checks = checksWith({ HFQ_WATCHDOG_RISK_MONITOR_MAX_AGE_MS: '10000' });
		expect((await checks.checkHeartbeat(false)).map((o) => o.status)).toEqual(['unknown', 'unknown']);
		answer = { status: 401, body: '{"detail":"missing X-API-Key"}' };
		expect((await checks.checkHeartbeat(true))[0]?.detail).toMatch(/MATH_SERVICE_API_KEY/);
		answer = { status: 200, body: JSON.stringify({ jobs: [{ job: 'risk_monitor', age_ms: 12_000, last_success_at: 1 }] }) };
		expect(await checks.checkHeartbeat(true)).toEqual([
			{ check: 'heartbeat:market_data', status: 'failing', detail: 'market_data has not completed a run (limit 180 s)' },
			{ check: 'heartbeat:risk_monitor', status: 'failing', detail: 'risk_monitor last completed a run 12 s ago (limit 10 s)' },
		]);
		answer = { status: 200, body: JSON.stringify({ jobs: [{ job: 'risk_monitor', age_ms: 9_000 }, { job: 'market_data', age_ms: 1_000 }] }) };
		expect((await checks.checkHeartbeat(true)).map((o) => o.status)).toEqual(['ok', 'ok']);
	});
});
