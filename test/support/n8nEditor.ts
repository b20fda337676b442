// The n8n editor in a real browser for tests: Debian's Chromium (the `chromium` package, which
// `.ci/run` installs; never a test) driven by playwright-core, headless and offline, signed in as the
// instance owner through n8n's REST API (owner set-up, then the login cookie in the browser context).
// Selectors are the editor's own `data-test-id` attributes.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Screenshots and page dumps of browser tests (git-ignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts');

export function artifactPath(name: string): string {
	mkdirSync(ARTIFACTS_DIR, { recursive: true });
	return join(ARTIFACTS_DIR, name);
}

/** Is this a CI run (`CI` set and not "false"/"0")? There a missing Chromium fails the browser tests. */
export const IN_CI = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

/** Why Chromium cannot be launched, or null when it can. */
export function chromiumMissing(): string | null {
	return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (Debian's chromium package; .ci/run installs it)`;
}

/** Launches Chromium; a missing browser is an error that says how to install it. */
export async function launchChromium(): Promise<Browser> {
	const missing = chromiumMissing();
	if (missing !== null) throw new Error(`${missing}${IN_CI ? '; CI is set, so the browser test fails instead of skipping' : ''}`);
	return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface N8nOwner {
	email: string;
	password: string;
}

/** Creates the instance owner of a fresh n8n (POST /rest/owner/setup). */
export async function setUpOwner(baseUrl: string, owner: N8nOwner = { email: 'owner@example.com', password: 'Editor-Test-Passw0rd' }): Promise<N8nOwner> {
	const res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: owner.email, firstName: 'Test', lastName: 'Owner', password: owner.password }),
	});
	if (!res.ok) throw new Error(`n8n owner set-up failed: HTTP ${res.status} ${await res.text()}`);
	return owner;
}

/** A browser context holding the owner's n8n session cookie (POST /rest/login through the context). */
export async function signedInContext(browser: Browser, baseUrl: string, owner: N8nOwner): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	const res = await context.request.post(`${baseUrl}/rest/login`, { data: { emailOrLdapLoginId: owner.email, password: owner.password } });
	if (!res.ok()) throw new Error(`n8n login failed: HTTP ${res.status()} ${await res.text()}`);
	return context;
}

/** A workflow as the editor's REST API returns it (the draft, and the published version n8n runs). */
export interface EditorWorkflow {
	id: string;
	versionId: string;
	activeVersionId: string | null;
	nodes: { name: string; type: string; parameters: Record<string, unknown> }[];
	activeVersion?: { versionId: string; nodes: EditorWorkflow['nodes'] } | null;
}

export async function fetchWorkflow(context: BrowserContext, baseUrl: string, id: string): Promise<EditorWorkflow> {
	const res = await context.request.get(`${baseUrl}/rest/workflows/${id}`);
	if (!res.ok()) throw new Error(`GET /rest/workflows/${id}: HTTP ${res.status()} ${await res.text()}`);
	return ((await res.json()) as { data: EditorWorkflow }).data;
}

/** The n8n version the server reports (GET /rest/settings → versionCli). */
export async function n8nVersion(context: BrowserContext, baseUrl: string): Promise<string> {
	const res = await context.request.get(`${baseUrl}/rest/settings`);
	return ((await res.json()) as { data: { versionCli: string } }).data.versionCli;
}

/** Records what the page logged as errors and which requests failed, for a failure message. */
export function recordPageProblems(page: Page): string[] {
	const problems: string[] = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error') problems.push(`console: ${msg.text().slice(0, 300)}`);
	});
	page.on('pageerror', (err) => problems.push(`page error: ${err.message.slice(0, 300)}`));
	page.on('response', (res) => {
		if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
	});
	return problems;
}
