// Test-side entry to a real n8n (each tested release: 2.8.4 and the current 2.41.1) with our
// package installed like a user installs it. The logic lives in scripts/n8n/*.mjs (shared with
// `npm start`); this file adds types and helpers.
//
//   describe.each(N8N_TEST_VERSIONS)('… on n8n %s', (version) => { … startN8n({ version, … }) … });
//   const n8n = await startN8n({ version, workflows: ['workflows/x.json'], credentials: [credential(...)] });
//   await fetch(n8n.webhookUrl('tradingview'), { method: 'POST', body });
//   await n8n.stop();
//
// One start takes ~15-25 s (CLI import/publish processes + boot), so start once per test file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8N_VERSIONS } from '../../scripts/n8n/ensureN8n.mjs';
import { startN8n as startCore } from '../../scripts/n8n/n8nInstance.mjs';
import type { N8nExecution, N8nInstance as CoreInstance, StartN8nOptions } from '../../scripts/n8n/n8nInstance.mjs';

export type N8nInstance = CoreInstance;
export type { N8nExecution, StartN8nOptions };

export const PACKAGE_NAME = 'n8n-nodes-highfreqquant';

/**
 * The n8n releases the end-to-end tests run on: every tested release, or the comma-separated
 * subset in HFQ_N8N_VERSIONS (e.g. `HFQ_N8N_VERSIONS=2.41.1` while working on one of them).
 */
export function n8nTestVersions(env: NodeJS.ProcessEnv = process.env): string[] {
	const wanted = env.HFQ_N8N_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
	if (!wanted?.length) return [...N8N_VERSIONS];
	const unknown = wanted.filter((v) => !N8N_VERSIONS.includes(v));
	if (unknown.length) throw new Error(`HFQ_N8N_VERSIONS names untested n8n release(s) ${unknown.join(', ')}; tested: ${N8N_VERSIONS.join(', ')}`);
	return wanted;
}

/** Releases for `describe.each`: oldest first. */
export const N8N_TEST_VERSIONS = n8nTestVersions();

export async function startN8n(opts: StartN8nOptions): Promise<N8nInstance> {
	return startCore(opts);
}

/** An n8n credential export object for `import:credentials` (plain data; n8n encrypts it). */
export function credential(type: string, name: string, data: Record<string, unknown>, id?: string): object {
	return { id: id ?? `hfq${type.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 16), name, type, data };
}

/** Node types n8n loaded, as written to its static cache (`<userFolder>/.cache/n8n/public/types`). */
export function loadedNodeTypes(instance: N8nInstance): string[] {
	const file = join(instance.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	const types = JSON.parse(readFileSync(file, 'utf8')) as { name: string }[];
	return [...new Set(types.map((t) => t.name))];
}

/** Credential types n8n loaded. */
export function loadedCredentialTypes(instance: N8nInstance): string[] {
	const file = join(instance.userFolder, '.cache', 'n8n', 'public', 'types', 'credentials.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { name: string }[]).map((t) => t.name);
}
