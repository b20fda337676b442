/**
 * @module cli/commonOptions
 * Options shared by `npm run backtest` and `npm run sweep`: where the candles come from, the
 * backtest window, the broker's costs and where the result goes. Defaults are the Pine strategy's
 * (0.1% commission per side, 2 bps slippage on market and stop fills, 10,000 USDT, 10% of equity,
 * a 48 h time stop); every broker rule of core/backtest/brokerOptions.ts can be set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HOUR_MS, type BrokerOptions } from '../core/backtest/brokerOptions.js';
import { numberOption, stringOption, timeOption, type OptionSpec, type OptionValues } from './cliOptions.js';
import type { CandleSource } from './loadCandles.js';
import { UsageError } from './UsageError.js';

/** Where the candles come from and which window: the options every candle-reading CLI takes. */
export const CANDLE_SOURCE_OPTIONS = {
	csv: { type: 'string' },
	db: { type: 'string' },
	exchange: { type: 'string' },
	symbol: { type: 'string' },
	timeframe: { type: 'string' },
	from: { type: 'string' },
	to: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const COMMON_OPTIONS = {
	...CANDLE_SOURCE_OPTIONS,
	fee: { type: 'string' },
	slippage: { type: 'string' },
	capital: { type: 'string' },
	'position-size': { type: 'string' },
	'time-stop-hours': { type: 'string' },
	'tie-break': { type: 'string' },
	'tick-size': { type: 'string' },
	out: { type: 'string' },
} as const satisfies OptionSpec;

export const COMMON_USAGE = `Candles (one of):
  --csv FILE                 OHLCV CSV (relative to where you ran npm, or a file name in the shared
                             candle directory ../shared/data/ohlcv, e.g. BTCUSDT-1h.csv)
  --db DATABASE_URL          sqlite:PATH or mysql://user:pass@host:port/db, with --exchange (default
                             binance), --symbol BTC/USDT and --timeframe 1h
  --timeframe TF             1m, 5m, 1h, 4h, 1d (inferred from a CSV when omitted)
  --symbol SYMBOL            label for a CSV (inferred from the file name, BTCUSDT-1h.csv -> BTC/USDT)
Window and costs:
  --from DATE --to DATE      backtest window [from, to) on the bar open time, YYYY-MM-DD or ISO 8601
                             (UTC); earlier bars still warm the indicators up
  --fee RATIO                commission per side, default 0.001 (0.1%)
  --slippage RATIO           adverse slippage on market/stop fills, default 0.0002 (2 bps)
  --capital USDT             initial capital, default 10000
  --position-size RATIO      share of equity per trade, default 0.1
  --time-stop-hours H        close a trade at the first bar close H hours after entry, default 48;
                             0 switches the time stop off (the Pine script as written)
  --tie-break RULE           intrabar path when the open is as far from the high as from the low:
                             low_first (default, PyneCore) or high_first (PineTS)
  --tick-size PRICE          round the target up and the stop down to this price grid (default: none)
Output:
  --out FILE                 write the JSON there (default: print it on stdout)`;

export function candleSourceOf(v: OptionValues): CandleSource {
	return {
		csv: stringOption(v, 'csv'),
		db: stringOption(v, 'db'),
		exchange: stringOption(v, 'exchange'),
		symbol: stringOption(v, 'symbol'),
		timeframe: stringOption(v, 'timeframe'),
		toMs: timeOption(v, 'to'),
	};
}

export function windowOf(v: OptionValues): { fromMs?: number; toMs?: number } {
	const fromMs = timeOption(v, 'from');
	const toMs = timeOption(v, 'to');
	if (fromMs !== undefined && toMs !== undefined && !(toMs > fromMs)) throw new UsageError('--to must be after --from');
	return { fromMs, toMs };
}

export function brokerOf(v: OptionValues): Partial<BrokerOptions> {
	const broker: Partial<BrokerOptions> = {};
	const fee = numberOption(v, 'fee', { min: 0, max: 1, maxExclusive: true });
	const slippage = numberOption(v, 'slippage', { min: 0, max: 1, maxExclusive: true });
	const capital = numberOption(v, 'capital', { min: Number.MIN_VALUE });
	const size = numberOption(v, 'position-size', { min: Number.MIN_VALUE, max: 1 });
	if (fee !== undefined) broker.feeRatio = fee;
	if (slippage !== undefined) broker.slippageRatio = slippage;
	if (capital !== undefined) broker.initialCapital = capital;
	if (size !== undefined) broker.positionSizeRatio = size;
	const timeStopHours = numberOption(v, 'time-stop-hours', { min: 0 });
	if (timeStopHours !== undefined) broker.timeStopMs = timeStopHours === 0 ? null : timeStopHours * HOUR_MS;
	const tieBreak = stringOption(v, 'tie-break');
	if (tieBreak !== undefined) {
		if (tieBreak !== 'low_first' && tieBreak !== 'high_first') throw new UsageError(`--tie-break must be low_first or high_first, not "${tieBreak}"`);
		broker.tieBreak = tieBreak;
	}
	const tickSize = numberOption(v, 'tick-size', { min: Number.MIN_VALUE });
	if (tickSize !== undefined) broker.tickSize = tickSize;
	return broker;
}

/** Milliseconds → seconds, to the microsecond (the JSON's compute_seconds). */
export function roundSeconds(ms: number): number {
	return Math.round(ms * 1000) / 1e6;
}

/** Absolute output path: relative to the directory npm was run from. */
export function outputPath(path: string): string {
	return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** Writes `text` to `path` (resolved with {@link outputPath}), creating its directory; returns the absolute path. */
export function writeOutput(path: string, text: string): string {
	const abs = outputPath(path);
	mkdirSync(dirname(abs), { recursive: true });
	writeFileSync(abs, text);
	return abs;
}
