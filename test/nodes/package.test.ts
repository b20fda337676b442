/**
 * The built package as n8n sees it: `scripts/build-nodes.mjs` output loaded by n8n-core's own
 * `PackageDirectoryLoader` (what n8n runs for an installed community package), then the loaded,
 * compiled Risk Sizer executed through WorkflowExecute against the real math service.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ICredentialType, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runNode } from '../support/nodeHarness';
import { startMathService, type RunningMathService } from './mathServiceServer';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (git-ignored .cache/) so the compiled files resolve n8n-workflow from
// the repository's node_modules, as they would from n8n's.
const packageDir = join(root, '.cache', `n8n-package-test-${process.pid}`);
const { PackageDirectoryLoader } = createRequire(import.meta.url)('n8n-core') as typeof import('n8n-core');

let loader: InstanceType<typeof PackageDirectoryLoader>;
let service: RunningMathService;

beforeAll(async () => {
	mkdirSync(packageDir, { recursive: true });
	execFileSync(process.execPath, [join(root, 'scripts/build-nodes.mjs'), '--out-dir', join(packageDir, 'dist')]);
	copyFileSync(join(root, 'package.json'), join(packageDir, 'package.json'));
	loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	service = await startMathService();
}, 120_000);

afterAll(async () => {
	await service?.close();
	rmSync(packageDir, { recursive: true, force: true });
});

function nodeDescription(): INodeTypeDescription {
	const description = loader.types.nodes.find((node) => node.name === 'riskSizer');
	expect(description, 'Risk Sizer in the loaded package').toBeDefined();
	return description as INodeTypeDescription;
}

describe('n8n community package (built)', () => {
	it('loads the node and the credential listed in the package.json manifest', () => {
		expect(loader.packageName).toBe('n8n-nodes-highfreqquant');
		expect(Object.keys(loader.known.nodes).sort()).toEqual(['alphaScore', 'backtester', 'cryptoPanic', 'deskControl', 'glassnode', 'highFreqQuantTelegram', 'marketData', 'riskMonitor', 'riskSizer', 'signalIntake', 'signalScan']);
		expect(Object.keys(loader.known.credentials).sort()).toEqual(['cryptoPanicApi', 'glassnodeApi', 'highFreqQuantApi', 'highFreqQuantTelegramApi']);
		expect(loader.known.credentials.highFreqQuantApi.supportedNodes).toEqual(expect.arrayContaining(['riskSizer', 'signalIntake', 'backtester']));
	});

	it('resolves distinct light and dark icons for the node and the credential', () => {
		const credential = loader.types.credentials.find((c) => c.name === 'highFreqQuantApi') as ICredentialType & {
			iconUrl?: { light: string; dark: string };
		};
		for (const iconUrl of [nodeDescription().iconUrl, credential?.iconUrl]) {
			expect(iconUrl).toEqual({
				light: 'icons/n8n-nodes-highfreqquant/dist/nodes/RiskSizer/riskSizer.svg',
				dark: 'icons/n8n-nodes-highfreqquant/dist/nodes/RiskSizer/riskSizer.dark.svg',
			});
		}
		const svg = (name: string) => readFileSync(join(packageDir, 'dist/nodes/RiskSizer', name), 'utf8');
		expect(svg('riskSizer.svg')).toMatch(/^<svg /);
		expect(svg('riskSizer.dark.svg')).not.toBe(svg('riskSizer.svg'));
	});

	it('reads the codex categories and documentation links', () => {
		const { codex } = nodeDescription();
		expect(codex?.categories).toEqual(expect.arrayContaining(['Finance & Accounting', 'Analytics']));
		expect(codex?.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
	});

	it('runs the compiled node through WorkflowExecute against the math service', async () => {
		const nodeType = loader.nodeTypes.riskSizer.type as INodeType;
		const credentialType = loader.credentialTypes.highFreqQuantApi.type;
		const { items, error } = await runNode({
			node: nodeType,
			parameters: { operation: 'kelly', winRate: '={{ $json.p }}' },
			input: [{ p: 0.55 }],
			credentials: [{ type: credentialType, data: { baseUrl: service.baseUrl } }],
		});
		expect(error).toBeUndefined();
		// Defaults: avg win 1.5, avg loss 1, quarter Kelly, 10% cap → f* 0.25, 6.25% of equity.
		expect(items[0].json.kelly_fraction).toBeCloseTo(0.25, 12);
		expect(items[0].json.position_pct).toBeCloseTo(6.25, 10);
		expect(existsSync(join(packageDir, 'dist/nodes/RiskSizer/RiskSizer.node.js'))).toBe(true);
	});
});
