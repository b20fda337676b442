// The heartbeat as real processes, for the heartbeat end-to-end test: nodes built when stale → a
// throw-away MariaDB database → the math service (compiled main.js, PAPER, API key on, Binance at
// the fake) → loopback fakes of Binance (live 1m and 1h candles around now, written to a temp
// folder), Glassnode (the last 60 days of each metric), CryptoPanic and Telegram → a real n8n with
// the shipped heartbeat workflows imported and published (credentials by name), their Schedule
// Triggers set to a few seconds in the imported copies, each as two rules that fire at the same
// instants, so every tick starts two overlapping runs (the desk must still act once).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMathService, type MathServiceProcess } from '../../../scripts/start/mathService.mjs';
import { prepareWorkflows, type PreparedWorkflow, type PreparedWorkflows } from '../../../scripts/start/n8nWorkflows.mjs';
import { staleReason } from '../../../scripts/start/buildIfStale.mjs';
import { openStorage, type Storage } from '../../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../../../math-service/src/storage/testDatabases';
import { startFakeBinance, startFakeCryptoPanic, startFakeGlassnode, startFakeTelegram, OHLCV_DIR, type FakeBinance, type FakeCryptoPanic, type FakeGlassnode, type FakeTelegram } from '../../fakes';
import { startN8n, type N8nInstance } from '../../support/n8nHarness';
import { BOT_TOKEN, CHAT_ID, freePort, ROOT } from './pipelineStack';

export const GLASSNODE_KEY = 'hb-e2e-glassnode-key';
export const CRYPTOPANIC_TOKEN = 'hb-e2e-cryptopanic-token';
/** The whitelisted universe the market-data workflow syncs, and each pair's price scale against BTC. */
export const UNIVERSE: Record<string, number> = { BTC: 1, ETH: 1 / 30, SOL: 1 / 600, AVAX: 1 / 3000, NEAR: 1 / 20000, BNB: 1 / 150, ARB: 1 / 100000, OP: 1 / 50000, POL: 1 / 200000 };
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Daily Glassnode points served per series: yesterday and the 58 days before (all inside the node's 60-period backfill). */
export const GLASSNODE_DAYS = 59;

export interface HeartbeatStack {
	apiKey: string;
	serviceUrl: string;
	n8n: N8nInstance;
	binance: FakeBinance;
	glassnode: FakeGlassnode;
	cryptoPanic: FakeCryptoPanic;
	telegram: FakeTelegram;
	storage: Storage;
	prepared: PreparedWorkflows;
	/** The imported copy of a workflow, by id. */
	workflow(id: string): PreparedWorkflow['workflow'];
	serviceLog: string[];
	timings: Record<string, number>;
	diagnostics(): string;
	stop(): Promise<void>;
}

export interface HeartbeatStackOptions {
	n8nVersion?: string;
	/** Workflow files (repository-relative) to import. */
	files: string[];
	/** Schedule Trigger name → the cron expression (with seconds) of the imported copy. */
	schedules: Record<string, string>;
	/** How many rules firing at the same instants each Schedule Trigger gets (2 = two overlapping runs per tick; at most 3). */
	rulesPerTrigger?: number;
	serviceEnv?: Record<string, string>;
	log?: (line: string) => void;
}

/**
 * Real BTC candles (the committed slices) moved in time so the newest lies `aheadMs` in the future
 * of now, one CSV per pair scaled by UNIVERSE; the fake Binance builds 1d from 1h.
 */
function writeLiveCandles(dir: string, nowMs: number) {
	const read = (file: string) =>
		readFileSync(join(OHLCV_DIR, file), 'utf8')
			.trim()
			.split('\n')
			.slice(1)
			.map((line) => line.split(',').map(Number));
	const shift = (rows: number[][], barMs: number, keep: number, aheadBars: number) => {
		const tail = rows.slice(-keep);
		const lastOpen = Math.floor(nowMs / barMs) * barMs + aheadBars * barMs;
		const offset = lastOpen - tail[tail.length - 1]![0]!;
		return tail.map(([t, ...rest]) => [t! + offset, ...rest]);
	};
	const minutes = shift(read('BTCUSDT-1m-2025.csv'), MINUTE, 1200 + 90, 90); // 20 h back, 90 min ahead
	const hours = shift(read('BTCUSDT-1h.csv'), HOUR, 9000, 3); // 375 days back (the last contiguous slice)
	for (const [asset, scale] of Object.entries(UNIVERSE)) {
		const csv = (rows: number[][]) =>
			`timestamp,open,high,low,close,volume\n${rows.map(([t, o, h, l, c, v]) => [t, o! * scale, h! * scale, l! * scale, c! * scale, v! / scale].map((x) => +x!.toPrecision(10)).join(',')).join('\n')}\n`;
		writeFileSync(join(dir, `${asset}USDT-1m.csv`), csv(minutes));
		writeFileSync(join(dir, `${asset}USDT-1h.csv`), csv(hours));
	}
}

/** Glassnode series of the last `days` days (up to yesterday) for BTC and ETH, each metric the heartbeat reads. */
function seedGlassnode(glassnode: FakeGlassnode, nowMs: number, days = GLASSNODE_DAYS) {
	const today = Math.floor(nowMs / DAY) * DAY;
	for (const a of ['BTC', 'ETH']) {
		const points = (f: (i: number) => number) => Array.from({ length: days }, (_, k) => ({ t: (today - (days - k) * DAY) / 1000, v: f(k) }));
		glassnode.setSeries('transactions/transfers_volume_exchanges_net', { a, i: '24h' }, points((k) => Math.round(1500 * Math.sin(k / 3))));
		glassnode.setSeries('indicators/sopr', { a, i: '24h' }, points((k) => 1 + 0.01 * Math.cos(k / 4)));
		glassnode.setSeries('indicators/sopr_more_155', { a, i: '24h' }, points((k) => 1.2 + 0.05 * Math.sin(k / 5)));
	}
}

/**
 * Spellings of one cron expression whose seconds field is a step (every N seconds) that fire at the same instants:
 * n8n registers a cron expression once per trigger ("Skipped registration for already registered
 * cron"), so overlapping runs need the same schedule written differently.
 */
function sameInstants(expression: string): string[] {
	const [seconds, ...rest] = expression.split(' ');
	const step = /^\*\/(\d+)$/.exec(seconds ?? '');
	if (!step) return [expression];
	const n = Number(step[1]);
	const list = Array.from({ length: Math.ceil(60 / n) }, (_, i) => i * n).join(',');
	return [expression, `${list} ${rest.join(' ')}`, `0-59/${n} ${rest.join(' ')}`];
}

/** Schedule Triggers of a copy: the given cron expression, in `copies` spellings that fire together. */
function setSchedules(workflow: PreparedWorkflow['workflow'], schedules: Record<string, string>, copies: number) {
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.scheduleTrigger' || !(node.name in schedules)) continue;
		const spellings = sameInstants(schedules[node.name]!).slice(0, copies);
		node.parameters.rule = { interval: spellings.map((expression) => ({ field: 'cronExpression', expression })) };
	}
}

export async function startHeartbeatStack(opts: HeartbeatStackOptions): Promise<HeartbeatStack> {
	const log = opts.log ?? (() => {});
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	const cleanups: (() => Promise<unknown>)[] = [];
	const stop = async () => {
		for (const fn of cleanups.reverse()) await fn().catch((e: unknown) => log(`cleanup failed: ${String(e)}`));
		cleanups.length = 0;
	};
	try {
		if (staleReason(ROOT) !== null) {
			const t = Date.now();
			execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
			timings.buildMs = Date.now() - t;
		}
		const db: TestDatabase = await createMysqlTestDatabase('hfq_hb');
		cleanups.push(() => db.drop());
		const candleDir = mkdtempSync(join(tmpdir(), 'hfq-hb-ohlcv-'));
		mkdirSync(candleDir, { recursive: true });
		cleanups.push(async () => rmSync(candleDir, { recursive: true, force: true }));
		writeLiveCandles(candleDir, Date.now());
		const binance = await startFakeBinance({ ohlcvDir: candleDir });
		cleanups.push(() => binance.close());
		const glassnode = await startFakeGlassnode({ apiKey: GLASSNODE_KEY });
		cleanups.push(() => glassnode.close());
		seedGlassnode(glassnode, Date.now());
		const cryptoPanic = await startFakeCryptoPanic({ tokens: [CRYPTOPANIC_TOKEN] });
		cleanups.push(() => cryptoPanic.close());
		const telegram = await startFakeTelegram({ tokens: [BOT_TOKEN] });
		cleanups.push(() => telegram.close());

		const apiKey = `hb-${randomBytes(16).toString('hex')}`;
		const port = await freePort();
		const serviceUrl = `http://127.0.0.1:${port}`;
		const serviceLog: string[] = [];
		let t = Date.now();
		const service: MathServiceProcess = await startMathService({
			root: ROOT,
			url: serviceUrl,
			log: (line) => {
				serviceLog.push(line);
				log(`[service] ${line}`);
			},
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				MATH_SERVICE_HOST: '127.0.0.1',
				MATH_SERVICE_PORT: String(port),
				MATH_SERVICE_API_KEY: apiKey,
				DATABASE_URL: db.url,
				HFQ_MODE: 'PAPER',
				TRADINGVIEW_WEBHOOK_SECRET: `tv-${randomBytes(8).toString('hex')}`,
				BINANCE_BASE_URL: binance.apiV3,
				...opts.serviceEnv,
			},
		});
		cleanups.push(() => service.stop());
		timings.serviceMs = Date.now() - t;
		const storage = await openStorage(db.url, { migrate: false });
		cleanups.push(() => storage.close());

		t = Date.now();
		const prepared = prepareWorkflows({
			files: opts.files.map((f) => join(ROOT, f)),
			mathUrl: serviceUrl,
			mathApiKey: apiKey,
			telegram: { token: BOT_TOKEN, chatId: CHAT_ID, baseUrl: telegram.url, webhookSecretToken: `tg_${randomBytes(8).toString('hex')}` },
			glassnode: { apiKey: GLASSNODE_KEY, baseUrl: glassnode.url },
			cryptoPanic: { authToken: CRYPTOPANIC_TOKEN, baseUrl: `${cryptoPanic.url}/api/developer/v2` },
		});
		for (const w of prepared.workflows) setSchedules(w.workflow, opts.schedules, opts.rulesPerTrigger ?? 2);
		const n8n = await startN8n({
			version: opts.n8nVersion,
			workflows: prepared.workflows.map((w) => w.workflow),
			credentials: prepared.credentials,
			readyTimeoutMs: 300_000,
		});
		cleanups.push(() => n8n.stop());
		timings.n8nMs = Date.now() - t;
		timings.totalMs = Date.now() - t0;

		return {
			apiKey,
			serviceUrl,
			n8n,
			binance,
			glassnode,
			cryptoPanic,
			telegram,
			storage,
			prepared,
			workflow(id) {
				const found = prepared.workflows.find((w) => w.workflow.id === id);
				if (!found) throw new Error(`workflow ${id} was not imported`);
				return found.workflow;
			},
			serviceLog,
			timings,
			diagnostics() {
				const executions = n8n
					.executions({ limit: 8 })
					.map((e) => ({ id: e.id, workflow: e.workflowId, status: e.status, last: e.lastNodeExecuted, error: e.error, nodes: Object.fromEntries(Object.entries(e.nodes).map(([k, v]) => [k, v.error ?? v.status])) }));
				return [
					'--- service log (tail) ---',
					...serviceLog.slice(-30),
					'--- n8n executions (latest 8) ---',
					JSON.stringify(executions, null, 1),
					'--- n8n log (tail) ---',
					n8n.logs().split('\n').slice(-40).join('\n'),
				].join('\n');
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
