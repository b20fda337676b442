// Builds the n8n community package: compiles nodes/ and credentials/ to dist/ (CommonJS, as n8n
// loads them) and copies each node's codex (.node.json) and icons beside the compiled file.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
	stdio: 'inherit',
});

const ASSET = /\.(svg|png|node\.json)$/;
function copyAssets(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) copyAssets(path);
		else if (ASSET.test(name)) cpSync(path, join(root, 'dist', relative(root, path)));
	}
}
for (const top of ['nodes', 'credentials']) copyAssets(join(root, top));
