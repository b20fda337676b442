/**
 * @module cli/resolveCsvPath
 * Where `--csv FILE` points. `npm run backtest` runs the script from the repository root, so a
 * relative path is resolved against the directory the user ran npm from (npm's `INIT_CWD`); a bare
 * file name that is not there is looked up in the shared candle directory (`ohlcvDir()`), so
 * `--csv BTCUSDT-1h.csv` works from anywhere in a clean clone.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { ohlcvDir } from '../data/readOhlcvCsv.js';
import { UsageError } from './UsageError.js';

export interface CsvLookup {
	/** Directory relative paths are resolved against (default: INIT_CWD, else the process cwd). */
	initCwd?: string;
	/** The shared candle directory (default: ohlcvDir()). */
	dataDir?: string;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/** The absolute path of an existing CSV file; UsageError (with the places tried) otherwise. */
export function resolveCsvPath(arg: string, lookup: CsvLookup = {}): string {
	const base = lookup.initCwd ?? process.env.INIT_CWD ?? process.cwd();
	const tried: string[] = [];
	const first = isAbsolute(arg) ? arg : resolve(base, arg);
	tried.push(first);
	if (isFile(first)) return first;
	if (!isAbsolute(arg) && basename(arg) === arg) {
		const shared = resolve(lookup.dataDir ?? ohlcvDir(), arg);
		tried.push(shared);
		if (isFile(shared)) return shared;
	}
	throw new UsageError(`--csv ${arg}: file not found (looked at ${tried.join(' and ')})`);
}
