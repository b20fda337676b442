// The environment for a local, offline, quiet n8n 2.x (2.8.4 and the current release alike):
// loopback only, no telemetry, no version/template/banner calls to n8n.io, community packages on
// (that is how our package is loaded), SQLite in the user folder, fixed encryption key so imported
// credentials decrypt. When n8n runs on its own Node.js (newer than the machine's), that node's
// bin folder comes first on PATH so anything n8n starts by name (`node`) is the same runtime.
import { createServer } from 'node:net';
import { dirname, delimiter } from 'node:path';
import { N8N_VERSION } from './ensureN8n.mjs';

/** Environment variables passed through from the parent; everything else is dropped. */
const PASS_THROUGH = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'SHELL', 'TERM'];

/** A free TCP port on 127.0.0.1 (the OS picks it; tiny race until n8n binds it). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Settings only some releases know (an unknown module name in N8N_DISABLED_MODULES stops 2.8.4). */
function releaseSpecific(version) {
	const [major, minor] = String(version).split('.').map(Number);
	if (major === 2 && minor < 41) return {};
	return {
		// 2.41: the MCP server registry module fetches api.n8n.io/api/mcp-servers at start
		N8N_DISABLED_MODULES: 'mcp-registry',
	};
}

/**
 * @param {{ userFolder: string, port: number, brokerPort: number, encryptionKey: string, version?: string, nodeBinary?: string, env?: Record<string, string> }} o
 * @returns {Record<string, string>}
 */
export function n8nEnv({ userFolder, port, brokerPort, encryptionKey, version = N8N_VERSION, nodeBinary = process.execPath, env = {} }) {
	const base = {};
	for (const name of PASS_THROUGH) if (process.env[name] !== undefined) base[name] = process.env[name];
	if (nodeBinary !== process.execPath) base.PATH = [dirname(nodeBinary), base.PATH].filter(Boolean).join(delimiter);
	return {
		...base,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_SECURE_COOKIE: 'false',
		// offline and quiet
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// our package lives in <userFolder>/.n8n/nodes/node_modules like a user-installed one
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // would fetch the vetted list from api.n8n.io
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// task runner (JS, internal mode): its broker needs its own port or parallel instances collide on 5679
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// loopback fakes must never go through a proxy
		NO_PROXY: '127.0.0.1,localhost',
		...releaseSpecific(version),
		...env,
	};
}
