/**
 * @module cli/results
 * `npm run results [-- --write] [-- --only FILE] [-- --table NAME]`: regenerates the tables of docs/results.md by
 * running the exact commands the document lists (in-process, through the same main functions as
 * `npm run backtest` / `npm run sweep`), on every candle file of the whitelist assets present in
 * ../shared/data/ohlcv. Prints the generated blocks; `--write` replaces them in docs/results.md
 * (between `<!-- results:NAME -->` and `<!-- /results:NAME -->`).
 *
 * Tables: the seed's default parameters net of costs (0.1% fee per side, 2 bps slippage), the same
 * on 1-minute bars without costs (what the fees take), the walk-forward out-of-sample record
 * with the overfitting guard of the full-sample sweep, and seed 2's alpha-threshold strategy with
 * its defaults (entry score 70; candles only, so the technical component alone: a partial score).
 * Nothing is tuned: the numbers are what the commands measure, gates failing included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BacktestJson, GatesJson } from '../report/backtestJson.js';
import type { SweepJson } from '../report/runSweepReport.js';
import { backtestMain } from './backtest.js';
import { parseCliOptions, stringOption } from './cliOptions.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';
import { sweepMain } from './sweep.js';
import { UsageError } from './UsageError.js';

export const HOURLY_FILES = ['BTCUSDT-1h.csv', 'ETHUSDT-1h.csv', 'SOLUSDT-1h.csv', 'AVAXUSDT-1h.csv', 'BNBUSDT-1h.csv', 'ARBUSDT-1h.csv', 'OPUSDT-1h.csv', 'POLUSDT-1h.csv', 'MATICUSDT-1h.csv', 'MATICUSDT-1h-2024.csv'];
export const MINUTE_FILES = ['BTCUSDT-1m-2021-04.csv', 'BTCUSDT-1m-2021-11.csv', 'BTCUSDT-1m-2023.csv', 'BTCUSDT-1m-2023-09.csv', 'BTCUSDT-1m-2024-07.csv', 'BTCUSDT-1m-2025.csv', 'BTCUSDT-1m-2025-10.csv', 'ETHUSDT-1m-2025.csv'];

const GRID = ['--lookback', '10:100:10', '--threshold', '0.5:2.75:0.25', '--ema', '50:500:50', '--stop', '0.03'];

export interface ResultSpec {
	table: 'defaults' | 'gross-1m' | 'walk-forward' | 'alpha-threshold';
	file: string;
	script: 'backtest' | 'sweep';
	args: string[];
}

const timeframeOf = (file: string) => (file.includes('-1m') ? '1m' : '1h');

/** Walk-forward windows: a year / a quarter of hourly bars; two weeks / one week of minute bars; half of that for the 8-month MATIC file. */
function walkForwardArgs(file: string): string[] {
	if (timeframeOf(file) === '1m') return ['--train', '20160', '--test', '10080'];
	if (file === 'MATICUSDT-1h-2024.csv') return ['--train', '4380', '--test', '1095'];
	return ['--train', '8760', '--test', '2190'];
}

export function resultSpecs(): ResultSpec[] {
	const all = [...HOURLY_FILES, ...MINUTE_FILES];
	return [
		...all.map((file): ResultSpec => ({ table: 'defaults', file, script: 'backtest', args: ['--csv', file, '--timeframe', timeframeOf(file)] })),
		...MINUTE_FILES.map((file): ResultSpec => ({ table: 'gross-1m', file, script: 'backtest', args: ['--csv', file, '--timeframe', '1m', '--fee', '0', '--slippage', '0'] })),
		...all.map((file): ResultSpec => ({ table: 'walk-forward', file, script: 'sweep', args: ['--csv', file, '--timeframe', timeframeOf(file), ...GRID, '--walk-forward', ...walkForwardArgs(file)] })),
		...all.map((file): ResultSpec => ({ table: 'alpha-threshold', file, script: 'backtest', args: ['--csv', file, '--timeframe', timeframeOf(file), '--strategy', 'alpha-threshold', '--entry-score', '70'] })),
	];
}

export const commandOf = (spec: ResultSpec) => `npm run ${spec.script} -- ${spec.args.join(' ')}`;

const pct = (x: unknown, digits = 2) => (typeof x === 'number' ? `${(x * 100).toFixed(digits)}%` : 'n/a');
const num = (x: unknown, digits = 2) => (typeof x === 'number' ? x.toFixed(digits) : 'n/a');
const SHORT: Record<string, string> = { trade_count: 'trades', span_years: 'span', win_rate: 'win rate', profit_factor: 'PF', max_drawdown: 'DD', sharpe_ratio: 'Sharpe' };
const gatesCell = (g: GatesJson) => (g.passed ? 'PASS' : `FAIL (${g.gates.filter((x) => !x.passed).map((x) => SHORT[x.name] ?? x.name).join(', ')})`);
const period = (from: string, to: string) => `${from.slice(0, 16).replace('T', ' ')} → ${to.slice(0, 16).replace('T', ' ')}`;

export const TABLE_HEADERS: Record<ResultSpec['table'], string> = {
	defaults: '| file | period (UTC) | bars | signals | trades | win rate | profit factor | max drawdown | Sharpe | total return | gates seed 1 | gates seed 2 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
	'gross-1m': '| file | period (UTC) | bars | signals | trades | win rate | profit factor | max drawdown | Sharpe | total return | gates seed 1 | gates seed 2 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
	'alpha-threshold': '| file | period (UTC) | bars | signals | trades | win rate | profit factor | max drawdown | Sharpe | total return | gates seed 1 | gates seed 2 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
	'walk-forward': '| file | out-of-sample period (UTC) | windows | OOS trades | win rate | profit factor | max drawdown | Sharpe | total return | gates seed 1 | full-sample best Sharpe | deflated Sharpe | PBO |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
};

function backtestRow(file: string, j: BacktestJson): string {
	const m = j.metrics;
	return `| ${file} | ${period(j.data.from, j.data.to)} | ${j.data.bars} | ${j.signal_count ?? 'n/a'} | ${j.trade_count} | ${pct(m.win_rate, 1)} | ${num(m.profit_factor)} | ${pct(m.max_drawdown_ratio)} | ${num(m.sharpe_ratio)} | ${pct(m.total_return_ratio)} | ${gatesCell(j.gates.seed1)} | ${gatesCell(j.gates.seed2)} |`;
}

function walkForwardRow(file: string, j: SweepJson): string {
	const wf = j.walk_forward as { from: string; to: string; windows: unknown[]; trade_count: number; metrics: Record<string, number | null>; gates: { seed1: GatesJson } };
	const m = wf.metrics;
	const pbo = (j.overfitting.pbo as { pbo: number } | null)?.pbo;
	return `| ${file} | ${period(wf.from, wf.to)} | ${wf.windows.length} | ${wf.trade_count} | ${pct(m.win_rate, 1)} | ${num(m.profit_factor)} | ${pct(m.max_drawdown_ratio)} | ${num(m.sharpe_ratio)} | ${pct(m.total_return_ratio)} | ${gatesCell(wf.gates.seed1)} | ${num(j.best?.full_metrics.sharpe_ratio)} | ${num(j.overfitting.deflated_sharpe_ratio, 3)} | ${num(pbo, 3)} |`;
}

/** Runs one documented command in-process and returns its table row. */
export async function resultRow(spec: ResultSpec): Promise<string> {
	const out: string[] = [];
	const io: CliIo = { stdout: { write: (s) => out.push(s) > 0 }, stderr: { write: () => true, isTTY: false } };
	await (spec.script === 'backtest' ? backtestMain : sweepMain)([...spec.args], io);
	const json = JSON.parse(out.join(''));
	return spec.table === 'walk-forward' ? walkForwardRow(spec.file, json) : backtestRow(spec.file, json);
}

/** The generated block of one table: header, rows, and the commands that produced them. */
export async function resultBlock(table: ResultSpec['table'], onRow?: (file: string) => void): Promise<string> {
	const specs = resultSpecs().filter((s) => s.table === table);
	const rows: string[] = [];
	for (const spec of specs) {
		onRow?.(spec.file);
		rows.push(await resultRow(spec));
	}
	return `${TABLE_HEADERS[table]}\n${rows.join('\n')}\n\nCommands (one per row, from the repository root or any folder of it but \`math-service/\`; add \`--out FILE\` to keep the JSON):\n\n\`\`\`sh\n${specs.map(commandOf).join('\n')}\n\`\`\``;
}

export const RESULTS_DOC = resolve(fileURLToPath(import.meta.url), '../../../../docs/results.md');
const TABLES: ResultSpec['table'][] = ['defaults', 'gross-1m', 'walk-forward', 'alpha-threshold'];

/** The text between the markers of `table` in `doc` (without the markers). */
export function blockIn(doc: string, table: string): string | null {
	const start = `<!-- results:${table} -->\n`;
	const end = `\n<!-- /results:${table} -->`;
	const a = doc.indexOf(start);
	const b = doc.indexOf(end);
	return a < 0 || b < a ? null : doc.slice(a + start.length, b);
}

export async function resultsMain(argv: string[], io: CliIo): Promise<void> {
	const v = parseCliOptions(argv, { write: { type: 'boolean' }, only: { type: 'string' }, table: { type: 'string' }, help: { type: 'boolean' } });
	const only = stringOption(v, 'only');
	const table = stringOption(v, 'table');
	if (table !== undefined && !TABLES.includes(table as ResultSpec['table'])) throw new UsageError(`--table must be one of ${TABLES.join(', ')}, not "${table}"`);
	const tables = table === undefined ? TABLES : [table as ResultSpec['table']];
	if (only !== undefined) {
		for (const spec of resultSpecs().filter((s) => s.file === only && tables.includes(s.table))) io.stdout.write(`${spec.table}: ${await resultRow(spec)}\n`);
		return;
	}
	let doc = v.write === true ? readFileSync(RESULTS_DOC, 'utf8') : '';
	for (const table of tables) {
		const block = await resultBlock(table, (file) => io.stderr.write(`${table}: ${file}\n`));
		io.stdout.write(`<!-- results:${table} -->\n${block}\n<!-- /results:${table} -->\n\n`);
		if (v.write === true) {
			const old = blockIn(doc, table);
			if (old === null) throw new Error(`docs/results.md has no <!-- results:${table} --> block`);
			doc = doc.replace(old, block);
		}
	}
	if (v.write === true) writeFileSync(RESULTS_DOC, doc);
}

if (isMainModule(import.meta.url, 'results')) runAsScript(resultsMain, 'usage: npm run results [-- --write] [-- --only FILE] [-- --table defaults|gross-1m|walk-forward|alpha-threshold]');
