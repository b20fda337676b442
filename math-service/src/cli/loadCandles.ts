/**
 * @module cli/loadCandles
 * Candles for the CLIs, from a CSV file (`--csv`) or the service's database (`--db DATABASE_URL
 * --exchange --symbol --timeframe`). Every bar before `--to` is loaded, also those before `--from`:
 * they warm the indicators up (see report/runBacktestReport.ts), so a CSV and the same candles
 * imported into a database give the same trades.
 */
import { isAbsolute, resolve } from 'node:path';
import type { CandleColumns } from '../core/candles.js';
import { readOhlcvCsv } from '../data/readOhlcvCsv.js';
import { openStorage } from '../storage/openStorage.js';
import { redactDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import type { DataInfo } from '../report/backtestJson.js';
import { resolveCsvPath } from './resolveCsvPath.js';
import { UsageError } from './UsageError.js';

export interface CandleSource {
	csv?: string;
	db?: string;
	exchange?: string;
	symbol?: string;
	timeframe?: string;
	/** Load bars with open time < toMs only. */
	toMs?: number;
	/** Directory relative paths are resolved against (default INIT_CWD or cwd). */
	initCwd?: string;
}

export interface LoadedCandles {
	candles: CandleColumns;
	data: DataInfo;
}

const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'BTC', 'ETH', 'BNB', 'EUR'];

/** `BTCUSDT-1h.csv` → `BTC/USDT`; null when the name does not start with a known pair. */
export function symbolFromFileName(path: string): string | null {
	const name = path.split(/[\\/]/).pop() ?? '';
	const pair = /^([A-Z0-9]+?)[-_.]/.exec(name)?.[1] ?? '';
	for (const quote of QUOTES) if (pair.length > quote.length && pair.endsWith(quote)) return `${pair.slice(0, -quote.length)}/${quote}`;
	return null;
}

/** The bar length of a candle series (the smallest gap between consecutive bars) as `1m`, `1h`, `1d`. */
export function inferTimeframe(openTime: ArrayLike<number>, length: number): string | null {
	let step = Infinity;
	for (let i = 1; i < Math.min(length, 5000); i++) step = Math.min(step, openTime[i] - openTime[i - 1]);
	if (!Number.isFinite(step) || step <= 0) return null;
	for (const [unit, ms] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
		if (step % ms === 0 && (unit !== 'w' || step === ms)) return `${step / ms}${unit}`;
	}
	return null;
}

/** `sqlite:relative.db` resolved against the user's directory; other URLs unchanged. */
export function resolveDatabaseUrl(url: string, initCwd: string): string {
	const m = /^sqlite:(?!:memory:)(?!\/\/)(.+)$/i.exec(url);
	if (m === null || isAbsolute(m[1])) return url;
	return `sqlite:${resolve(initCwd, m[1])}`;
}

export async function loadCandles(source: CandleSource): Promise<LoadedCandles> {
	const initCwd = source.initCwd ?? process.env.INIT_CWD ?? process.cwd();
	if ((source.csv === undefined) === (source.db === undefined)) throw new UsageError('give either --csv FILE or --db DATABASE_URL (with --exchange, --symbol, --timeframe)');
	if (source.csv !== undefined) {
		const file = resolveCsvPath(source.csv, { initCwd });
		const candles = readOhlcvCsv(file, { toMs: source.toMs });
		const timeframe = source.timeframe ?? inferTimeframe(candles.openTime, candles.length);
		if (timeframe === null) throw new UsageError(`cannot tell the timeframe of ${file}; pass --timeframe (e.g. 1h)`);
		const symbol = source.symbol ?? symbolFromFileName(file);
		if (symbol === null) throw new UsageError(`cannot tell the symbol from the file name ${file}; pass --symbol (e.g. BTC/USDT)`);
		return { candles, data: { file: source.csv, db: null, exchange: source.exchange ?? null, symbol, timeframe } };
	}
	const exchange = source.exchange ?? 'binance';
	if (source.symbol === undefined) throw new UsageError('--symbol is required with --db (e.g. --symbol BTC/USDT)');
	if (source.timeframe === undefined) throw new UsageError('--timeframe is required with --db (e.g. --timeframe 1h)');
	const url = resolveDatabaseUrl(source.db!, initCwd);
	const storage = await openStorage(url);
	try {
		const key = { exchange, symbol: source.symbol, timeframe: source.timeframe };
		const cols = await storage.candles.loadColumns(key, 0, source.toMs ?? Number.MAX_SAFE_INTEGER);
		const length = cols.openTime.length;
		if (length === 0) {
			throw new UsageError(`no ${exchange} ${source.symbol} ${source.timeframe} candles in ${redactDatabaseUrl(url)}; load a CSV with npm run import-candles`);
		}
		return { candles: { ...cols, length }, data: { file: null, db: redactDatabaseUrl(url), exchange, symbol: source.symbol, timeframe: source.timeframe } };
	} finally {
		await storage.close();
	}
}
