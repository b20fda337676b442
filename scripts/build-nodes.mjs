// Builds the n8n community package: compiles nodes/ and credentials/ to dist/ (CommonJS, as n8n
// loads them) and copies each node's codex (.node.json) and icons beside the compiled file.
// `--out-dir DIR` builds elsewhere (tests load a private build with n8n's own package loader).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out-dir');
const outDir = outFlag === -1 ? join(root, 'dist') : resolve(process.argv[outFlag + 1] ?? '');
if (outFlag !== -1 && !process.argv[outFlag + 1]) throw new Error('--out-dir needs a directory');

rmSync(outDir, { recursive: true, force: true });
execFileSync(
	process.execPath,
	[join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir],
	{ stdio: 'inherit' },
);

const ASSET = /\.(svg|png|node\.json)$/;
function copyAssets(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) copyAssets(path);
		else if (ASSET.test(name)) cpSync(path, join(outDir, relative(root, path)));
	}
}
for (const top of ['nodes', 'credentials']) copyAssets(join(root, top));
