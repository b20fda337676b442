// The n8n cache: each tested release in its own folder, run on the node it needs; a verified install
// is reused without npm, and the install lock serialises concurrent installers and survives a
// crashed one. (No test here runs `npm install`.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import {
	ensureN8n,
	ensureN8nRuntime,
	n8nBinPath,
	n8nInstallDir,
	N8N_CURRENT,
	N8N_OLDEST,
	N8N_VERSION,
	N8N_VERSIONS,
	nodeHome,
	registryNodeVersion,
	withLock,
} from '../../scripts/n8n/ensureN8n.mjs';
import { n8nEnv } from '../../scripts/n8n/n8nEnv.mjs';

const dirs: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'hfq-ensure-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A cache folder with a marked install of `version` (no npm involved). */
function markedInstall(cache: string, version: string): string {
	const dir = n8nInstallDir({ HFQ_CACHE_DIR: cache }, version);
	mkdirSync(join(dir, 'node_modules', 'n8n', 'bin'), { recursive: true });
	writeFileSync(n8nBinPath(dir), '#!/usr/bin/env node\n');
	writeFileSync(join(dir, '.hfq-installed'), `${version}\n`);
	return dir;
}

describe('ensureN8n', () => {
	it('tests the Node 20 release and the current one; the current one is the default', () => {
		expect(N8N_VERSIONS).toEqual(['2.8.4', '2.41.1']);
		expect([N8N_OLDEST, N8N_CURRENT, N8N_VERSION]).toEqual(['2.8.4', '2.41.1', '2.41.1']);
	});

	it('puts each release in its own folder under HFQ_CACHE_DIR and refuses an untested one', () => {
		expect(n8nInstallDir({ HFQ_CACHE_DIR: '/x/cache' }, '2.8.4')).toBe('/x/cache/n8n-2.8.4');
		expect(n8nInstallDir({ HFQ_CACHE_DIR: '/x/cache' })).toBe('/x/cache/n8n-2.41.1');
		expect(() => n8nInstallDir({ HFQ_CACHE_DIR: '/x/cache' }, '2.40.0')).toThrow(/not a supported release.*2\.8\.4, 2\.41\.1/);
	});

	it('runs 2.8.4 on the machine node and 2.41.1 on a registry Node 24 unless the machine node is 24 or newer', () => {
		expect(registryNodeVersion('2.8.4', '20.19.0')).toBeNull();
		expect(registryNodeVersion('2.41.1', '20.19.0')).toMatch(/^24\.\d+\.\d+$/);
		expect(registryNodeVersion('2.41.1', '22.12.0')).toMatch(/^24\./);
		expect(registryNodeVersion('2.41.1', '24.0.0')).toBeNull();
	});

	it('returns the CLI path of a marked install without installing', async () => {
		const dir = markedInstall(tempDir(), N8N_OLDEST);
		const lines: string[] = [];
		await expect(ensureN8n({ version: N8N_OLDEST, dir, log: (line) => lines.push(line) })).resolves.toBe(join(dir, 'node_modules', 'n8n', 'bin', 'n8n'));
		expect(lines).toEqual([]);
		expect(existsSync(`${dir}.lock`)).toBe(false);
	});

	it.skipIf(Number(process.versions.node.split('.')[0]) >= 24)('pairs a marked 2.41.1 with the cached registry node, not this process\'s node', async () => {
		const cache = tempDir();
		const env = { HFQ_CACHE_DIR: cache };
		const dir = markedInstall(cache, N8N_CURRENT);
		const nodeVersion = registryNodeVersion(N8N_CURRENT)!;
		const home = nodeHome(nodeVersion, env);
		mkdirSync(join(home, 'bin'), { recursive: true });
		writeFileSync(join(home, 'bin', 'node'), '');
		writeFileSync(join(cache, `node-${nodeVersion}`, '.hfq-installed'), `${nodeVersion}\n`);
		const lines: string[] = [];
		const runtime = await ensureN8nRuntime({ version: N8N_CURRENT, env, log: (line) => lines.push(line) });
		expect(runtime).toEqual({ version: N8N_CURRENT, bin: n8nBinPath(dir), node: join(home, 'bin', 'node'), dir });
		expect(runtime.node).not.toBe(process.execPath);
		expect(lines).toEqual([]);
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

describe('n8nEnv per release', () => {
	const base = { userFolder: '/u', port: 5678, brokerPort: 5679, encryptionKey: 'k' };

	it('turns the MCP registry module (calls api.n8n.io) off on 2.41.1 only: 2.8.4 refuses an unknown module name', () => {
		expect(n8nEnv({ ...base, version: '2.41.1' }).N8N_DISABLED_MODULES).toBe('mcp-registry');
		expect(n8nEnv({ ...base, version: '2.8.4' })).not.toHaveProperty('N8N_DISABLED_MODULES');
		expect(n8nEnv({ ...base, version: '2.41.1', env: { N8N_DISABLED_MODULES: 'insights' } }).N8N_DISABLED_MODULES).toBe('insights');
	});

	it("puts the release's own node first on PATH", () => {
		expect(n8nEnv({ ...base, nodeBinary: '/cache/node-24/bin/node' }).PATH?.split(delimiter)[0]).toBe('/cache/node-24/bin');
		expect(n8nEnv({ ...base }).PATH).toBe(process.env.PATH);
	});
});
