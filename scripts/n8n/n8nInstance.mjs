// Starts a real n8n (a tested release: 2.8.4 or the current 2.41.1, see ensureN8n.mjs) with our
// community package installed the way a user installs it, workflows imported and published,
// credentials imported, on a free loopback port. Every n8n process runs on the node that release
// needs (the machine's for 2.8.4, a cached Node 24 for 2.41.1).
// Used by the end-to-end tests (through test/support/n8nHarness.ts) and by `npm start`.
//
// Sequence (steps 2-4 run in ONE n8n process through n8nSetup.cjs, falling back to one CLI process
// per command; all use <userFolder>/.n8n/database.sqlite):
//   1. npm pack the repo → <userFolder>/.n8n/nodes/node_modules/n8n-nodes-highfreqquant
//   2. n8n import:credentials --input=<generated JSON array>   (plain `data`; n8n encrypts it)
//   3. n8n import:workflow --separate --input=<dir>             (node credentials referenced by
//      name are linked to the imported credential of that name and type)
//   4. n8n publish:workflow --id=<id>                            (per workflow; 2.x's "activate")
//   5. n8n start (under watchdog.cjs), detached in its own process group; ready when /healthz/readiness answers 200,
//      n8n printed "Editor is now accessible via" (2.8.4: after activating every published workflow;
//      or each logged "Activated workflow"), no published version is left unapplied (2.41.1 applies
//      publications asynchronously: n8nExecutions.mjs unappliedPublications), and every production
//      webhook answers.
import { spawn, execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ensureN8nRuntime, N8N_VERSION } from './ensureN8n.mjs';
import { installPackage } from './installPackage.mjs';
import { freePort, n8nEnv } from './n8nEnv.mjs';
import { readExecutions, unappliedPublications } from './n8nExecutions.mjs';

const execFileAsync = promisify(execFile);
const SETUP_SCRIPT = fileURLToPath(new URL('./n8nSetup.cjs', import.meta.url));
const WATCHDOG = fileURLToPath(new URL('./watchdog.cjs', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readWorkflow(source) {
	const workflow = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : structuredClone(source);
	const label = typeof source === 'string' ? source : workflow.name;
	if (!workflow.id) throw new Error(`workflow ${label} has no "id" (n8n import keeps ids; we publish by id)`);
	if (!Array.isArray(workflow.nodes) || typeof workflow.connections !== 'object') throw new Error(`workflow ${label} has no nodes/connections`);
	// n8n 2.8.4's import looks `{name}` (no "id" key) up as `id: undefined`, which matches an
	// arbitrary credential. `{id: null, name}` is linked by name and type, as intended.
	for (const node of workflow.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			if (ref && typeof ref === 'object' && !('id' in ref)) node.credentials[type] = { id: null, name: ref.name };
		}
	}
	return workflow;
}

/** Production webhooks of a workflow: [{ method, path }] (method "GET,POST" when the node serves several). */
export function webhooksOf(workflow) {
	return workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook' && !node.disabled)
		.map((node) => ({
			method: [node.parameters?.httpMethod ?? 'GET'].flat().map((m) => String(m).toUpperCase()).join(','),
			path: String(node.parameters?.path ?? node.webhookId).replace(/^\/+/, ''),
		}));
}

export async function cli({ bin, node }, args, env, logFile) {
	appendFileSync(logFile, `\n$ n8n ${args.join(' ')}\n`);
	try {
		const { stdout, stderr } = await execFileAsync(node, [bin, ...args], { env, maxBuffer: 64 << 20, timeout: 180_000 });
		appendFileSync(logFile, stdout + stderr);
		const out = stdout + stderr;
		// n8n's CLI exits 0 after logging some errors
		if (/An error occurred|GOT ERROR|Error updating database/.test(out)) {
			throw new Error(`n8n ${args.join(' ')} reported an error:\n${out}`);
		}
		return out;
	} catch (error) {
		if (error.stdout !== undefined) appendFileSync(logFile, String(error.stdout) + String(error.stderr));
		throw error;
	}
}

function existingKey(userFolder) {
	const file = join(userFolder, '.n8n', 'config');
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8')).encryptionKey;
	} catch {
		return undefined;
	}
}

/** Runs the CLI steps in one n8n process (n8nSetup.cjs); falls back to one process per command. */
export async function runSteps(runtime, steps, env, logFile) {
	if (!process.env.HFQ_N8N_SEPARATE_CLI) {
		const n8nDir = join(runtime.bin, '..', '..');
		appendFileSync(logFile, `\n$ node n8nSetup.cjs (${steps.map(([name]) => name).join(', ')})\n`);
		try {
			const { stdout, stderr } = await execFileAsync(runtime.node, [SETUP_SCRIPT, n8nDir, JSON.stringify(steps)], {
				env,
				maxBuffer: 64 << 20,
				timeout: 300_000,
			});
			appendFileSync(logFile, stdout + stderr);
			return;
		} catch (error) {
			appendFileSync(logFile, `${error.stdout ?? ''}${error.stderr ?? ''}\n(one-process set-up failed; running the commands one by one)\n`);
		}
	}
	for (const [name, flags] of steps) {
		const args = [name, ...Object.entries(flags).map(([key, value]) => (value === true ? `--${key}` : `--${key}=${value}`))];
		await cli(runtime, args, env, logFile);
	}
}

/**
 * One request on its own connection, closed afterwards (`agent: false`). Start-up probes must not
 * leave idle keep-alive connections in fetch's pool: n8n 2.41.1 (Node 24) closes them while idle
 * and the next request of the caller then fails with "other side closed" / ECONNRESET.
 * @returns {Promise<{ status: number, text: string } | null>} null when n8n does not answer
 */
function probeRequest(url, method = 'GET') {
	return new Promise((resolve) => {
		const req = httpRequest(url, { method, agent: false, timeout: 2000 }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			res.on('error', () => resolve(null));
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(null));
		req.end();
	});
}

/** Is the production webhook registered? Probe with a method it does not use: n8n then says
 * "not registered for X requests" (registered) instead of "is not registered" (not yet). */
async function webhookRegistered(baseUrl, { method, path }) {
	const probe = ['DELETE', 'PATCH', 'PUT', 'GET', 'POST'].find((m) => !method.split(',').includes(m));
	if (!probe) return true; // serves every method: cannot probe without running it
	const res = await probeRequest(`${baseUrl}/webhook/${path}`, probe);
	return res !== null && (res.status !== 404 || /not registered for/i.test(res.text));
}

/**
 * @param {import('./n8nInstance.d.mts').StartN8nOptions} opts
 * @returns {Promise<import('./n8nInstance.d.mts').N8nInstance>}
 */
export async function startN8n(opts = {}) {
	const t0 = Date.now();
	const log = opts.log ?? (() => {});
	const version = opts.version ?? N8N_VERSION;
	const runtime = opts.n8nBin
		? { version, bin: opts.n8nBin, node: opts.nodeBinary ?? process.execPath }
		: await ensureN8nRuntime({ version, log: (line) => process.stderr.write(`${line}\n`) });
	const userFolder = opts.userFolder ?? mkdtempSync(join(tmpdir(), 'hfq-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const logFile = join(userFolder, 'n8n.log');
	writeFileSync(logFile, '');
	const port = opts.port ?? (await freePort());
	const brokerPort = await freePort();
	// A reused user folder keeps its key (n8n refuses to start when N8N_ENCRYPTION_KEY differs from .n8n/config).
	const encryptionKey = opts.encryptionKey ?? existingKey(userFolder) ?? randomBytes(24).toString('hex');
	const env = n8nEnv({ userFolder, port, brokerPort, encryptionKey, version: runtime.version, nodeBinary: runtime.node, env: opts.env });
	const baseUrl = `http://127.0.0.1:${port}`;
	const timings = {};
	let child;
	let exited = null;
	let output = '';

	const logs = () => {
		try {
			return readFileSync(logFile, 'utf8');
		} catch {
			return output;
		}
	};
	const fail = (message) => new Error(`${message}\n--- n8n log (${logFile}) ---\n${logs()}`);

	/** Queue-mode workers and webhook processes ({ child, exited, output }), stopped before main. */
	const workers = [];
	const webhookProcesses = [];
	const helpers = () => [...workers, ...webhookProcesses];
	async function stopProcess(proc, isExited) {
		try {
			process.kill(proc.pid, 'SIGTERM'); // the watchdog passes it on to n8n once
		} catch {}
		for (let i = 0; i < 150 && !isExited(); i++) await sleep(100);
		if (!isExited()) {
			try {
				process.kill(-proc.pid, 'SIGKILL');
			} catch {}
			for (let i = 0; i < 20 && !isExited(); i++) await sleep(100);
		}
	}
	async function stop() {
		await Promise.all(helpers().filter((w) => w.exited === null).map((w) => stopProcess(w.child, () => w.exited !== null)));
		if (child && exited === null) await stopProcess(child, () => exited !== null);
		process.off('exit', killOnExit);
		if (!opts.keepUserFolder && !process.env.HFQ_KEEP_N8N && !opts.userFolder) rmSync(userFolder, { recursive: true, force: true });
	}
	function killOnExit() {
		for (const proc of [...helpers().filter((w) => w.exited === null).map((w) => w.child), ...(child && exited === null ? [child] : [])]) {
			try {
				process.kill(-proc.pid, 'SIGKILL');
			} catch {}
		}
	}
	function onOutput(prefix) {
		return (chunk) => {
			const text = prefix ? chunk.toString().replace(/^(?=.)/gm, prefix) : chunk.toString();
			output += text;
			appendFileSync(logFile, text);
			log(text);
		};
	}

	try {
		let installed = null;
		if (opts.installPackage !== false) {
			installed = installPackage({ userFolder, packageRoot: opts.packageRoot });
			timings.installPackageMs = Date.now() - t0;
		}

		const steps = [];
		if (opts.credentials?.length) {
			const file = join(userFolder, 'import-credentials.json');
			writeFileSync(file, JSON.stringify(opts.credentials, null, 2));
			steps.push(['import:credentials', { input: file }]);
		}
		const workflows = (opts.workflows ?? []).map(readWorkflow);
		if (workflows.length) {
			const dir = join(userFolder, 'import-workflows');
			rmSync(dir, { recursive: true, force: true });
			mkdirSync(dir, { recursive: true });
			workflows.forEach((wf, i) => writeFileSync(join(dir, `${i}-${wf.id}.json`), JSON.stringify(wf, null, 2)));
			steps.push(['import:workflow', { input: dir, separate: true }]);
		}
		const toPublish = opts.publish ?? workflows.map((wf) => wf.id);
		for (const id of toPublish) steps.push(['publish:workflow', { id }]);

		const t1 = Date.now();
		if (steps.length) await runSteps(runtime, steps, env, logFile);
		timings.setupMs = Date.now() - t1;

		const t2 = Date.now();
		appendFileSync(logFile, `\n$ n8n start  (n8n ${runtime.version} on node ${runtime.node}, port ${port}, broker ${brokerPort})\n`);
		// through watchdog.cjs: n8n stops when this process dies, even without running exit handlers
		child = spawn(process.execPath, [WATCHDOG, runtime.node, runtime.bin, 'start'], { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
		child.stdin.on('error', () => {});
		process.on('exit', killOnExit);
		child.stdout.on('data', onOutput(''));
		child.stderr.on('data', onOutput(''));
		child.on('exit', (code, signal) => {
			exited = { code, signal };
		});

		const published = workflows.filter((wf) => toPublish.includes(wf.id));
		const deadline = Date.now() + (opts.readyTimeoutMs ?? 300_000);
		for (;;) {
			if (exited) throw fail(`n8n exited during start-up (code ${exited.code}, signal ${exited.signal})`);
			if (Date.now() > deadline) throw fail(`n8n did not become ready within ${opts.readyTimeoutMs ?? 300_000} ms`);
			const failed = published.find((wf) => output.includes(`Issue on initial workflow activation try of "${wf.name}" (ID: ${wf.id})`));
			if (failed) throw fail(`workflow ${failed.id} could not be activated`);
			const ready = (await probeRequest(`${baseUrl}/healthz/readiness`))?.status === 200;
			// n8n prints "Editor is now accessible via" once its active-workflow manager has activated
			// every published workflow (both releases). 2.8.4 also logs "Activated workflow" for each;
			// 2.41.1 does not always (schedule-only workflows have no webhook to probe either)
			const logged = (wf) => output.includes(`Activated workflow "${wf.name}" (ID: ${wf.id})`);
			const activated = output.includes('Editor is now accessible via') || published.every(logged);
			// 2.41.1 applies publications after that line (an outbox): wait until none is left
			if (ready && activated && unappliedPublications(userFolder).length === 0) {
				// main with N8N_DISABLE_PRODUCTION_MAIN_PROCESS leaves production webhooks to the webhook processes
				const hooks = opts.webhookProcesses ? [] : published.flatMap(webhooksOf);
				const answered = await Promise.all(hooks.map((hook) => webhookRegistered(baseUrl, hook)));
				if (answered.every(Boolean)) break;
			}
			await sleep(150);
		}
		timings.bootMs = Date.now() - t2;

		// queue mode (EXECUTIONS_MODE=queue in opts.env): `n8n worker` processes run the executions
		// main puts on Redis, `n8n webhook` processes answer production webhooks and queue them; each
		// needs its own task-runner broker port, a webhook process its own HTTP port too
		const t3 = Date.now();
		const spawnHelper = (kind, i, args, extraEnv) => {
			const helperEnv = { ...env, ...extraEnv };
			appendFileSync(logFile, `\n$ n8n ${kind} #${i + 1}  (${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(', ')})\n`);
			const helper = { child: spawn(process.execPath, [WATCHDOG, runtime.node, runtime.bin, ...args], { env: helperEnv, detached: true, stdio: ['pipe', 'pipe', 'pipe'] }), exited: null, output: '', name: `n8n ${kind} #${i + 1}` };
			helper.child.stdin.on('error', () => {});
			const write = onOutput(`[${kind} ${i + 1}] `);
			const collect = (chunk) => {
				helper.output += chunk.toString();
				write(chunk);
			};
			helper.child.stdout.on('data', collect);
			helper.child.stderr.on('data', collect);
			helper.child.on('exit', (code, signal) => {
				helper.exited = { code, signal };
			});
			return helper;
		};
		for (let i = 0; i < (opts.workers ?? 0); i++) {
			workers.push(spawnHelper('worker', i, ['worker', `--concurrency=${opts.workerConcurrency ?? 10}`], { N8N_RUNNERS_BROKER_PORT: String(await freePort()) }));
		}
		for (let i = 0; i < (opts.webhookProcesses ?? 0); i++) {
			const webhookPort = await freePort();
			const helper = spawnHelper('webhook', i, ['webhook'], { N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
			helper.baseUrl = `http://127.0.0.1:${webhookPort}`;
			webhookProcesses.push(helper);
		}
		const publishedHooks = workflows.filter((wf) => toPublish.includes(wf.id)).flatMap(webhooksOf);
		for (const helper of helpers()) {
			for (;;) {
				if (helper.exited) throw fail(`${helper.name} exited during start-up (code ${helper.exited.code}, signal ${helper.exited.signal})`);
				if (Date.now() > deadline) throw fail(`${helper.name} did not become ready within ${opts.readyTimeoutMs ?? 300_000} ms`);
				const ready = helper.baseUrl
					? (await probeRequest(`${helper.baseUrl}/healthz`))?.status === 200 && (await Promise.all(publishedHooks.map((hook) => webhookRegistered(helper.baseUrl, hook)))).every(Boolean)
					: /worker is now ready/i.test(helper.output);
				if (ready) break;
				await sleep(150);
			}
		}
		if (helpers().length) timings.workersMs = Date.now() - t3;
		timings.totalMs = Date.now() - t0;

		return {
			version: runtime.version,
			baseUrl,
			port,
			userFolder,
			logFile,
			installed,
			timings,
			webhookUrl: (path) => `${baseUrl}/webhook/${String(path).replace(/^\/+/, '')}`,
			webhookProcessUrls: (path) => webhookProcesses.map((w) => `${w.baseUrl}/webhook/${String(path).replace(/^\/+/, '')}`),
			logs,
			executions: (query) => readExecutions(userFolder, query),
			async waitForExecution({ workflowId, afterId = 0, timeoutMs = 15_000 } = {}) {
				// n8n answers "Respond to Webhook" before the execution is finished and saved
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const done = readExecutions(userFolder, { workflowId, limit: 50 })
						.filter((e) => e.id > afterId && !['new', 'running', 'waiting'].includes(e.status))
						.at(-1);
					if (done) return done;
					if (Date.now() > deadline) throw new Error(`no finished execution${workflowId ? ` of ${workflowId}` : ''} after id ${afterId} within ${timeoutMs} ms`);
					await sleep(100);
				}
			},
			lastExecutionId: (workflowId) => readExecutions(userFolder, { workflowId, limit: 1 })[0]?.id ?? 0,
			stop,
		};
	} catch (error) {
		const logsText = logs();
		await stop();
		if (error.message.includes('--- n8n log')) throw error;
		throw new Error(`${error.message}\n--- n8n log ---\n${logsText}`);
	}
}
