/**
 * @module readOhlcvCsv
 * Reads the project's OHLCV candle files (Binance spot klines, see ../shared/data/ohlcv/PROVENANCE.md)
 * into {@link CandleColumns}. The file format: header `timestamp,open,high,low,close,volume`,
 * timestamp = bar open time in Unix ms UTC, plain decimals, rows strictly ascending.
 *
 * I/O lives here, outside `core/`. The parser walks the raw file bytes once (no string per line):
 * numbers are parsed from their digits with the exact fast path (integer mantissa < 2^53 divided by an
 * exact power of ten ≤ 1e22, which IEEE division rounds correctly, so the result is bit-identical to
 * `Number.parseFloat`); anything else (exponents, > 15 digits) falls back to `Number.parseFloat`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CandleColumns } from '../core/candles.js';
import { InvalidInputError } from '../errors.js';

const HEADER = 'timestamp,open,high,low,close,volume';
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // 1e0..1e22, all exact doubles
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Directory of the shared candle files: `HFQ_OHLCV_DIR` if set, else `<repo>/../shared/data/ohlcv`
 * resolved from this source file's location (independent of the process's working directory).
 */
export function ohlcvDir(): string {
	const fromEnv = process.env.HFQ_OHLCV_DIR;
	if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
	const here = dirname(fileURLToPath(import.meta.url)); // <repo>/math-service/src/data
	return resolve(here, '../../../..', 'shared/data/ohlcv');
}

/**
 * Reads one OHLCV CSV file into candle columns.
 *
 * @param path file path (absolute, or relative to the working directory; join with {@link ohlcvDir}).
 * @param range optional half-open time filter on the bar open time: `fromMs <= openTime < toMs`.
 * @throws InvalidInputError on a wrong header, a malformed number (with file:line), or timestamps that
 *   are not strictly increasing. File-system errors (ENOENT, ...) propagate unchanged.
 */
export function readOhlcvCsv(path: string, range?: { fromMs?: number; toMs?: number }): CandleColumns {
	const buf = readFileSync(path);
	return parseOhlcvCsv(buf, path, range);
}

/** Parses the bytes of an OHLCV CSV (exported for tests on in-memory input). */
export function parseOhlcvCsv(
	buf: Uint8Array,
	name = '<buffer>',
	range?: { fromMs?: number; toMs?: number },
): CandleColumns {
	const fromMs = range?.fromMs ?? -Infinity;
	const toMs = range?.toMs ?? Infinity;
	const size = buf.length;

	// Header line.
	let headerEnd = buf.indexOf(LF);
	if (headerEnd < 0) headerEnd = size;
	let headerText = Buffer.from(buf.buffer, buf.byteOffset, headerEnd).toString('latin1');
	if (headerText.endsWith('\r')) headerText = headerText.slice(0, -1);
	if (headerText.charCodeAt(0) === 0xef) headerText = headerText.replace(/^\u00ef\u00bb\u00bf/, ''); // UTF-8 BOM
	if (headerText !== HEADER) {
		throw new InvalidInputError(`${name}:1: expected header "${HEADER}", got "${headerText.slice(0, 80)}"`);
	}

	// Capacity: estimated from the first rows' length, grown by doubling if the estimate falls short
	// (cheaper than a counting pass over the whole buffer).
	let capacity = estimateRows(buf, headerEnd + 1);
	let openTime: Float64Array = new Float64Array(capacity);
	let open: Float64Array = new Float64Array(capacity);
	let high: Float64Array = new Float64Array(capacity);
	let low: Float64Array = new Float64Array(capacity);
	let close: Float64Array = new Float64Array(capacity);
	let volume: Float64Array = new Float64Array(capacity);

	pos = headerEnd + 1;
	let line = 1;
	let n = 0;
	let lastTs = -Infinity;
	while (pos < size) {
		line++;
		const c0 = buf[pos];
		if (c0 === LF || c0 === CR) {
			// Blank line: skip it.
			const nl = buf.indexOf(LF, pos);
			pos = nl < 0 ? size : nl + 1;
			continue;
		}
		const ts = field(buf, COMMA, name, line);
		if (!(ts > lastTs)) {
			throw new InvalidInputError(`${name}:${line}: timestamp ${ts} is not after the previous ${lastTs}`);
		}
		lastTs = ts;
		if (ts < fromMs || ts >= toMs) {
			if (ts >= toMs) break; // rows are ascending: nothing later can match
			const nl = buf.indexOf(LF, pos);
			pos = nl < 0 ? size : nl + 1;
			continue;
		}
		if (n === capacity) {
			capacity *= 2;
			openTime = grow(openTime, capacity);
			open = grow(open, capacity);
			high = grow(high, capacity);
			low = grow(low, capacity);
			close = grow(close, capacity);
			volume = grow(volume, capacity);
		}
		openTime[n] = ts;
		open[n] = field(buf, COMMA, name, line);
		high[n] = field(buf, COMMA, name, line);
		low[n] = field(buf, COMMA, name, line);
		close[n] = field(buf, COMMA, name, line);
		volume[n] = field(buf, LF, name, line);
		n++;
	}
	const fit = (a: Float64Array): Float64Array => (n === capacity ? a : a.slice(0, n));
	return {
		openTime: fit(openTime),
		open: fit(open),
		high: fit(high),
		low: fit(low),
		close: fit(close),
		volume: fit(volume),
		length: n,
	};
}

/** Rows in the buffer from `start`, estimated from the mean length of the first 64 lines (+5% + 16). */
function estimateRows(buf: Uint8Array, start: number): number {
	let p = start;
	let lines = 0;
	while (lines < 64) {
		const nl = buf.indexOf(LF, p);
		if (nl < 0) break;
		p = nl + 1;
		lines++;
	}
	if (lines === 0) return 16;
	const meanRow = (p - start) / lines;
	return Math.ceil(((buf.length - start) / meanRow) * 1.05) + 16;
}

function grow(a: Float64Array, capacity: number): Float64Array {
	const b = new Float64Array(capacity);
	b.set(a);
	return b;
}

/** Read position of the parser (module state: parsing is synchronous and never re-entered). */
let pos = 0;

/**
 * Parses one numeric field at `pos` that must end with `terminator` (for the last field: LF, CR LF or
 * the end of the buffer) and moves `pos` past the terminator.
 */
function field(buf: Uint8Array, terminator: number, name: string, line: number): number {
	const size = buf.length;
	const start = pos;
	let p = start;
	let c = buf[p];
	let negative = false;
	if (c === 45 /* - */) {
		negative = true;
		c = buf[++p];
	}
	let mantissa = 0;
	let digits = 0;
	let dot = -1;
	for (;;) {
		if (c >= 48 && c <= 57) {
			mantissa = mantissa * 10 + (c - 48);
			digits++;
		} else if (c === 46 /* . */ && dot < 0) {
			dot = digits;
		} else {
			break;
		}
		c = buf[++p];
	}
	let value: number;
	const ends = p >= size || c === terminator || (terminator === LF && c === CR);
	if (digits > 0 && digits <= 15 && ends) {
		value = mantissa / POW10[dot < 0 ? 0 : digits - dot];
		if (negative) value = -value;
	} else {
		value = slowField(buf, start, terminator, name, line);
		p = pos;
	}
	// Consume the terminator.
	if (terminator === COMMA) {
		if (p >= size || buf[p] !== COMMA) {
			throw new InvalidInputError(`${name}:${line}: expected "," after a number (row ends early?)`);
		}
		p++;
	} else if (p < size) {
		if (buf[p] === CR) p++;
		if (p < size) {
			if (buf[p] !== LF) throw new InvalidInputError(`${name}:${line}: expected end of line after volume`);
			p++;
		}
	}
	pos = p;
	return value;
}

/** Exponents, > 15 digits or garbage: let parseFloat judge the whole field; sets `pos` to its end. */
function slowField(buf: Uint8Array, start: number, terminator: number, name: string, line: number): number {
	const size = buf.length;
	let end = start;
	while (end < size && buf[end] !== terminator && buf[end] !== LF && buf[end] !== CR) end++;
	const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
	const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number.parseFloat(text) : Number.NaN;
	if (Number.isNaN(value)) throw new InvalidInputError(`${name}:${line}: not a number: "${text.slice(0, 40)}"`);
	pos = end;
	return value;
}
