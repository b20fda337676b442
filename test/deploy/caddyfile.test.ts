// The Caddyfile, checked by Caddy itself (Debian's `caddy` package, installed by `.ci/run`, never by
// a test): it adapts without errors in both set-ups (production webhooks to n8n main, and to every
// `n8n-webhook` replica), /webhook/* goes to the dynamic upstream before the catch-all to n8n main,
// and test webhooks (/webhook-test/*) stay on main. Without `caddy` on PATH the test FAILS when `CI`
// is set and is skipped, with that reason, otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IN_CI } from '../support/n8nEditor';
import { REPO } from './composeModel';

function caddyMissing(): string | null {
	const probe = spawnSync('caddy', ['version'], { encoding: 'utf8' });
	return probe.status === 0 ? null : "Caddy is not installed (Debian's `caddy` package; .ci/run installs it)";
}

const skipReason = IN_CI ? null : caddyMissing();
if (skipReason !== null) console.warn(`SKIPPED Caddyfile check: ${skipReason}`);

interface Route {
	match?: { path?: string[] }[];
	handle: { handler: string; routes?: Route[]; upstreams?: { dial: string }[]; dynamic_upstreams?: { source: string; name: string; port: string } }[];
}

/** Caddy's JSON config for the Caddyfile with this environment (`caddy adapt`). */
function adapt(env: Record<string, string>): { routes: Route[] } {
	const out = execFileSync('caddy', ['adapt', '--adapter', 'caddyfile', '--config', join(REPO, 'Caddyfile')], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const config = JSON.parse(out);
	const [site] = config.apps.http.servers.srv0.routes as Route[];
	return { routes: site!.handle.find((h) => h.handler === 'subroute')!.routes! };
}

/** Where a path is proxied to: the first route whose path matcher takes it (no matcher takes all). */
function proxyFor(routes: Route[], path: string) {
	const takes = (pattern: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern);
	const route = routes.find((r) => r.handle.some((h) => h.handler === 'reverse_proxy') && (r.match === undefined || r.match.some((m) => (m.path ?? []).some(takes))));
	return route?.handle.find((h) => h.handler === 'reverse_proxy');
}

describe.skipIf(skipReason !== null)('Caddyfile (checked by caddy adapt)', () => {
	it('by default every request, webhooks included, goes to n8n main', () => {
		const { routes } = adapt({ N8N_DOMAIN: 'desk.example.com', N8N_WEBHOOK_HOST: 'n8n' });
		expect(proxyFor(routes, '/webhook/tradingview')?.dynamic_upstreams).toEqual(expect.objectContaining({ source: 'a', name: 'n8n', port: '5678' }));
		expect(proxyFor(routes, '/rest/workflows')?.upstreams).toEqual([{ dial: 'n8n:5678' }]);
	});

	it('with webhook processes, production webhooks go to every n8n-webhook replica and the rest to main', () => {
		const { routes } = adapt({ N8N_DOMAIN: 'desk.example.com', N8N_WEBHOOK_HOST: 'n8n-webhook' });
		for (const path of ['/webhook/tradingview', '/webhook/telegram']) {
			expect(proxyFor(routes, path)?.dynamic_upstreams, path).toEqual(expect.objectContaining({ source: 'a', name: 'n8n-webhook', port: '5678' }));
		}
		for (const path of ['/', '/rest/login', '/webhook-test/tradingview']) expect(proxyFor(routes, path)?.upstreams, path).toEqual([{ dial: 'n8n:5678' }]);
	});
});
