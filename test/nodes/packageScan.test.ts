/**
 * What users install passes n8n's community-package scanner: the published package.json (without
 * the development-only `overrides`, `workspaces`, `allowScripts`) and the packed tarball, checked
 * with the scanner's own library and rule set (scripts/scan/scanPackage.mjs). The same scanner run
 * on the development manifest fails, so the check is real. Needs `npm run build` (the test command
 * builds first) and the npm registry once per machine for the scanner.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

// @ts-expect-error -- plain ESM script without types
import { DEVELOPMENT_ONLY_FIELDS, publishManifest, restoreDevelopmentManifest, writePublishManifest } from '../../scripts/pack/publishManifest.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const developmentText = readFileSync(join(root, 'package.json'), 'utf8');
const developmentManifest = JSON.parse(developmentText);
const temp = mkdtempSync(join(tmpdir(), 'hfq-manifest-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('published manifest', () => {
	it('drops only the development-only fields', () => {
		const published = publishManifest(developmentManifest);
		for (const field of DEVELOPMENT_ONLY_FIELDS) expect(published).not.toHaveProperty(field);
		expect(developmentManifest).toHaveProperty('overrides'); // the input is not mutated
		const kept = Object.keys(developmentManifest).filter((key) => !DEVELOPMENT_ONLY_FIELDS.includes(key));
		expect(Object.keys(published)).toEqual(kept);
		expect(published.n8n).toEqual(developmentManifest.n8n);
		expect(published.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
	});

	it('prepack/postpack round-trip leaves package.json byte for byte, also after an interrupted pack', () => {
		const original = readFileSync(join(root, 'package.json'), 'utf8');
		copyFileSync(join(root, 'package.json'), join(temp, 'package.json'));
		writePublishManifest(temp);
		expect(JSON.parse(readFileSync(join(temp, 'package.json'), 'utf8'))).not.toHaveProperty('overrides');
		writePublishManifest(temp); // a second prepack without postpack (interrupted pack) keeps the original aside
		expect(restoreDevelopmentManifest(temp)).toBe(true);
		expect(readFileSync(join(temp, 'package.json'), 'utf8')).toBe(original);
		expect(restoreDevelopmentManifest(temp)).toBe(false);
	});
});

// The scanner runs in its own node process, as `npm run scan` runs it, without vitest's
// NODE_ENV=test: under it eslint-plugin-n8n-nodes-base replaces every file name with its own test stub.
function runNode(script: string): { status: number | null; output: string; result: unknown } {
	const env = { ...process.env };
	delete env.NODE_ENV;
	const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8', timeout: 600_000 });
	const output = `${run.stdout}${run.stderr}`;
	// The script's answer is its last JSON line on stdout (npm may warn on stderr, e.g. EBADENGINE).
	const line = run.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
	if (line === undefined) throw new Error(`the scanner printed no result (exit ${run.status}):\n${output.slice(-4000)}`);
	return { status: run.status, output, result: JSON.parse(line) };
}

describe('n8n community-package scanner', () => {
	it('passes on the source as published and on the npm pack tarball (npm run scan)', () => {
		const { status, result } = runNode(`
			import { scanPackage } from './scripts/scan/scanPackage.mjs';
			const r = await scanPackage();
			console.log(JSON.stringify({ passed: r.passed, source: r.source.details ?? '', tarball: r.tarball.details ?? '' }));`);
		expect(result).toEqual({ passed: true, source: '', tarball: '' });
		expect(status).toBe(0);
		expect(existsSync(join(root, 'package.development.json'))).toBe(false); // postpack restored it
		expect(readFileSync(join(root, 'package.json'), 'utf8')).toBe(developmentText);
	}, 600_000);

	it('fails on the development manifest (the check can fail)', () => {
		const { result } = runNode(`
			import { pathToFileURL } from 'node:url';
			import { writeFileSync, readFileSync } from 'node:fs';
			import { ensureScanner, stageSource } from './scripts/scan/scanPackage.mjs';
			const scanner = await import(pathToFileURL(ensureScanner(() => {})).href);
			const staged = stageSource();
			writeFileSync(staged.dir + '/package.json', readFileSync('package.json', 'utf8'));
			const r = await scanner.analyzePackage(staged.dir, scanner.SOURCE_FILE_PATTERNS);
			staged.cleanup();
			console.log(JSON.stringify({ passed: r.passed, details: r.details ?? '' }));`);
		expect(result).toMatchObject({ passed: false });
		expect((result as { details: string }).details).toMatch(/"overrides" field is not allowed/);
	}, 600_000);
});
