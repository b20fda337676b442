// The pinned-n8n cache: a verified install is reused without npm, and the install lock serialises
// concurrent installers and survives a crashed one. (No test here runs `npm install`.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { ensureN8n, n8nBinPath, n8nInstallDir, N8N_VERSION, withLock } from '../../scripts/n8n/ensureN8n.mjs';

const dirs: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'hfq-ensure-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ensureN8n', () => {
	it('puts the pinned version under HFQ_CACHE_DIR', () => {
		expect(n8nInstallDir({ HFQ_CACHE_DIR: '/x/cache' })).toBe(`/x/cache/n8n-${N8N_VERSION}`);
		expect(N8N_VERSION).toBe('2.8.4');
	});

	it('returns the CLI path of a marked install without installing', async () => {
		const dir = join(tempDir(), `n8n-${N8N_VERSION}`);
		mkdirSync(join(dir, 'node_modules', 'n8n', 'bin'), { recursive: true });
		writeFileSync(n8nBinPath(dir), '#!/usr/bin/env node\n');
		writeFileSync(join(dir, '.hfq-installed'), `${N8N_VERSION}\n`);
		const lines: string[] = [];
		await expect(ensureN8n({ dir, log: (line) => lines.push(line) })).resolves.toBe(join(dir, 'node_modules', 'n8n', 'bin', 'n8n'));
		expect(lines).toEqual([]);
		expect(existsSync(`${dir}.lock`)).toBe(false);
	});
});

describe('withLock', () => {
	it('runs concurrent holders one after the other', async () => {
		const lock = join(tempDir(), 'x.lock');
		const events: string[] = [];
		const holder = (name: string) =>
			withLock(lock, async () => {
				events.push(`${name}:in`);
				await new Promise((resolve) => setTimeout(resolve, 200));
				events.push(`${name}:out`);
			});
		await Promise.all([holder('a'), holder('b')]);
		expect(events).toHaveLength(4);
		expect(events[1]).toBe(`${events[0].split(':')[0]}:out`);
		expect(existsSync(lock)).toBe(false);
	});

	it('takes over a lock whose owner process has exited', async () => {
		const lock = join(tempDir(), 'y.lock');
		const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
		mkdirSync(lock);
		writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: dead, host: hostname(), at: new Date().toISOString() }));
		await expect(withLock(lock, () => 'ran')).resolves.toBe('ran');
	});

	it('releases the lock when the holder throws', async () => {
		const lock = join(tempDir(), 'z.lock');
		await expect(withLock(lock, () => Promise.reject(new Error('npm failed')))).rejects.toThrow('npm failed');
		expect(existsSync(lock)).toBe(false);
	});
});
