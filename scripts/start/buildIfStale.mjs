// `npm start` step 1: the n8n package is loaded from dist/ (compiled nodes and credentials). Build
// it when dist/ is missing, lacks a file of the package.json "n8n" manifest, or is older than any
// source file under nodes/ or credentials/ (or tsconfig/package.json), so a fresh clone and a
// changed node both start with what the source says.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = /\.(ts|svg|png|json)$/;

function newestMtime(dir, test = () => true) {
	let newest = 0;
	if (!existsSync(dir)) return newest;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, test));
		else if (test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

/** Why dist/ must be rebuilt, or null when it is up to date. */
export function staleReason(root) {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const manifest = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = manifest.filter((file) => !existsSync(join(root, file)));
	if (missing.length > 0) return `dist/ lacks ${missing.join(', ')}`;
	const built = Math.min(...manifest.map((file) => statSync(join(root, file)).mtimeMs));
	const source = Math.max(
		newestMtime(join(root, 'nodes'), (name) => SOURCE.test(name) && !name.endsWith('.test.ts')),
		newestMtime(join(root, 'credentials'), (name) => SOURCE.test(name) && !name.endsWith('.test.ts')),
		statSync(join(root, 'tsconfig.build.json')).mtimeMs,
	);
	return source > built ? 'sources changed since the last build' : null;
}

/** Builds dist/ when stale; returns what it did (for the start-up log). */
export function buildIfStale(root, log) {
	const reason = staleReason(root);
	if (reason === null) return 'up to date';
	log(`Building the n8n nodes (${reason}) …`);
	execFileSync(process.execPath, [join(root, 'scripts', 'build-nodes.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
	return `built (${reason})`;
}
