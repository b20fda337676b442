import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { ohlcvDir, parseOhlcvCsv, readOhlcvCsv } from './readOhlcvCsv.js';
import { FIXTURE_OHLCV_DIR, skipWithoutFullOhlcv } from './realCandles.test-helper.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const HEADER = 'timestamp,open,high,low,close,volume\n';

describe('ohlcvDir', () => {
	it('defaults to ../shared/data/ohlcv beside the repo, whatever the working directory', () => {
		const previous = process.env.HFQ_OHLCV_DIR;
		delete process.env.HFQ_OHLCV_DIR;
		const cwd = process.cwd();
		try {
			process.chdir(import.meta.dirname);
			expect(ohlcvDir()).toBe(resolve(import.meta.dirname, '../../../..', 'shared', 'data', 'ohlcv'));
		} finally {
			process.chdir(cwd);
			if (previous !== undefined) process.env.HFQ_OHLCV_DIR = previous;
		}
	});

	it('honours HFQ_OHLCV_DIR', () => {
		const previous = process.env.HFQ_OHLCV_DIR;
		process.env.HFQ_OHLCV_DIR = '/tmp/some-candles';
		try {
			expect(ohlcvDir()).toBe('/tmp/some-candles');
		} finally {
			if (previous === undefined) delete process.env.HFQ_OHLCV_DIR;
			else process.env.HFQ_OHLCV_DIR = previous;
		}
	});
});

describe('parseOhlcvCsv', () => {
	it('parses rows into columns, with CRLF, a missing final newline and blank lines', () => {
		const c = parseOhlcvCsv(bytes(`${HEADER}1000,1.5,2,0.25,1.75,10\r\n\n2000,1.75,3.125,1,3,0\n3000,3,3,3,3,0.000001`));
		expect(c.length).toBe(3);
		expect(Array.from(c.openTime)).toEqual([1000, 2000, 3000]);
		expect(Array.from(c.open)).toEqual([1.5, 1.75, 3]);
		expect(Array.from(c.high)).toEqual([2, 3.125, 3]);
		expect(Array.from(c.low)).toEqual([0.25, 1, 3]);
		expect(Array.from(c.close)).toEqual([1.75, 3, 3]);
		expect(Array.from(c.volume)).toEqual([10, 0, 0.000001]);
	});

	it('parses exponents and very long mantissas like parseFloat', () => {
		const c = parseOhlcvCsv(bytes(`${HEADER}1,1e-5,0.12345678901234567890,1.5E2,2,3\n`));
		expect(c.open[0]).toBe(1e-5);
		expect(c.high[0]).toBe(Number.parseFloat('0.12345678901234567890'));
		expect(c.low[0]).toBe(150);
	});

	it('grows its columns when the first rows are longer than the rest (capacity estimate too small)', () => {
		const long = Array.from({ length: 64 }, (_, i) => `${i},12345.123456789,12345.123456789,12345.123456789,12345.123456789,12345.123456789`);
		const short = Array.from({ length: 2000 }, (_, i) => `${64 + i},1,2,0.5,1,${i}`);
		const c = parseOhlcvCsv(bytes(`${HEADER}${[...long, ...short].join('\n')}\n`));
		expect(c.length).toBe(2064);
		expect(c.openTime.length).toBe(2064);
		expect(c.open[63]).toBe(12345.123456789);
		expect(c.volume[2063]).toBe(1999);
		expect(c.openTime[2063]).toBe(2063);
	});

	it('parses negative numbers', () => {
		expect(parseOhlcvCsv(bytes(`${HEADER}1,-1.25,2,-3,4,5\n`)).low[0]).toBe(-3);
	});

	it('keeps only bars with fromMs <= openTime < toMs', () => {
		const c = parseOhlcvCsv(bytes(`${HEADER}1000,1,1,1,1,1\n2000,2,2,2,2,2\n3000,3,3,3,3,3\n4000,4,4,4,4,4\n`), 'x', {
			fromMs: 2000,
			toMs: 4000,
		});
		expect(Array.from(c.openTime)).toEqual([2000, 3000]);
		expect(Array.from(c.close)).toEqual([2, 3]);
	});

	it('rejects a wrong header', () => {
		expect(() => parseOhlcvCsv(bytes('date,open,high,low,close,volume\n1,1,1,1,1,1\n'))).toThrow(InvalidInputError);
	});

	it('rejects a malformed number with its line', () => {
		expect(() => parseOhlcvCsv(bytes(`${HEADER}1,1,1,1,1,1\n2,1,abc,1,1,1\n`), 'f.csv')).toThrow(/f\.csv:3: not a number/);
	});

	it('rejects a short row', () => {
		expect(() => parseOhlcvCsv(bytes(`${HEADER}1,1,1,1,1\n`))).toThrow(InvalidInputError);
	});

	it('rejects timestamps that are not strictly increasing', () => {
		expect(() => parseOhlcvCsv(bytes(`${HEADER}2,1,1,1,1,1\n2,1,1,1,1,1\n`))).toThrow(/not after/);
	});
});

describe('readOhlcvCsv on the real candle files', () => {
	it.for([
		['the committed slice of BTCUSDT-1h.csv', join(FIXTURE_OHLCV_DIR, 'BTCUSDT-1h.csv'), 31735, false], // slices.json row count
		['the whole BTCUSDT-1h.csv', join(ohlcvDir(), 'BTCUSDT-1h.csv'), 74464, true], // PROVENANCE.md row count
	] as const)('reads %s bit-identically to a naive split + parseFloat reader', ([, path, rows, full], ctx) => {
		if (full) skipWithoutFullOhlcv(ctx);
		const c = readOhlcvCsv(path);
		const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
		expect(c.length).toBe(lines.length);
		expect(c.length).toBe(rows);
		let mismatches = 0;
		for (let i = 0; i < lines.length; i++) {
			const f = lines[i].split(',').map(Number.parseFloat);
			if (
				c.openTime[i] !== f[0] ||
				c.open[i] !== f[1] ||
				c.high[i] !== f[2] ||
				c.low[i] !== f[3] ||
				c.close[i] !== f[4] ||
				c.volume[i] !== f[5]
			)
				mismatches++;
		}
		expect(mismatches).toBe(0);
		expect(c.openTime[0]).toBe(Date.UTC(2017, 7, 17, 4));
	});

	it('reads a time range of the 1m file including the zero-volume minutes of 2023-03-24', () => {
		const from = Date.UTC(2023, 2, 24, 11, 0);
		const to = Date.UTC(2023, 2, 24, 13, 0);
		const c = readOhlcvCsv(join(FIXTURE_OHLCV_DIR, 'BTCUSDT-1m-2023.csv'), { fromMs: from, toMs: to });
		expect(c.openTime[0]).toBe(from);
		expect(c.openTime[c.length - 1]).toBeLessThan(to);
		let zeroVolume = 0;
		for (let i = 0; i < c.length; i++) if (c.volume[i] === 0) zeroVolume++;
		expect(zeroVolume).toBe(72); // PROVENANCE.md: 72 zero-volume minutes 11:28-12:38
	});
});
