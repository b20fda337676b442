#!/usr/bin/env node
// `npm run scan`: the checks of n8n's community-package scanner (@n8n/scan-community-package, the
// gate n8n applies before a community node can be verified) on THIS build, without publishing.
//
// The scanner's CLI only takes a published package name: it downloads the tarball from the npm
// registry, requires an npm provenance attestation and fetches the attested GitHub source. None of
// that exists for an unpublished build, so this script runs the scanner's own library entry,
// `analyzePackage(dir, patterns)`, with the scanner's rule set (`buildScanConfig`), on:
//   1. the source, with the scanner's `SOURCE_FILE_PATTERNS` (package.json, nodes/ and credentials/),
//      package.json as published (scripts/pack/publishManifest.mjs: without the development-only
//      `overrides`, `workspaces` and `allowScripts`);
//   2. the tarball `npm pack` makes of this package (what users install), compiled `.js` and
//      package.json, as the scanner does with a downloaded tarball.
// Not checked here (they need a published version): the provenance attestation and the
// source-vs-attestation match. Offline it works once the scanner is installed in the cache.
//
// The scanner is installed once per machine from the npm registry into
//   ${HFQ_CACHE_DIR:-$HOME/.cache/highfreqquant}/scan-community-package-<version>/
// (with --ignore-scripts: one of its dependencies refuses npm in a preinstall script), not into the
// project, so it never changes package-lock.json. Exit code 0 = both checks passed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { publishManifest } from '../pack/publishManifest.mjs';

export const SCANNER_VERSION = '0.32.0';
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MARKER = '.hfq-installed';

export function scannerDir(env = process.env) {
	const cache = env.HFQ_CACHE_DIR || join(homedir(), '.cache', 'highfreqquant');
	return join(cache, `scan-community-package-${SCANNER_VERSION}`);
}

/** Installs the scanner once (npm registry); returns the path of its scanner module. */
export function ensureScanner(log = (line) => console.log(line)) {
	const dir = scannerDir();
	const entry = join(dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
	if (existsSync(join(dir, MARKER)) && existsSync(entry)) return entry;
	log(`installing @n8n/scan-community-package@${SCANNER_VERSION} into ${dir} (one time) …`);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'hfq-scan-community-package', private: true }, null, 2)}\n`);
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `@n8n/scan-community-package@${SCANNER_VERSION}`], {
		cwd: dir,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	if (!existsSync(entry)) throw new Error(`the scanner did not install: ${entry} is missing`);
	writeFileSync(join(dir, MARKER), `${SCANNER_VERSION}\n`);
	return entry;
}

/** `npm pack` of the package at `root`, unpacked into a temporary folder; returns that folder. */
export function packAndUnpack(root = ROOT) {
	const work = mkdtempSync(join(tmpdir(), 'hfq-scan-'));
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack produced no tarball');
	const unpacked = join(work, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
	return { dir: unpacked, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/**
 * nodes/, credentials/ and the published package.json of `root`, staged in a temporary folder (whose
 * path has no dot-folder: the scanner's file-name rules misread one such as `.cache/`).
 */
export function stageSource(root = ROOT) {
	const work = mkdtempSync(join(tmpdir(), 'hfq-scan-source-'));
	for (const dir of ['nodes', 'credentials']) cpSync(join(root, dir), join(work, dir), { recursive: true });
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	writeFileSync(join(work, 'package.json'), `${JSON.stringify(publishManifest(pkg), null, 2)}\n`);
	return { dir: work, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/**
 * Runs the scanner's checks on the source at `root` and on its packed tarball.
 * @returns {Promise<{ passed: boolean, source: object, tarball: object }>}
 */
export async function scanPackage(root = ROOT, log = (line) => console.log(line)) {
	const scanner = await import(pathToFileURL(ensureScanner(log)).href);
	if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const staged = stageSource(root);
	let source;
	try {
		source = await scanner.analyzePackage(staged.dir, scanner.SOURCE_FILE_PATTERNS);
	} finally {
		staged.cleanup();
	}
	const packed = packAndUnpack(root);
	try {
		const tarball = await scanner.analyzePackage(packed.dir, ['**/*.js', 'package.json']);
		return { passed: source.passed && tarball.passed, source, tarball };
	} finally {
		packed.cleanup();
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const result = await scanPackage();
	for (const [name, r] of [['source (nodes/, credentials/, package.json)', result.source], ['npm pack tarball (dist/*.js, package.json)', result.tarball]]) {
		console.log(`${r.passed ? '✅' : '❌'} ${name}${r.message ? `: ${r.message}` : ''}`);
		if (r.details) console.log(r.details);
	}
	console.log('Not checked without publishing: npm provenance attestation and its source match.');
	process.exit(result.passed ? 0 : 1);
}
