/**
 * @module cli/importCandles
 * `npm run import-candles -- --csv BTCUSDT-1h.csv --db DATABASE_URL --exchange binance --symbol BTC/USDT --timeframe 1h`
 *
 * Loads an OHLCV CSV into the service's candles table (upsert by exchange, symbol, timeframe, open
 * time: importing twice changes nothing), so `npm run backtest -- --db …` and `POST /v1/backtests`
 * work without a crawler.
 */
import type { Candle } from '../storage/schema.js';
import { openStorage } from '../storage/openStorage.js';
import { redactDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import { parseCliOptions, stringOption, timeOption } from './cliOptions.js';
import { CANDLE_SOURCE_OPTIONS } from './commonOptions.js';
import { loadCandles, resolveDatabaseUrl } from './loadCandles.js';
import { createProgress } from './progressBar.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';
import { isoTime } from '../report/toSnakeCase.js';

export const IMPORT_USAGE = `usage: npm run import-candles -- --csv FILE --db DATABASE_URL [--exchange binance] [--symbol BTC/USDT] [--timeframe 1h] [--from DATE --to DATE]
  --csv FILE          OHLCV CSV (relative to where you ran npm, or a file name in ../shared/data/ohlcv)
  --db DATABASE_URL   sqlite:PATH or mysql://user:pass@host:port/db (migrated on open)
  --exchange NAME     default binance
  --symbol SYMBOL     default from the file name (BTCUSDT-1h.csv -> BTC/USDT)
  --timeframe TF      default from the candle spacing
  --from/--to DATE    import only bars with from <= open time < to`;

const CHUNK = 20_000;

export async function importCandlesMain(argv: string[], io: CliIo): Promise<void> {
	const v = parseCliOptions(argv, CANDLE_SOURCE_OPTIONS);
	const db = stringOption(v, 'db', true);
	const fromMs = timeOption(v, 'from') ?? -Infinity;
	const { candles, data } = await loadCandles({
		csv: stringOption(v, 'csv', true),
		symbol: stringOption(v, 'symbol'),
		timeframe: stringOption(v, 'timeframe'),
		toMs: timeOption(v, 'to'),
	});
	const exchange = stringOption(v, 'exchange') ?? 'binance';
	const url = resolveDatabaseUrl(db, process.env.INIT_CWD ?? process.cwd());
	const storage = await openStorage(url);
	const progress = createProgress(io.stderr, 'candles');
	let written = 0;
	let first = -1;
	try {
		let i = 0;
		while (i < candles.length && candles.openTime[i] < fromMs) i++;
		first = i;
		const total = candles.length - i;
		for (; i < candles.length; i += CHUNK) {
			const rows: Candle[] = [];
			for (let j = i; j < Math.min(candles.length, i + CHUNK); j++) {
				rows.push({ exchange, symbol: data.symbol, timeframe: data.timeframe, openTime: candles.openTime[j], open: candles.open[j], high: candles.high[j], low: candles.low[j], close: candles.close[j], volume: candles.volume[j] });
			}
			written += await storage.candles.upsertMany(rows);
			progress.update(written, total);
		}
	} finally {
		progress.done();
		await storage.close();
	}
	const span = written > 0 ? ` from ${isoTime(candles.openTime[first])} to ${isoTime(candles.openTime[candles.length - 1])}` : '';
	io.stdout.write(`imported ${written} ${exchange} ${data.symbol} ${data.timeframe} candles${span} into ${redactDatabaseUrl(url)}\n`);
}

if (isMainModule(import.meta.url, 'importCandles')) runAsScript(importCandlesMain, IMPORT_USAGE);
