import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCsvPath } from './resolveCsvPath.js';
import { UsageError } from './UsageError.js';

const root = mkdtempSync(join(tmpdir(), 'hfq-csv-'));
const userDir = join(root, 'user');
const dataDir = join(root, 'ohlcv');
mkdirSync(join(userDir, 'sub'), { recursive: true });
mkdirSync(dataDir);
writeFileSync(join(userDir, 'sub', 'mine.csv'), 'x');
writeFileSync(join(userDir, 'both.csv'), 'x');
writeFileSync(join(dataDir, 'both.csv'), 'x');
writeFileSync(join(dataDir, 'BTCUSDT-1h.csv'), 'x');

describe('resolveCsvPath', () => {
	it('resolves a relative path against the directory npm was run from (INIT_CWD)', () => {
		expect(resolveCsvPath('sub/mine.csv', { initCwd: userDir, dataDir })).toBe(join(userDir, 'sub', 'mine.csv'));
	});

	it('finds a bare file name in the shared OHLCV directory when it is not in INIT_CWD', () => {
		expect(resolveCsvPath('BTCUSDT-1h.csv', { initCwd: userDir, dataDir })).toBe(join(dataDir, 'BTCUSDT-1h.csv'));
	});

	it('prefers the file in INIT_CWD over the shared directory', () => {
		expect(resolveCsvPath('both.csv', { initCwd: userDir, dataDir })).toBe(join(userDir, 'both.csv'));
	});

	it('keeps an absolute path', () => {
		expect(resolveCsvPath(join(dataDir, 'both.csv'), { initCwd: userDir, dataDir })).toBe(join(dataDir, 'both.csv'));
	});

	it('throws a UsageError listing the places it looked', () => {
		expect(() => resolveCsvPath('nope.csv', { initCwd: userDir, dataDir })).toThrow(UsageError);
		expect(() => resolveCsvPath('nope.csv', { initCwd: userDir, dataDir })).toThrow(dataDir);
		expect(() => resolveCsvPath('sub/nope.csv', { initCwd: userDir, dataDir })).toThrow(/not found/);
	});
});
