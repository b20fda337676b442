// Installs the pinned n8n (2.8.4, the newest that runs on Node 20) once per machine into a cache
// outside the repository, so fresh clones, CI runs and `npm start` reuse it.
//
//   ${HFQ_CACHE_DIR:-$HOME/.cache/highfreqquant}/n8n-2.8.4/
//     package.json        {"dependencies": {"n8n": "2.8.4"}, "overrides": {"xlsx": "0.18.5"}}
//     node_modules/...    the install (~1,000 packages, 2-6 min on first use)
//     .hfq-installed      marker, written only after the install has been verified
//
// A directory lock (`n8n-2.8.4.lock/`, atomic mkdir) keeps two test files or a test and
// `npm start` from installing at the same time; a lock whose owner process is gone is taken over.
// CLI: `node scripts/n8n/ensureN8n.mjs` installs if needed and prints the path of the n8n binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.8.4';
const MARKER = '.hfq-installed';
const LOCK_WAIT_MS = 30 * 60_000;
const LOCK_POLL_MS = 500;

/** The install folder for the pinned n8n. */
export function n8nInstallDir(env = process.env) {
	const cache = env.HFQ_CACHE_DIR || join(homedir(), '.cache', 'highfreqquant');
	return join(cache, `n8n-${N8N_VERSION}`);
}

/** Path of n8n's CLI entry (run it with `process.execPath`, not through a shell). */
export function n8nBinPath(dir = n8nInstallDir()) {
	return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function installLooksComplete(dir) {
	try {
		const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		if (pkg.version !== N8N_VERSION || !existsSync(n8nBinPath(dir))) return false;
		// sqlite3 is n8n's default database driver and the one native module it cannot start without.
		const probe = spawnSync(process.execPath, ['-e', "require('sqlite3')"], { cwd: dir, stdio: 'ignore' });
		return probe.status === 0;
	} catch {
		return false;
	}
}

function isComplete(dir) {
	try {
		return readFileSync(join(dir, MARKER), 'utf8').trim() === N8N_VERSION && existsSync(n8nBinPath(dir));
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
			if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`timed out waiting for the n8n install lock ${lockDir}`);
			if (!announced) log(`[hfq-n8n] another process is installing n8n (${lockDir}); waiting`);
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

function npm(args, cwd, log) {
	log(`[hfq-n8n] npm ${args.join(' ')}  (in ${cwd})`);
	execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/**
 * Makes sure the pinned n8n is installed and returns the path of its CLI entry.
 * @param {{ dir?: string, log?: (line: string) => void }} [opts]
 * @returns {Promise<string>}
 */
export async function ensureN8n(opts = {}) {
	const dir = opts.dir ?? n8nInstallDir();
	const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
	if (isComplete(dir)) return n8nBinPath(dir);
	mkdirSync(join(dir, '..'), { recursive: true });
	await withLock(`${dir}.lock`, async () => {
		if (isComplete(dir)) return;
		mkdirSync(dir, { recursive: true });
		if (!installLooksComplete(dir)) {
			const t0 = Date.now();
			log(`[hfq-n8n] installing n8n@${N8N_VERSION} into ${dir} (one time, takes a few minutes)`);
			writeFileSync(
				join(dir, 'package.json'),
				`${JSON.stringify({ name: 'hfq-n8n-cache', private: true, dependencies: { n8n: N8N_VERSION }, overrides: { xlsx: '0.18.5' } }, null, 1)}\n`,
			);
			npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], dir, log);
			// npm 11 may skip install scripts it has not been told to allow; build the one native
			// module n8n needs if its binding is missing.
			if (!installLooksComplete(dir)) npm(['rebuild', 'sqlite3'], dir, log);
			if (!installLooksComplete(dir)) throw new Error(`n8n@${N8N_VERSION} install in ${dir} is incomplete (n8n or sqlite3 missing)`);
			log(`[hfq-n8n] installed in ${Math.round((Date.now() - t0) / 1000)} s`);
		}
		writeFileSync(join(dir, MARKER), `${N8N_VERSION}\n`);
	}, log);
	return n8nBinPath(dir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	ensureN8n().then(
		(bin) => process.stdout.write(`${bin}\n`),
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
