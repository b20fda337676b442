// LIVE trading as real processes, for the LIVE end-to-end test: nodes built when stale → a
// throw-away MariaDB database with a passing backtest recorded per traded symbol (and a failing one
// where a test wants the LIVE gate to refuse) → the math service (compiled main.js) in LIVE with
// both switches set (HFQ_MODE=LIVE, HFQ_LIVE_CONFIRM) and ccxt pointed at the loopback Binance spot
// account fake by base URL (it verifies every request's HMAC signature) → the Telegram Bot API fake
// → a real n8n with workflows/tradingview-signal.json, workflows/telegram-buttons.json and
// workflows/heartbeat-risk-monitor.json imported and published (credentials by name; the risk
// monitor's schedule set to a few seconds in the imported copy). The service can be SIGKILLed and
// started again on the same port and database, with other settings (`restartService`).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { prepareWorkflows, type PreparedWorkflows } from '../../../scripts/start/n8nWorkflows.mjs';
import { evaluateKpiGates, type KpiInput } from '../../../math-service/src/core/gates/kpiGates';
import { gatesJson } from '../../../math-service/src/report/backtestJson';
import { openStorage, type Storage } from '../../../math-service/src/storage/openStorage';
import { createMysqlTestDatabase, type TestDatabase } from '../../../math-service/src/storage/testDatabases';
import { startFakeBinanceAccount, startFakeTelegram, type FakeBinanceAccount, type FakeTelegram } from '../../fakes';
import { startN8n, type N8nInstance } from '../../support/n8nHarness';
import { setSchedules } from './heartbeatStack';
import { BOT_TOKEN, buildNodes, CHAT_ID, ROOT, stackDiagnostics, stackTeardown, startStackService, webhookUrlOf } from './stackParts';

export const LIVE_WORKFLOWS = ['workflows/tradingview-signal.json', 'workflows/telegram-buttons.json', 'workflows/heartbeat-risk-monitor.json'];
export const SIGNAL_WORKFLOW_ID = 'hfqTradingView01';
export const BUTTONS_WORKFLOW_ID = 'hfqTelegramBtn01';
export const RISK_MONITOR_WORKFLOW_ID = 'hfqHbRiskMonitr1';
/** The strategy the shipped signal workflow's Decide node names. */
export const STRATEGY = 'vwap-mean-reversion';
/** Backtest KPIs that pass the seed's gates (≥ 500 trades, PF ≥ 1.3, …) and ones that fail them (too few trades). */
export const PASSING_KPIS: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
export const FAILING_KPIS: KpiInput = { ...PASSING_KPIS, tradeCount: 120 };

export interface LiveStack {
	secret: string;
	apiKey: string;
	buttonsSecretToken: string;
	serviceUrl: string;
	signalWebhookUrl: string;
	buttonsWebhookUrl: string;
	n8n: N8nInstance;
	exchange: FakeBinanceAccount;
	telegram: FakeTelegram;
	/** Read access to the service's database (plus the candles and backtests a test sets up). */
	storage: Storage;
	prepared: PreparedWorkflows;
	serviceLog: string[];
	timings: Record<string, number>;
	/** SIGKILL the math service (n8n and the fakes keep running). */
	killService(): Promise<void>;
	/** Stops the service if it runs, then starts it on the same port and database; `env` changes its settings (undefined removes one). */
	restartService(env?: Record<string, string | undefined>): Promise<void>;
	diagnostics(): string;
	stop(): Promise<void>;
}

export interface LiveStackOptions {
	n8nVersion?: string;
	/** Last prices at the exchange fake, by Binance symbol (ETHUSDT: 3000). */
	prices: Record<string, number>;
	/** Symbols ("ETH/USDT") whose latest backtest of STRATEGY passes the gates, and ones whose latest fails. */
	passing: string[];
	failing?: string[];
	/** The risk monitor's cron expression (with seconds) in the imported copy. */
	riskMonitorCron?: string;
	serviceEnv?: Record<string, string>;
	log?: (line: string) => void;
}

export async function recordBacktest(storage: Storage, symbol: string, kpis: KpiInput, createdAt = Date.now() - 60_000): Promise<void> {
	const gates = evaluateKpiGates(kpis, 'seed1');
	const seed1 = gatesJson(gates);
	await storage.backtestRuns.insert({
		strategy: STRATEGY, exchange: 'binance', symbol, timeframe: '1h', fromTime: createdAt - 3 * 365 * 86_400_000, toTime: createdAt,
		params: {}, metrics: {}, gates: { seed1, seed2: seed1 }, gatesProfile: 'seed1', gatesPassed: gates.passed, createdAt,
	});
}

export async function startLiveStack(opts: LiveStackOptions): Promise<LiveStack> {
	const log = opts.log ?? (() => {});
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	const teardown = stackTeardown(log);
	try {
		buildNodes(timings);
		const db: TestDatabase = await createMysqlTestDatabase('hfq_live_e2e');
		teardown.push(() => db.drop());
		const storage = await openStorage(db.url); // migrates, so the backtests can be recorded before the service starts
		teardown.push(() => storage.close());
		for (const symbol of opts.passing) await recordBacktest(storage, symbol, PASSING_KPIS);
		for (const symbol of opts.failing ?? []) await recordBacktest(storage, symbol, FAILING_KPIS);

		const exchange = await startFakeBinanceAccount({ prices: opts.prices, symbols: Object.keys(opts.prices), balances: { USDT: 10_000 } });
		teardown.push(() => exchange.close());
		const telegram = await startFakeTelegram({ tokens: [BOT_TOKEN] });
		teardown.push(() => telegram.close());

		const buttonsSecretToken = `tg_${randomBytes(16).toString('hex')}`;
		let t = Date.now();
		const service = await startStackService({
			databaseUrl: db.url,
			apiKeyPrefix: 'live',
			log,
			env: {
				HFQ_PAPER_INITIAL_CASH: '10000',
				HFQ_INTAKE_BURST: '0', // n8n is the one client: no per-address rate limit
				TELEGRAM_OPERATOR_CHAT_IDS: CHAT_ID,
				HFQ_MODE: 'LIVE',
				HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY',
				EXCHANGE_API_KEY: exchange.apiKey,
				EXCHANGE_API_SECRET: exchange.apiSecret,
				HFQ_LIVE_BASE_URL: exchange.origin,
				...opts.serviceEnv,
			},
		});
		teardown.push(() => service.stop());
		timings.serviceMs = Date.now() - t;

		t = Date.now();
		const prepared = prepareWorkflows({
			files: LIVE_WORKFLOWS.map((f) => join(ROOT, f)),
			mathUrl: service.url,
			mathApiKey: service.apiKey,
			telegram: { token: BOT_TOKEN, chatId: CHAT_ID, baseUrl: telegram.url, webhookSecretToken: buttonsSecretToken },
		});
		for (const w of prepared.workflows) setSchedules(w.workflow, { 'Every 10 Seconds': opts.riskMonitorCron ?? '*/3 * * * * *' }, 1);
		const n8n = await startN8n({ version: opts.n8nVersion, workflows: prepared.workflows.map((w) => w.workflow), credentials: prepared.credentials, readyTimeoutMs: 300_000 });
		teardown.push(() => n8n.stop());
		timings.n8nMs = Date.now() - t;
		timings.totalMs = Date.now() - t0;

		return {
			secret: service.secret,
			apiKey: service.apiKey,
			buttonsSecretToken,
			serviceUrl: service.url,
			signalWebhookUrl: webhookUrlOf(prepared, n8n, SIGNAL_WORKFLOW_ID),
			buttonsWebhookUrl: webhookUrlOf(prepared, n8n, BUTTONS_WORKFLOW_ID),
			n8n,
			exchange,
			telegram,
			storage,
			prepared,
			serviceLog: service.log,
			timings,
			killService: () => service.kill(),
			restartService: (changes) => service.restart(changes),
			diagnostics: () => stackDiagnostics(n8n, service.log),
			stop: teardown.stop,
		};
	} catch (error) {
		await teardown.stop();
		throw error;
	}
}
