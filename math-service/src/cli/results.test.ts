/**
 * docs/results.md is reproducible: documented commands, taken verbatim from the document's command
 * blocks and run through the CLIs' main functions, print exactly the committed table rows. One
 * hourly and one minute row of the default-parameter table and one walk-forward row are re-run
 * (the whole document: `npm run results`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { skipWithoutFullOhlcv } from '../data/realCandles.test-helper.js';
import { blockIn, commandOf, resultRow, resultSpecs, RESULTS_DOC, type ResultSpec } from './results.js';

const doc = readFileSync(RESULTS_DOC, 'utf8');

/** The documented command for `file` in `table`, parsed back into a spec. */
function documentedSpec(table: ResultSpec['table'], file: string): ResultSpec {
	const block = blockIn(doc, table);
	expect(block, `docs/results.md has a ${table} block`).not.toBeNull();
	const line = block!.split('\n').find((l) => l.startsWith('npm run ') && l.includes(`--csv ${file} `));
	expect(line, `a command for ${file}`).toBeDefined();
	const m = /^npm run (backtest|sweep) -- (.*)$/.exec(line!)!;
	return { table, file, script: m[1] as ResultSpec['script'], args: m[2].split(' ') };
}

function committedRow(table: string, file: string): string {
	return blockIn(doc, table)!.split('\n').find((l) => l.startsWith(`| ${file} |`))!;
}

describe('docs/results.md', () => {
	it('lists exactly the commands npm run results runs', () => {
		for (const spec of resultSpecs()) expect(blockIn(doc, spec.table)).toContain(`\n${commandOf(spec)}\n`);
	});

	// The documented rows are measured on the whole candle files (not the committed slices).
	it.for<[ResultSpec['table'], string]>([
		['defaults', 'BTCUSDT-1h.csv'],
		['defaults', 'BTCUSDT-1m-2025-10.csv'],
		['gross-1m', 'BTCUSDT-1m-2025-10.csv'],
		['walk-forward', 'POLUSDT-1h.csv'],
		['alpha-threshold', 'BTCUSDT-1h.csv'],
		['alpha-threshold', 'BTCUSDT-1m-2025-10.csv'],
	])('%s row of %s is what its documented command prints', { timeout: 120_000 }, async ([table, file], ctx) => {
		skipWithoutFullOhlcv(ctx);
		const row = await resultRow(documentedSpec(table, file));
		expect(row).toBe(committedRow(table, file));
	});

	it('says plainly that the alpha-threshold rows measure the technical component alone', () => {
		const section = doc.slice(doc.indexOf("## 3. Seed 2's alpha-threshold strategy"));
		expect(section).toMatch(/\*\*These rows measure the technical component alone\.\*\*/);
		expect(section).toContain('no Glassnode');
		expect(section).toContain('CryptoPanic history');
	});

	it('records the measured finding: the seed defaults never signal on BTC and ETH hourly bars', () => {
		for (const file of ['BTCUSDT-1h.csv', 'ETHUSDT-1h.csv']) {
			const cells = committedRow('defaults', file).split('|').map((c) => c.trim());
			expect(cells[4], `${file} signals`).toBe('0');
			expect(cells[5], `${file} trades`).toBe('0');
		}
	});
});
