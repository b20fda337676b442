// The kill switch survives a restart: the service as a real process halts the desk, is stopped,
// started again on the same database, and still refuses the next alert with operator_halt until
// the operator resumes. Run on a SQLite file and on a throw-away MariaDB database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlTestDatabase } from '../../math-service/src/storage/testDatabases';
import { spawnService, type ServiceProcess } from './serviceProcess';

const SECRET = 'desk-restart-secret-0123456789';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function start(databaseUrl: string): Promise<ServiceProcess> {
	const service = await spawnService({ DATABASE_URL: databaseUrl, TRADINGVIEW_WEBHOOK_SECRET: SECRET });
	cleanups.push(() => service.kill());
	return service;
}

const call = async (service: ServiceProcess, method: string, path: string, body?: unknown) => {
	const res = await fetch(`${service.url}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as Record<string, any> };
};

let seq = 0;
const alert = () => ({
	secret: SECRET,
	alert_id: `desk-restart-${Date.now()}-${seq++}`,
	action: 'buy',
	ticker: 'BINANCE:BTCUSDT',
	interval: '60',
	time: Date.now() - 1_000,
	close: 100,
	vwap: 106,
	stop: 97,
	target: 106,
});

describe.each([
	['a SQLite file', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-desk-restart-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		return `sqlite:${join(dir, 'desk.db')}`;
	}],
	['MariaDB', async () => {
		const db = await createMysqlTestDatabase('hfq_desk');
		cleanups.push(() => db.drop());
		return db.url;
	}],
])('the operator halt survives a restart of the service process on %s', (_, database) => {
	it('halted before the restart → still halted after it; the alert is refused operator_halt; resume lets it through', { timeout: 120_000 }, async () => {
		const url = await database();
		const first = await start(url);
		expect((await call(first, 'POST', '/v1/desk/halt', { by: 'restart-test' })).body).toMatchObject({ halted: true, changed: true });
		expect((await first.stop()).code).toBe(0);

		const second = await start(url);
		expect((await call(second, 'GET', '/v1/desk')).body).toMatchObject({ halted: true, halted_by: 'restart-test' });
		const refused = await call(second, 'POST', '/v1/signals/tradingview', alert());
		expect(refused.body).toMatchObject({ status: 'rejected', reason_code: 'operator_halt' });
		expect((await call(second, 'POST', '/v1/desk/resume', { by: 'restart-test' })).body).toEqual({ halted: false, changed: true });
		expect((await call(second, 'POST', '/v1/signals/tradingview', alert())).body).toMatchObject({ status: 'approved' });
	});
});
