/**
 * Real candles for tests, on any clone. Small real slices of the Binance candle files are committed
 * in test/fixtures/ohlcv (README there: source rows, sha256, how they were cut); `realCandleSlice` reads
 * a time window from them and refuses a window the slice does not hold completely, so a test gets
 * exactly the rows the full file has in that window. Tests over whole files need the full files
 * (`HFQ_OHLCV_DIR` or ../shared/data/ohlcv beside the repository): `fullOhlcvMissing` is null when
 * they are here and otherwise the reason to skip, for `ctx.skip(fullOhlcvMissing !== null, …)`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CandleColumns } from '../core/candles.js';
import { ohlcvDir, readOhlcvCsv } from './readOhlcvCsv.js';

/** The committed candle slices (same file names as the full files). */
export const FIXTURE_OHLCV_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/ohlcv');

interface SliceWindow {
	fromMs: number | null;
	toMs: number | null;
}
interface SliceManifest {
	[file: string]: { sourceBytes: number; windows: SliceWindow[] };
}
const manifest = JSON.parse(readFileSync(join(FIXTURE_OHLCV_DIR, 'slices.json'), 'utf8')) as SliceManifest;

function fullFilesMissingReason(): string | null {
	const dir = ohlcvDir();
	const probe = join(dir, 'BTCUSDT-1h.csv');
	if (!existsSync(probe)) return `${dir} has no BTCUSDT-1h.csv (HFQ_OHLCV_DIR sets the folder)`;
	if (statSync(probe).size !== manifest['BTCUSDT-1h.csv'].sourceBytes) return `${probe} is not the full candle file (size differs from test/fixtures/ohlcv/slices.json)`;
	return null;
}

/** null when the full candle files are present, else why tests over whole files are skipped. */
export const fullOhlcvMissing: string | null = fullFilesMissingReason();

/** A full candle file (`ohlcvDir()`); only for tests that skip on `fullOhlcvMissing`. */
export function fullCandles(file: string, range?: { fromMs?: number; toMs?: number }): CandleColumns {
	return readOhlcvCsv(join(ohlcvDir(), file), range);
}

/**
 * The candles of `file` with open time in [fromMs, toMs), read from the committed slice.
 * A missing bound means the start (end) of the file, which the slice must then hold.
 * @throws Error naming the file and the windows the slice holds when it does not cover the range.
 */
export function realCandleSlice(file: string, range: { fromMs?: number; toMs?: number } = {}): CandleColumns {
	const entry = manifest[file];
	if (entry === undefined) throw new Error(`no committed slice of ${file} in test/fixtures/ohlcv (see cutSlices.mjs)`);
	const covers = entry.windows.some(
		(w) =>
			(range.fromMs === undefined ? w.fromMs === null : w.fromMs === null || w.fromMs <= range.fromMs) &&
			(range.toMs === undefined ? w.toMs === null : w.toMs === null || range.toMs <= w.toMs),
	);
	if (!covers) {
		const held = entry.windows.map((w) => `[${w.fromMs === null ? 'start' : new Date(w.fromMs).toISOString()}, ${w.toMs === null ? 'end' : new Date(w.toMs).toISOString()})`).join(', ');
		throw new Error(`the committed slice of ${file} holds ${held}, not the requested range; widen it in test/fixtures/ohlcv/cutSlices.mjs`);
	}
	return readOhlcvCsv(join(FIXTURE_OHLCV_DIR, file), range);
}

/** Skips the running test, with the reason as its note, when the full candle files are not here. */
export function skipWithoutFullOhlcv(ctx: { skip: (condition: boolean, note?: string) => void }): void {
	ctx.skip(fullOhlcvMissing !== null, `needs the full candle files: ${fullOhlcvMissing}`);
}
