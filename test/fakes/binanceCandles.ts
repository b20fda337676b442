// Real Binance spot candles for the fake klines endpoint, read from the committed slices in test/fixtures/ohlcv
// (`<SYMBOL>-<interval>[-<part>].csv`, columns timestamp(open ms),open,high,low,close,volume).
// Intervals without a file are built from the finest file that divides them (open = first open,
// high = max, low = min, close = last close, volume = sum): 3m-30m from 1m, 2h-1d from 1h, 3d/1w/1M
// from 1h too. Buckets are UTC: 1w starts Monday 00:00 like Binance, 1M on the 1st; 3d is taken as
// epoch-aligned multiples of 3 days (Binance does not document its 3d anchor).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { OHLCV_DIR } from './fakeServer';

/** Binance spot kline intervals in milliseconds (1M = calendar month, handled separately). */
export const INTERVAL_MS: Record<string, number> = {
	'1s': 1_000,
	'1m': 60_000,
	'3m': 180_000,
	'5m': 300_000,
	'15m': 900_000,
	'30m': 1_800_000,
	'1h': 3_600_000,
	'2h': 7_200_000,
	'4h': 14_400_000,
	'6h': 21_600_000,
	'8h': 28_800_000,
	'12h': 43_200_000,
	'1d': 86_400_000,
	'3d': 259_200_000,
	'1w': 604_800_000,
	'1M': 2_592_000_000,
};

/** Columnar candles, ascending by open time. */
export interface Candles {
	open: Float64Array;
	high: Float64Array;
	low: Float64Array;
	close: Float64Array;
	volume: Float64Array;
	time: Float64Array;
	length: number;
}

const cache = new Map<string, Candles | null>();

function filesFor(dir: string, symbol: string, interval: string): string[] {
	const pattern = new RegExp(`^${symbol}-${interval}(-[A-Za-z0-9-]+)?\\.csv$`);
	return readdirSync(dir)
		.filter((name) => pattern.test(name))
		.sort();
}

function parseFiles(dir: string, files: string[]): Candles {
	// Files of one pair/interval may overlap (e.g. a year file and a month file); the later file wins.
	const parts: Float64Array[] = [];
	for (const file of files) {
		const text = readFileSync(join(dir, file), 'utf8');
		const rows = new Float64Array((Math.ceil(text.length / 20) + 1) * 6); // a row is > 20 chars
		let n = 0;
		let lineStart = text.indexOf('\n') + 1; // skip the header
		while (lineStart > 0 && lineStart < text.length) {
			let lineEnd = text.indexOf('\n', lineStart);
			if (lineEnd === -1) lineEnd = text.length;
			let col = lineStart;
			for (let k = 0; k < 6; k++) {
				let next = text.indexOf(',', col);
				if (next === -1 || next > lineEnd) next = lineEnd;
				rows[n * 6 + k] = Number(text.slice(col, next));
				col = next + 1;
			}
			if (lineEnd > lineStart) n += 1;
			lineStart = lineEnd + 1;
		}
		parts.push(rows.subarray(0, n * 6));
	}
	const byTime = new Map<number, { part: number; row: number }>();
	parts.forEach((rows, part) => {
		for (let row = 0; row < rows.length / 6; row++) byTime.set(rows[row * 6], { part, row });
	});
	const times = parts.length === 1 ? [...byTime.keys()] : [...byTime.keys()].sort((a, b) => a - b);
	const candles = emptyCandles(times.length);
	times.forEach((t, i) => {
		const { part, row } = byTime.get(t)!;
		const r = parts[part].subarray(row * 6, row * 6 + 6);
		candles.time[i] = t;
		candles.open[i] = r[1];
		candles.high[i] = r[2];
		candles.low[i] = r[3];
		candles.close[i] = r[4];
		candles.volume[i] = r[5];
	});
	return candles;
}

function emptyCandles(length: number): Candles {
	return {
		time: new Float64Array(length),
		open: new Float64Array(length),
		high: new Float64Array(length),
		low: new Float64Array(length),
		close: new Float64Array(length),
		volume: new Float64Array(length),
		length,
	};
}

/** Open time of the interval bucket holding `t` (UTC). */
export function bucketStart(t: number, interval: string): number {
	if (interval === '1M') {
		const d = new Date(t);
		return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
	}
	const ms = INTERVAL_MS[interval];
	if (interval === '1w') {
		const monday = 4 * 86_400_000; // 1970-01-05 was a Monday
		return t - ((((t - monday) % ms) + ms) % ms);
	}
	return t - (t % ms);
}

/** Close time of the bucket opened at `start`: next bucket's open − 1 ms, as Binance reports it. */
export function closeTime(start: number, interval: string): number {
	if (interval === '1M') {
		const d = new Date(start);
		return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
	}
	return start + INTERVAL_MS[interval] - 1;
}

function aggregate(source: Candles, interval: string): Candles {
	const out = emptyCandles(source.length);
	let n = -1;
	let current = Number.NaN;
	for (let i = 0; i < source.length; i++) {
		const b = bucketStart(source.time[i], interval);
		if (b !== current) {
			n += 1;
			current = b;
			out.time[n] = b;
			out.open[n] = source.open[i];
			out.high[n] = source.high[i];
			out.low[n] = source.low[i];
			out.volume[n] = 0;
		}
		out.high[n] = Math.max(out.high[n], source.high[i]);
		out.low[n] = Math.min(out.low[n], source.low[i]);
		out.close[n] = source.close[i];
		out.volume[n] += source.volume[i];
	}
	const length = n + 1;
	return {
		time: out.time.subarray(0, length),
		open: out.open.subarray(0, length),
		high: out.high.subarray(0, length),
		low: out.low.subarray(0, length),
		close: out.close.subarray(0, length),
		volume: out.volume.subarray(0, length),
		length,
	};
}

/** Symbols with at least one candle file, e.g. ['ARBUSDT', 'BTCUSDT', ...]. */
export function availableSymbols(dir = OHLCV_DIR): string[] {
	return [...new Set(readdirSync(dir).flatMap((name) => /^([A-Z0-9]+)-\d+[smhdwM]/.exec(name)?.[1] ?? []))].sort();
}

/** Candles of `symbol` at `interval`, or null when neither a file nor a finer file exists. Cached. */
export function loadCandles(symbol: string, interval: string, dir = OHLCV_DIR): Candles | null {
	const key = `${dir}|${symbol}|${interval}`;
	if (cache.has(key)) return cache.get(key)!;
	let result: Candles | null = null;
	const direct = filesFor(dir, symbol, interval);
	if (direct.length) result = parseFiles(dir, direct);
	else if (interval !== '1s' && INTERVAL_MS[interval]) {
		const finer = ['1h', '1m'].filter((base) => interval === '1M' || INTERVAL_MS[interval] % INTERVAL_MS[base] === 0);
		const base = finer.find((candidate) => filesFor(dir, symbol, candidate).length > 0 && INTERVAL_MS[interval] > INTERVAL_MS[candidate]);
		if (base) result = aggregate(loadCandles(symbol, base, dir)!, interval);
	}
	cache.set(key, result);
	return result;
}

/** First index with time >= t (binary search). */
export function lowerBound(times: Float64Array, t: number): number {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (times[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
