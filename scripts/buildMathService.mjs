// `npm run build:service`: the math service and its CLIs as compiled JavaScript. esbuild bundles
// each entry (src/main.ts, src/cli/*.ts) with the pure-JS dependencies (hono, zod, kysely, …) into
// math-service/dist/<entry>.js (ES modules, as math-service/package.json says "type": "module"), so
// a start parses one file instead of compiling TypeScript (tsx) or resolving hundreds of modules.
// Kept external, loaded from node_modules at run time: native addons (better-sqlite3), what is
// loaded only on some paths (mysql2 for mysql:// URLs, ccxt for the candle crawler, ollama for the
// LLM note), pino (its transports run in worker threads by file name) and lightweight-charts (the
// HTML report reads its standalone file). The bundles keep `import.meta.url` pointing at
// math-service/dist/…, two levels below math-service/ like src/<folder>/, so relative paths that
// code derives from its own file (docs/results.md, ../shared/data/ohlcv) stay the same.
//
// `node scripts/buildMathService.mjs` builds; `staleReason()`/`buildIfStale()` are what `npm start`
// and the npm scripts use (scripts/runMathService.mjs) to rebuild when a source is newer.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serviceDir = join(root, 'math-service');
export const DIST_DIR = join(serviceDir, 'dist');

/** Entry name (path under dist/, without .js) → source file under math-service/src. */
export const ENTRIES = {
	main: 'src/main.ts',
	'cli/backtest': 'src/cli/backtest.ts',
	'cli/sweep': 'src/cli/sweep.ts',
	'cli/importCandles': 'src/cli/importCandles.ts',
	'cli/backfill': 'src/cli/backfill.ts',
	'cli/results': 'src/cli/results.ts',
	'cli/watchdog': 'src/cli/watchdog.ts',
	'cli/sweepWallet': 'src/cli/sweepWallet.ts',
};

export const EXTERNAL = ['better-sqlite3', 'mysql2', 'mysql2/*', 'ccxt', 'ollama', 'pino', 'pino/*', 'lightweight-charts', 'ioredis'];

// CommonJS dependencies inside an ES module bundle call require() for Node built-ins; esbuild's
// ESM output has no require, so each bundle gets one (under a name no source file uses).
const BANNER = "import { createRequire as __hfqCreateRequire } from 'node:module'; const require = __hfqCreateRequire(import.meta.url);";

function newestMtime(dir, test) {
	let newest = 0;
	if (!existsSync(dir)) return newest;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, test));
		else if (test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

const isSource = (name) => /\.(ts|json)$/.test(name) && !name.endsWith('.test.ts');

/** Why math-service/dist must be rebuilt, or null when every bundle is newer than every source. */
export function staleReason() {
	const outputs = Object.keys(ENTRIES).map((name) => join(DIST_DIR, `${name}.js`));
	const missing = outputs.filter((file) => !existsSync(file));
	if (missing.length > 0) return `math-service/dist lacks ${missing.map((f) => f.slice(DIST_DIR.length + 1)).join(', ')}`;
	const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
	const source = Math.max(
		newestMtime(join(serviceDir, 'src'), isSource),
		statSync(join(serviceDir, 'package.json')).mtimeMs,
		statSync(fileURLToPath(import.meta.url)).mtimeMs,
	);
	return source > built ? 'sources changed since the last build' : null;
}

/** Writes every bundle to math-service/dist (the old dist/ is removed first). */
export async function buildMathService() {
	const esbuild = await import('esbuild');
	rmSync(DIST_DIR, { recursive: true, force: true });
	await esbuild.build({
		absWorkingDir: serviceDir,
		entryPoints: Object.entries(ENTRIES).map(([out, input]) => ({ out, in: input })),
		outdir: DIST_DIR,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		external: EXTERNAL,
		banner: { js: BANNER },
		sourcemap: 'linked',
		legalComments: 'none',
		logLevel: 'warning',
	});
}

/** Builds when stale; returns what it did (for a log line). */
export async function buildIfStale(log = () => {}) {
	const reason = staleReason();
	if (reason === null) return 'up to date';
	log(`Building the math service (${reason}) …`);
	await buildMathService();
	return `built (${reason})`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	// No top-level await: the benchmarks import this module through tsx, which loads it as CommonJS.
	const started = Date.now();
	buildMathService().then(
		() => console.log(`math-service/dist built in ${Date.now() - started} ms (${Object.keys(ENTRIES).map((n) => `${n}.js`).join(', ')})`),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
