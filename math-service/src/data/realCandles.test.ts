/**
 * The committed candle slices are what their README and slices.json say: byte-identical to the
 * recorded sha256, and (when the full candle files are here) every window holds exactly the rows the
 * full file has in it. `realCandleSlice` refuses a range no window holds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_OHLCV_DIR, fullCandles, realCandleSlice, skipWithoutFullOhlcv } from './realCandles.test-helper.js';

interface Entry {
	sourceSha256: string;
	sliceSha256: string;
	windows: { fromMs: number | null; toMs: number | null; rows: number }[];
}
const manifest = JSON.parse(readFileSync(join(FIXTURE_OHLCV_DIR, 'slices.json'), 'utf8')) as Record<string, Entry>;
const files = Object.keys(manifest);
const range = (w: Entry['windows'][number]) => ({ fromMs: w.fromMs ?? undefined, toMs: w.toMs ?? undefined });

describe('committed candle slices', () => {
	it.for(files)('%s matches the sha256 in slices.json', (file) => {
		const sha = createHash('sha256').update(readFileSync(join(FIXTURE_OHLCV_DIR, file))).digest('hex');
		expect(sha).toBe(manifest[file].sliceSha256);
	});

	it.for(files)('%s: each window holds the recorded row count', (file) => {
		for (const w of manifest[file].windows) expect(realCandleSlice(file, range(w)).length).toBe(w.rows);
	});

	it.for(files)('%s: each window equals the full file over the same range', (file, ctx) => {
		skipWithoutFullOhlcv(ctx);
		for (const w of manifest[file].windows) expect(realCandleSlice(file, range(w))).toEqual(fullCandles(file, range(w)));
	});

	it('refuses a range that no window holds, naming the windows', () => {
		expect(() => realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2019, 0, 1), toMs: Date.UTC(2020, 0, 1) })).toThrow(/holds .*2022-01-01.*not the requested range/);
		expect(() => realCandleSlice('BTCUSDT-1m-2023.csv')).toThrow(/not the requested range/);
		expect(() => realCandleSlice('SOLUSDT-1h.csv', {})).toThrow(/no committed slice/);
	});
});
