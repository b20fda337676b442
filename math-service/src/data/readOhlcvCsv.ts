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

	// Capacity = number of line feeds after the header, +1 for a last line without one.
	let capacity = 1;
	for (let p = buf.indexOf(LF, headerEnd + 1); p >= 0; p = buf.indexOf(LF, p + 1)) capacity++;

	const openTime = new Float64Array(capacity);
	const open = new Float64Array(capacity);
	const high = new Float64Array(capacity);
	const low = new Float64Array(capacity);
	const close = new Float64Array(capacity);
	const volume = new Float64Array(capacity);

	const cursor = { pos: headerEnd + 1, line: 1 };
	let n = 0;
	let lastTs = -Infinity;
	while (cursor.pos < size) {
		cursor.line++;
		const c0 = buf[cursor.pos];
		if (c0 === LF || c0 === CR) {
			// Blank line: skip it.
			const nl = buf.indexOf(LF, cursor.pos);
			cursor.pos = nl < 0 ? size : nl + 1;
			continue;
		}
		const ts = parseField(buf, cursor, name, COMMA);
		if (!(ts > lastTs)) {
			throw new InvalidInputError(`${name}:${cursor.line}: timestamp ${ts} is not after the previous ${lastTs}`);
		}
		lastTs = ts;
		if (ts < fromMs || ts >= toMs) {
			if (ts >= toMs) break; // rows are ascending: nothing later can match
			const nl = buf.indexOf(LF, cursor.pos);
			cursor.pos = nl < 0 ? size : nl + 1;
			continue;
		}
		openTime[n] = ts;
		open[n] = parseField(buf, cursor, name, COMMA);
		high[n] = parseField(buf, cursor, name, COMMA);
		low[n] = parseField(buf, cursor, name, COMMA);
		close[n] = parseField(buf, cursor, name, COMMA);
		volume[n] = parseField(buf, cursor, name, LF);
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

/**
 * Parses one numeric field starting at `cursor.pos`, which must end with `terminator`
 * (or, for the last field, CR LF / end of buffer). Advances `cursor.pos` past the terminator.
 */
function parseField(buf: Uint8Array, cursor: { pos: number; line: number }, name: string, terminator: number): number {
	const size = buf.length;
	const start = cursor.pos;
	let p = start;
	let negative = false;
	if (buf[p] === 45 /* - */) {
		negative = true;
		p++;
	}
	let mantissa = 0;
	let digits = 0;
	let fraction = 0;
	let sawDot = false;
	let c = 0;
	for (; p < size; p++) {
		c = buf[p];
		if (c >= 48 && c <= 57) {
			mantissa = mantissa * 10 + (c - 48);
			digits++;
			if (sawDot) fraction++;
		} else if (c === 46 /* . */ && !sawDot) {
			sawDot = true;
		} else {
			break;
		}
	}
	let end = p;
	let value: number;
	const atTerminator = p >= size || c === terminator || (terminator === LF && c === CR);
	if (digits > 0 && digits <= 15 && atTerminator) {
		value = mantissa / POW10[fraction];
		if (negative) value = -value;
	} else {
		// Slow path: exponent, very long mantissa, or garbage. Let parseFloat judge the whole field.
		while (end < size && buf[end] !== terminator && buf[end] !== LF && buf[end] !== CR) end++;
		const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
		value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number.parseFloat(text) : Number.NaN;
		if (Number.isNaN(value)) {
			throw new InvalidInputError(`${name}:${cursor.line}: not a number: "${text.slice(0, 40)}"`);
		}
		p = end;
	}
	// Consume the terminator.
	if (p < size) {
		const t = buf[p];
		if (terminator === LF) {
			if (t === CR && buf[p + 1] === LF) p += 2;
			else if (t === LF) p += 1;
			else throw new InvalidInputError(`${name}:${cursor.line}: expected end of line after volume`);
		} else if (t === terminator) {
			p += 1;
		} else {
			throw new InvalidInputError(`${name}:${cursor.line}: expected "," after a number`);
		}
	} else if (terminator !== LF) {
		throw new InvalidInputError(`${name}:${cursor.line}: row ends early`);
	}
	cursor.pos = p;
	return value;
}
