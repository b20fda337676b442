// Installs our community package into an n8n user folder the way a user's n8n has it after
// "Settings → Community nodes → Install" or `npm install n8n-nodes-highfreqquant` in ~/.n8n/nodes:
//
//   <userFolder>/.n8n/nodes/package.json                      lists it under "dependencies"
//   <userFolder>/.n8n/nodes/node_modules/n8n-nodes-highfreqquant/   the packed package (package.json + dist)
//
// We `npm pack` the repository root (so exactly the published "files" land there) and unpack the
// tarball (`--ignore-scripts`: several test files pack at once, so the package.json swap of prepack
// is done here on the unpacked copy instead, giving the manifest users install). n8n then loads every `n8n-nodes-*` folder under that node_modules when
// N8N_COMMUNITY_PACKAGES_ENABLED is true; node types are `<package name>.<node name>`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishManifest } from '../pack/publishManifest.mjs';

function packInto(packageRoot, dest) {
	const packDir = mkdtempSync(join(tmpdir(), 'hfq-pack-'));
	try {
		const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: packageRoot,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
		rmSync(dest, { recursive: true, force: true });
		mkdirSync(dest, { recursive: true });
		execFileSync('tar', ['-xzf', join(packDir, filename), '-C', dest, '--strip-components=1']);
		const unpacked = join(dest, 'package.json');
		writeFileSync(unpacked, `${JSON.stringify(publishManifest(JSON.parse(readFileSync(unpacked, 'utf8'))), null, 2)}\n`);
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Packs `packageRoot` and installs it into `<userFolder>/.n8n/nodes`.
 * Throws when a file named in the package's "n8n" manifest is missing (run `npm run build`).
 * @param {{ userFolder: string, packageRoot?: string }} opts
 * @returns {{ name: string, version: string, dir: string, nodeFiles: string[], credentialFiles: string[] }}
 */
export function installPackage({ userFolder, packageRoot = REPO_ROOT }) {
	const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
	const manifest = pkg.n8n ?? {};
	const nodeFiles = manifest.nodes ?? [];
	const credentialFiles = manifest.credentials ?? [];
	for (let attempt = 1; ; attempt++) {
		const missing = [...nodeFiles, ...credentialFiles].filter((file) => !existsSync(join(packageRoot, file)));
		if (missing.length === 0) break;
		if (attempt >= 5) throw new Error(`${pkg.name}: files in the "n8n" manifest are missing (run \`npm run build\`): ${missing.join(', ')}`);
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000); // maybe a build in progress
	}

	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const dest = join(nodesDir, 'node_modules', pkg.name);
	// dist/ is shared with whoever runs `npm run build` (it deletes dist first): a pack taken during
	// a rebuild misses files, so check the unpacked manifest and pack again.
	for (let attempt = 1; ; attempt++) {
		packInto(packageRoot, dest);
		const lost = [...nodeFiles, ...credentialFiles].filter((file) => !existsSync(join(dest, file)));
		if (lost.length === 0) break;
		if (attempt >= 10) throw new Error(`${pkg.name}: the packed package lacks ${lost.join(', ')} (is dist/ being rebuilt?)`);
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
	}

	const listPath = join(nodesDir, 'package.json');
	const list = existsSync(listPath)
		? JSON.parse(readFileSync(listPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies = { ...list.dependencies, [pkg.name]: pkg.version };
	writeFileSync(listPath, `${JSON.stringify(list, null, 2)}\n`);
	return { name: pkg.name, version: pkg.version, dir: dest, nodeFiles, credentialFiles };
}
