// Test-side entry to a real n8n 2.8.4 with our package installed like a user installs it.
// The logic lives in scripts/n8n/*.mjs (shared with `npm start`); this file adds types and helpers.
//
//   const n8n = await startN8n({ workflows: ['workflows/x.json'], credentials: [credential(...)] });
//   await fetch(n8n.webhookUrl('tradingview'), { method: 'POST', body });
//   await n8n.stop();
//
// One start takes ~15-25 s (CLI import/publish processes + boot), so start once per test file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startN8n as startCore } from '../../scripts/n8n/n8nInstance.mjs';
import type { N8nExecution, N8nInstance as CoreInstance, StartN8nOptions } from '../../scripts/n8n/n8nInstance.mjs';

export type N8nInstance = CoreInstance;
export type { N8nExecution, StartN8nOptions };

export const PACKAGE_NAME = 'n8n-nodes-highfreqquant';

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
