// The math service as the pipeline tests use it: createApp over a real database (SQLite file or
// in memory, or a throw-away MariaDB database), a controllable clock, the webhook secret set and
// the LLM off unless a test passes an Ollama host. Helpers build TradingView-shaped alerts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import type { PipelineDepsExtension } from '../../math-service/src/pipeline/createPipeline';
import type { PipelineSettings } from '../../math-service/src/pipeline/pipelineSettings';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase } from '../../math-service/src/storage/testDatabases';

export const SECRET = 'tv-secret-0123456789abcdef';
/** 2026-01-15 12:00:00 UTC */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface ServiceHarness {
	app: ReturnType<typeof createApp>;
	storage: Storage;
	clock: { ms: number; now(): number };
	logged: unknown[][];
	close(): Promise<void>;
}

export type DatabaseKind = 'sqlite-memory' | 'sqlite-file' | 'mysql';

export async function startService(
	opts: { db?: DatabaseKind; env?: Record<string, string>; settings?: Partial<PipelineSettings>; deps?: PipelineDepsExtension } = {},
): Promise<ServiceHarness> {
	let url = 'sqlite::memory:';
	let cleanup = async () => {};
	if (opts.db === 'sqlite-file') {
		const dir = mkdtempSync(join(tmpdir(), 'hfq-service-'));
		url = `sqlite:${join(dir, 'test.db')}`;
		cleanup = async () => rmSync(dir, { recursive: true, force: true });
	} else if (opts.db === 'mysql') {
		const db = await createMysqlTestDatabase('hfq_svc');
		url = db.url;
		cleanup = () => db.drop();
	}
	const storage = await openStorage(url, { mysqlConnectionLimit: 20 });
	const clock = { ms: T0, now() { return this.ms; } };
	const logged: unknown[][] = [];
	const config = loadConfig({ DATABASE_URL: url, ...opts.env });
	const app = createApp({
		config,
		storage,
		clock,
		logError: (...args: unknown[]) => void logged.push(args),
		pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null, ...opts.settings },
		...opts.deps,
	} as Parameters<typeof createApp>[0]);
	return {
		app,
		storage,
		clock,
		logged,
		async close() {
			await storage.close();
			await cleanup();
		},
	};
}

let seq = 0;
/** A valid buy alert at the harness clock: BTC, entry 100, stop 97, target 106 (R/R 2). */
export function alert(overrides: Record<string, unknown> = {}, nowMs = T0): Record<string, unknown> {
	seq++;
	return {
		secret: SECRET,
		alert_id: `BINANCE:BTCUSDT-60-${nowMs}-long-${seq}`,
		action: 'buy',
		ticker: 'BINANCE:BTCUSDT',
		exchange: 'BINANCE',
		interval: '60',
		time: nowMs - 2_000,
		close: 100,
		vwap: 106,
		stop: 97,
		target: 106,
		...overrides,
	};
}

export function post(app: ServiceHarness['app'], path: string, body: unknown, contentType = 'application/json') {
	return app.request(path, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

export async function counts(storage: Storage) {
	const n = async (table: 'signals' | 'decisions' | 'paperPositions' | 'paperOrders' | 'tradeLog' | 'callbackEvents') =>
		Number((await storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
	return {
		signals: await n('signals'),
		decisions: await n('decisions'),
		positions: await n('paperPositions'),
		orders: await n('paperOrders'),
		trades: await n('tradeLog'),
		callbacks: await n('callbackEvents'),
	};
}
