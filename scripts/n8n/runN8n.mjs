// Runs a tested n8n release with this package installed until Ctrl-C, for manual checks:
//
//   node scripts/n8n/runN8n.mjs [--version 2.8.4|2.41.1] [--workflow FILE]... [--credentials FILE]
//                               [--user-folder DIR] [--port N] [--no-package] [--quiet]
//
// --version: n8n release (default: the current one; installed with its Node.js on first use).
// --credentials: a JSON array of n8n credential export objects ({id, name, type, data}).
// --user-folder: keep n8n's state (database, executions, key) between runs; default a temp folder
// that is deleted on exit. Prints the editor URL and each production webhook URL.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { N8N_VERSION } from './ensureN8n.mjs';
import { startN8n, webhooksOf } from './n8nInstance.mjs';

const { values } = parseArgs({
	options: {
		version: { type: 'string', default: N8N_VERSION },
		workflow: { type: 'string', multiple: true, default: [] },
		credentials: { type: 'string' },
		'user-folder': { type: 'string' },
		port: { type: 'string' },
		quiet: { type: 'boolean', default: false },
		'no-package': { type: 'boolean', default: false },
	},
});

const n8n = await startN8n({
	version: values.version,
	workflows: values.workflow,
	credentials: values.credentials ? JSON.parse(readFileSync(values.credentials, 'utf8')) : [],
	userFolder: values['user-folder'],
	port: values.port ? Number(values.port) : undefined,
	installPackage: !values['no-package'],
	log: values.quiet ? undefined : (text) => process.stderr.write(text),
});

console.log(`n8n ${n8n.version} ${n8n.baseUrl}  (user folder ${n8n.userFolder}, started in ${Math.round(n8n.timings.totalMs / 1000)} s)`);
for (const file of values.workflow) {
	const workflow = JSON.parse(readFileSync(file, 'utf8'));
	for (const hook of webhooksOf(workflow)) console.log(`  ${workflow.name}: ${hook.method} ${n8n.webhookUrl(hook.path)}`);
}

let stopping = false;
const shutdown = async () => {
	if (stopping) return;
	stopping = true;
	await n8n.stop();
	process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
