// The heartbeat as real processes, for the heartbeat end-to-end test: nodes built when stale → a
// throw-away MariaDB database → the math service (compiled main.js, PAPER, API key on, Binance at
// the fake) → loopback fakes of Binance (live 1m and 1h candles around now, written to a temp
// folder), Glassnode (the last 60 days of each metric), CryptoPanic and Telegram → a real n8n with
// the shipped heartbeat workflows imported and published (credentials by name), their Schedule
// Triggers set to a few seconds in the imported copies and each cloned once, so every tick starts
// two overlapping runs (the desk must still act once). n8n reaches the service through a recording
// pass-through (startServiceRecorder), so a test reads what each run was answered; with REDIS_URL
// the service's keys live under a prefix of this run's own (HFQ_REDIS_KEY_PREFIX), deleted at stop.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { prepareWorkflows, type PreparedWorkflow, type PreparedWorkflows } from '../../../scripts/start/n8nWorkflows.mjs';
import { webhooksOf } from '../../../scripts/n8n/n8nInstance.mjs';
import { openStorage, type Storage } from '../../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../../../math-service/src/storage/testDatabases';
import { startFakeBinance, startFakeCryptoPanic, startFakeGlassnode, startFakeTelegram, OHLCV_DIR, type FakeBinance, type FakeCryptoPanic, type FakeGlassnode, type FakeTelegram } from '../../fakes';
import { startN8n, type N8nInstance } from '../../support/n8nHarness';
import { BOT_TOKEN, buildNodes, CHAT_ID, ROOT, stackDiagnostics, stackTeardown, startStackService } from './stackParts';
import { startServiceRecorder, type ServiceRecorder } from './startServiceRecorder';

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
	/** The TradingView webhook secret the service checks. */
	secret: string;
	/** Production webhook URL of the TradingView signal workflow, when it is imported. */
	signalWebhookUrl: string | null;
	serviceUrl: string;
	/** Every call n8n made to the math service, with its JSON answer. */
	serviceCalls: ServiceRecorder;
	/** The service's Redis key prefix (HFQ_REDIS_KEY_PREFIX), unique to this stack. */
	redisKeyPrefix: string;
	/** The service's REDIS_URL, null when its leases are in process. */
	redisUrl: string | null;
	/** The throw-away database's URL (mysql://…). */
	databaseUrl: string;
	/** The instant the Glassnode series were seeded for (seedGlassnode's `nowMs`). */
	glassnodeSeededAt: number;
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
	/** Node name → parameters merged into that node of the imported copies (e.g. a Signal Scan limited to one pair). */
	parameters?: Record<string, Record<string, unknown>>;
	/** How many copies of each Schedule Trigger fire at the same instants (2 = two overlapping runs per tick). */
	rulesPerTrigger?: number;
	serviceEnv?: Record<string, string>;
	/** Pair (asset) → the factor its 1m close moves by each minute from the start on (see writeLiveCandles). */
	paths?: Record<string, number>;
	/** Pair (asset) → the power its hourly moves are raised to (a wilder daily history: a larger VaR). */
	volatility?: Record<string, number>;
	log?: (line: string) => void;
}

/**
 * Real BTC candles (the committed slices) moved in time so the newest lies ahead of now, one CSV
 * per pair scaled by UNIVERSE; the fake Binance builds 1d from 1h. `paths` replaces a pair's 1m
 * candles from the current minute on by a steady path: the close moves by the factor each minute
 * (0.99 = −1 % a minute), high and low 0.05 % beyond open and close. `volatility` raises a pair's
 * hourly log returns to that power of the real ones (its daily VaR grows accordingly).
 */
function writeLiveCandles(dir: string, nowMs: number, paths: Record<string, number>, volatility: Record<string, number>) {
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
	const thisMinute = Math.floor(nowMs / MINUTE) * MINUTE;
	for (const [asset, scale] of Object.entries(UNIVERSE)) {
		const csv = (rows: number[][]) =>
			`timestamp,open,high,low,close,volume\n${rows.map(([t, o, h, l, c, v]) => [t, o! * scale, h! * scale, l! * scale, c! * scale, v! / scale].map((x) => +x!.toPrecision(10)).join(',')).join('\n')}\n`;
		let ones = minutes;
		const g = paths[asset];
		if (g !== undefined) {
			const before = minutes.filter((r) => r[0]! < thisMinute);
			const p0 = before[before.length - 1]![4]!;
			ones = [
				...before,
				...minutes
					.filter((r) => r[0]! >= thisMinute)
					.map((r, k) => {
						const open = p0 * g ** k;
						const close = p0 * g ** (k + 1);
						return [r[0]!, open, Math.max(open, close) * 1.0005, Math.min(open, close) * 0.9995, close, r[5]!];
					}),
			];
		}
		let hourly = hours;
		const power = volatility[asset];
		if (power !== undefined) {
			const base = hours[0]![4]!;
			const amp = (x: number) => base * (x / base) ** power;
			hourly = hours.map(([t, o, h, l, c, v]) => [t!, amp(o!), amp(h!), amp(l!), amp(c!), v!]);
		}
		writeFileSync(join(dir, `${asset}USDT-1m.csv`), csv(ones));
		writeFileSync(join(dir, `${asset}USDT-1h.csv`), csv(hourly));
	}
}

/**
 * Glassnode series of the last `days` days (up to yesterday) for BTC and ETH, each metric the
 * heartbeat reads. `revisedSopr` replaces BTC's SOPR of yesterday (Glassnode revising a value).
 */
export function seedGlassnode(glassnode: FakeGlassnode, nowMs: number, days = GLASSNODE_DAYS, revisedSopr?: number) {
	const today = Math.floor(nowMs / DAY) * DAY;
	for (const a of ['BTC', 'ETH']) {
		const points = (f: (i: number) => number) => Array.from({ length: days }, (_, k) => ({ t: (today - (days - k) * DAY) / 1000, v: f(k) }));
		glassnode.setSeries('transactions/transfers_volume_exchanges_net', { a, i: '24h' }, points((k) => Math.round(1500 * Math.sin(k / 3))));
		glassnode.setSeries('indicators/sopr', { a, i: '24h' }, points((k) => (a === 'BTC' && k === days - 1 && revisedSopr !== undefined ? revisedSopr : 1 + 0.01 * Math.cos(k / 4))));
		glassnode.setSeries('indicators/sopr_more_155', { a, i: '24h' }, points((k) => 1.2 + 0.05 * Math.sin(k / 5)));
	}
}

/**
 * Schedule Triggers of a copy: the given cron expression; with `copies` > 1 the trigger is cloned
 * (same rule, same downstream node) so each tick starts that many runs at the same instant. Two
 * rules on one trigger would not do: n8n registers a cron expression once per trigger, and 2.41.1
 * drops a second emit of one trigger node for the same scheduled time.
 */
export function setSchedules(workflow: PreparedWorkflow['workflow'], schedules: Record<string, string>, copies: number) {
	const connections = workflow.connections as Record<string, unknown>;
	for (const node of [...workflow.nodes]) {
		if (node.type !== 'n8n-nodes-base.scheduleTrigger' || !(node.name in schedules)) continue;
		node.parameters.rule = { interval: [{ field: 'cronExpression', expression: schedules[node.name] }] };
		for (let k = 2; k <= copies; k++) {
			const name = `${node.name} (overlap ${k})`;
			workflow.nodes.push({ ...structuredClone(node), id: `${String(node.id).slice(0, -4)}f${k}${String(node.id).slice(-2)}`, name, position: [node.position[0], node.position[1] + 120 * (k - 1)] });
			connections[name] = structuredClone(connections[node.name]);
		}
	}
}

export async function startHeartbeatStack(opts: HeartbeatStackOptions): Promise<HeartbeatStack> {
	const log = opts.log ?? (() => {});
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	const teardown = stackTeardown(log);
	try {
		buildNodes(timings);
		const db: TestDatabase = await createMysqlTestDatabase('hfq_hb');
		teardown.push(() => db.drop());
		const candleDir = mkdtempSync(join(tmpdir(), 'hfq-hb-ohlcv-'));
		mkdirSync(candleDir, { recursive: true });
		teardown.push(async () => rmSync(candleDir, { recursive: true, force: true }));
		writeLiveCandles(candleDir, Date.now(), opts.paths ?? {}, opts.volatility ?? {});
		const binance = await startFakeBinance({ ohlcvDir: candleDir });
		teardown.push(() => binance.close());
		const glassnode = await startFakeGlassnode({ apiKey: GLASSNODE_KEY });
		teardown.push(() => glassnode.close());
		const glassnodeSeededAt = Date.now();
		seedGlassnode(glassnode, glassnodeSeededAt);
		const cryptoPanic = await startFakeCryptoPanic({ tokens: [CRYPTOPANIC_TOKEN] });
		teardown.push(() => cryptoPanic.close());
		const telegram = await startFakeTelegram({ tokens: [BOT_TOKEN] });
		teardown.push(() => telegram.close());

		const redisKeyPrefix = `hfq:test:hb:${randomBytes(8).toString('hex')}:`;
		const redisUrl = opts.serviceEnv?.REDIS_URL;
		if (redisUrl) {
			teardown.push(async () => {
				const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
				try {
					const keys = await redis.keys(`${redisKeyPrefix}*`);
					if (keys.length > 0) await redis.del(...keys);
				} finally {
					await redis.quit();
				}
			});
		}
		let t = Date.now();
		const service = await startStackService({
			databaseUrl: db.url,
			apiKeyPrefix: 'hb',
			log,
			env: { BINANCE_BASE_URL: binance.apiV3, HFQ_REDIS_KEY_PREFIX: redisKeyPrefix, ...opts.serviceEnv },
		});
		teardown.push(() => service.stop());
		timings.serviceMs = Date.now() - t;
		const storage = await openStorage(db.url, { migrate: false });
		teardown.push(() => storage.close());
		const serviceCalls = await startServiceRecorder(service.url);
		teardown.push(() => serviceCalls.close());

		t = Date.now();
		const prepared = prepareWorkflows({
			files: opts.files.map((f) => join(ROOT, f)),
			mathUrl: serviceCalls.url,
			mathApiKey: service.apiKey,
			telegram: { token: BOT_TOKEN, chatId: CHAT_ID, baseUrl: telegram.url, webhookSecretToken: `tg_${randomBytes(8).toString('hex')}` },
			glassnode: { apiKey: GLASSNODE_KEY, baseUrl: glassnode.url },
			cryptoPanic: { authToken: CRYPTOPANIC_TOKEN, baseUrl: `${cryptoPanic.url}/api/developer/v2` },
		});
		for (const w of prepared.workflows) {
			setSchedules(w.workflow, opts.schedules, opts.rulesPerTrigger ?? 2);
			for (const node of w.workflow.nodes) if (opts.parameters?.[node.name]) Object.assign(node.parameters, opts.parameters[node.name]);
		}
		const n8n = await startN8n({
			version: opts.n8nVersion,
			workflows: prepared.workflows.map((w) => w.workflow),
			credentials: prepared.credentials,
			readyTimeoutMs: 300_000,
		});
		teardown.push(() => n8n.stop());
		timings.n8nMs = Date.now() - t;
		timings.totalMs = Date.now() - t0;

		const signal = prepared.workflows.find((w) => w.workflow.id === 'hfqTradingView01');
		const [hook] = signal ? webhooksOf(signal.workflow) : [];
		return {
			apiKey: service.apiKey,
			secret: service.secret,
			signalWebhookUrl: hook ? n8n.webhookUrl(hook.path) : null,
			serviceUrl: service.url,
			serviceCalls,
			redisKeyPrefix,
			redisUrl: redisUrl ?? null,
			databaseUrl: db.url,
			glassnodeSeededAt,
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
			serviceLog: service.log,
			timings,
			diagnostics: () => stackDiagnostics(n8n, service.log, { serviceLines: 30 }),
			stop: teardown.stop,
		};
	} catch (error) {
		await teardown.stop();
		throw error;
	}
}
