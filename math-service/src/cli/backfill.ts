/**
 * @module cli/backfill
 * `npm run backfill -- --symbol BTC/USDT --since 2024-01-01 [--exchange bybit] [--timeframe 1m] [--until DATE] [--db DATABASE_URL]`
 *
 * Fills the candles table with history from the exchange through the same crawler as
 * `POST /v1/candles/sync` (crawler/syncCandles): whitelisted spot pairs only, closed bars only,
 * requests of 1,000 bars, so N missing bars cost exactly ceil(N / 1000) requests. Resumable: it
 * starts one bar after the newest stored bar, so an interrupted run continues where it stopped
 * and a finished one costs nothing. Bars the exchange does not have are listed as gaps, never
 * invented. A rate limit (RetryableError) waits the time the exchange asked for, then continues.
 * The exchange's REST root comes from BINANCE_BASE_URL / BYBIT_BASE_URL (crawler/crawlerSettings),
 * the database from --db or DATABASE_URL. Progress goes to stderr, the summary to stdout.
 */
import { createExchangeClient, supportedExchange } from '../crawler/createExchangeClient.js';
import { baseUrlOf, crawlerSettingsFromEnv } from '../crawler/crawlerSettings.js';
import type { ExchangeClient } from '../crawler/ExchangeClient.js';
import { MAX_PAGES_LIMIT, PAGE_LIMIT, resolveCandleKey, syncCandles } from '../crawler/syncCandles.js';
import { timeframeMs } from '../crawler/timeframes.js';
import { RetryableError } from '../errors.js';
import { openStorage } from '../storage/openStorage.js';
import { redactDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import type { CandleGap } from '../storage/candles.js';
import { parseCliOptions, stringOption, timeOption, type OptionSpec } from './cliOptions.js';
import { resolveDatabaseUrl } from './loadCandles.js';
import { createProgress } from './progressBar.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';
import { UsageError } from './UsageError.js';

const OPTIONS = {
	symbol: { type: 'string' },
	since: { type: 'string' },
	until: { type: 'string' },
	exchange: { type: 'string' },
	timeframe: { type: 'string' },
	db: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const BACKFILL_USAGE = `usage: npm run backfill -- --symbol BTC/USDT --since 2024-01-01 [--exchange binance|bybit] [--timeframe 1m] [--until DATE] [--db DATABASE_URL]
  --symbol SYMBOL     a whitelisted spot pair (BTC/USDT, BTCUSDT, ETH-USDT …)
  --since DATE        first open time wanted (YYYY-MM-DD = 00:00 UTC, ISO 8601, or epoch ms)
  --until DATE        last open time wanted, inclusive (default: the newest closed bar)
  --exchange NAME     binance or bybit (default HFQ_EXCHANGE, else binance)
  --timeframe TF      default 1m
  --db DATABASE_URL   sqlite:PATH or mysql://user:pass@host:port/db (default DATABASE_URL)
Resumes after the newest stored bar; costs ceil(missing bars / ${PAGE_LIMIT}) requests.`;

/** Rate-limit waits in one run before giving up (the next run resumes). */
const MAX_RATE_LIMIT_WAITS = 5;

export interface BackfillDeps {
	env?: Record<string, string | undefined>;
	/** A client to use instead of one built from the environment (tests). */
	exchangeClient?: ExchangeClient;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export interface BackfillSummary {
	exchange: string;
	symbol: string;
	timeframe: string;
	/** Bars that were not stored when the run started, between its start and end. */
	missing: number;
	inserted: number;
	requests: number;
	gaps: CandleGap[];
}

export async function backfill(argv: string[], io: CliIo, deps: BackfillDeps = {}): Promise<BackfillSummary> {
	const v = parseCliOptions(argv, OPTIONS);
	const env = deps.env ?? process.env;
	const settings = crawlerSettingsFromEnv(env);
	const sinceMs = timeOption(v, 'since');
	if (sinceMs === undefined) throw new UsageError('--since DATE is required (where the history starts)');
	const untilOption = timeOption(v, 'until');
	const exchange = supportedExchange(stringOption(v, 'exchange') ?? settings.defaultExchange);
	const key = resolveCandleKey({ exchange, symbol: stringOption(v, 'symbol', true), timeframe: stringOption(v, 'timeframe') ?? '1m' });
	const db = stringOption(v, 'db') ?? env.DATABASE_URL;
	if (!db) throw new UsageError('give --db DATABASE_URL or set DATABASE_URL');
	const url = resolveDatabaseUrl(db, env.INIT_CWD ?? process.cwd());
	const now = deps.now ?? Date.now;
	const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
	const client = deps.exchangeClient ?? createExchangeClient(exchange, { baseUrl: baseUrlOf(settings, exchange), timeoutMs: settings.requestTimeoutMs });
	const barMs = timeframeMs(key.timeframe);
	const storage = await openStorage(url);
	const progress = createProgress(io.stderr, `${key.symbol} ${key.timeframe} bars`);
	const summary: BackfillSummary = { ...key, missing: 0, inserted: 0, requests: 0, gaps: [] };
	try {
		const latest = await storage.candles.latestOpenTime(key);
		const firstOpen = Math.ceil(sinceMs / barMs) * barMs;
		const start = latest !== null && latest + barMs > firstOpen ? latest + barMs : firstOpen;
		const lastOpen = Math.min(untilOption ?? Number.POSITIVE_INFINITY, now() - barMs);
		const end = Math.floor(lastOpen / barMs) * barMs;
		summary.missing = end >= start ? (end - start) / barMs + 1 : 0;
		let waits = 0;
		for (;;) {
			let r;
			try {
				r = await syncCandles({ ...key, sinceMs: firstOpen, untilMs: end, maxPages: MAX_PAGES_LIMIT }, { storage, exchangeClient: client, clock: { now } });
			} catch (error) {
				if (!(error instanceof RetryableError) || waits >= MAX_RATE_LIMIT_WAITS) throw error;
				waits += 1;
				io.stderr.write(`${error.message.slice(0, 200)}; waiting ${Math.ceil((error.retryAfterMs ?? 5_000) / 1000)} s\n`);
				await sleep(error.retryAfterMs ?? 5_000);
				continue;
			}
			summary.requests += r.pages;
			summary.inserted += r.inserted;
			summary.gaps.push(...r.gaps);
			const reached = r.latestOpenTime === null ? 0 : Math.max(0, (Math.min(r.latestOpenTime, end) - start) / barMs + 1);
			progress.update(Math.min(summary.missing, reached), summary.missing);
			if (r.complete) break;
		}
	} finally {
		progress.done();
		await storage.close();
	}
	const gapBars = summary.gaps.reduce((sum, g) => sum + g.missingBars, 0);
	io.stdout.write(
		`backfilled ${summary.inserted} of ${summary.missing} missing ${key.exchange} ${key.symbol} ${key.timeframe} candles in ${summary.requests} requests into ${redactDatabaseUrl(url)}` +
			(summary.gaps.length > 0 ? `; the exchange has no bars in ${summary.gaps.length} gaps (${gapBars} bars, GET /v1/candles/gaps)` : '') +
			'\n',
	);
	return summary;
}

export async function backfillMain(argv: string[], io: CliIo): Promise<void> {
	await backfill(argv, io);
}

if (isMainModule(import.meta.url, 'backfill')) runAsScript(backfillMain, BACKFILL_USAGE);
