import { describe, expect, it } from 'vitest';
import { n8nRoleOf } from './processCpu';

const node = '/usr/bin/node';
const bin = '/cache/n8n-2.8.4/node_modules/n8n/bin/n8n';

describe('n8nRoleOf', () => {
	it('returns main, worker and webhook for the n8n commands', () => {
		expect(n8nRoleOf([node, bin, 'start'])).toBe('main');
		expect(n8nRoleOf([node, bin, 'worker', '--concurrency=50'])).toBe('worker');
		expect(n8nRoleOf([node, bin, 'webhook'])).toBe('webhook');
	});

	it('returns null for the watchdog that starts n8n and for other n8n commands', () => {
		expect(n8nRoleOf([node, '/repo/scripts/n8n/watchdog.cjs', node, bin, 'start'])).toBeNull();
		expect(n8nRoleOf([node, bin, 'import:workflow', '--input=x'])).toBeNull();
		expect(n8nRoleOf([node, '/repo/math-service/dist/main.js', 'start'])).toBeNull();
	});
});
