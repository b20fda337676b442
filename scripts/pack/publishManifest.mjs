#!/usr/bin/env node
// The package.json users install differs from the one we develop with in three fields only:
//   overrides   pins for the development install (n8n-core's xlsx, vitest's rollup); n8n installs a
//               community package into its own dependency tree, where overrides do nothing, and n8n's
//               community-package scanner refuses the field
//   workspaces  the math service is a workspace of the repository, not part of the node package
//   allowScripts npm's install-script approvals for our own development dependencies
// `npm pack`/`npm publish` run `prepack` (write the published manifest, keeping the development one
// beside it) and `postpack` (put the development one back). A backup left by an interrupted pack is
// restored before anything else, so package.json is never lost.
//
// CLI: `node scripts/pack/publishManifest.mjs write|restore`
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEVELOPMENT_ONLY_FIELDS = ['overrides', 'workspaces', 'allowScripts'];
const BACKUP = 'package.development.json';

/** The manifest as published: the development manifest without its development-only fields. */
export function publishManifest(pkg) {
	const published = { ...pkg };
	for (const field of DEVELOPMENT_ONLY_FIELDS) delete published[field];
	return published;
}

/** Puts the development manifest back if a pack left it aside; returns whether it did. */
export function restoreDevelopmentManifest(root = ROOT) {
	const backup = join(root, BACKUP);
	if (!existsSync(backup)) return false;
	renameSync(backup, join(root, 'package.json'));
	return true;
}

/** Sets the development manifest aside and writes the published one in its place. */
export function writePublishManifest(root = ROOT) {
	restoreDevelopmentManifest(root);
	const path = join(root, 'package.json');
	const text = readFileSync(path, 'utf8');
	writeFileSync(join(root, BACKUP), text);
	writeFileSync(path, `${JSON.stringify(publishManifest(JSON.parse(text)), null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const command = process.argv[2];
	if (command === 'write') writePublishManifest();
	else if (command === 'restore') restoreDevelopmentManifest();
	else {
		console.error('usage: publishManifest.mjs write|restore');
		process.exit(2);
	}
}
