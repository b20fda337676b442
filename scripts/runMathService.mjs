// Runs one compiled entry of the math service in this process: `node scripts/runMathService.mjs
// <entry> [args…]`, entry = main | cli/backtest | cli/sweep | cli/importCandles | cli/results | cli/watchdog | cli/sweepWallet (see
// buildMathService.mjs). The npm scripts (`npm run service`, `backtest`, `sweep`, …) go through it
// so a fresh clone or an edited source is bundled first (a stat of the sources, a few ms, when up
// to date); production runs the bundle directly (`node math-service/dist/main.js`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, DIST_DIR, ENTRIES } from './buildMathService.mjs';

const entry = process.argv[2];
if (entry === undefined || !(entry in ENTRIES)) {
	console.error(`usage: node scripts/runMathService.mjs <${Object.keys(ENTRIES).join('|')}> [args…]`);
	process.exit(2);
}
await buildIfStale((line) => console.error(line));
const bundle = join(DIST_DIR, `${entry}.js`);
// The entry sees the argv it would see when started as `node math-service/dist/<entry>.js args…`
// (the CLIs check process.argv[1] to know they are the main module).
process.argv.splice(1, 2, bundle);
await import(pathToFileURL(bundle).href);
