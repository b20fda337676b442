// Runs several n8n CLI commands (import:credentials, import:workflow, publish:workflow, ...) in ONE
// n8n process instead of one boot each (a boot is 3-5 s idle, much more on a loaded machine).
// It does what n8n's bin/n8n + CommandRegistry do, once, then init() + run() per command.
// Usage (with n8n's environment): node n8nSetup.cjs <n8n package dir> '<json [[name, flags], ...]>'
// Falls back to nothing: n8nInstance.mjs uses separate CLI processes if this exits non-zero.
'use strict';
const path = require('node:path');

async function main() {
	const [n8nDir, stepsJson] = process.argv.slice(2);
	const steps = JSON.parse(stepsJson);
	const from = (request) => require(require.resolve(request, { paths: [n8nDir] }));
	// bin/n8n: config must be loaded before the typeorm entities
	process.argv = [process.argv[0], path.join(n8nDir, 'bin', 'n8n'), steps[0][0]];
	require(path.join(n8nDir, 'dist', 'config'));
	require('node:net').setDefaultAutoSelectFamily?.(false);
	require(path.join(n8nDir, 'dist', 'command-registry.js')); // registers zod's .alias() used by flag schemas
	const { Container } = from('@n8n/di');
	const { CommandMetadata } = from('@n8n/decorators');
	const { ModuleRegistry } = from('@n8n/backend-common');
	for (const [name] of steps) require(path.join(n8nDir, 'dist', 'commands', `${name.replaceAll(':', '/')}.js`));
	await Container.get(ModuleRegistry).loadModules();
	const metadata = Container.get(CommandMetadata);
	let last;
	for (const [name, flags] of steps) {
		const entry = metadata.get(name);
		if (!entry) throw new Error(`n8n command ${name} not found`);
		const command = Container.get(entry.class);
		command.flags = entry.flagsSchema ? entry.flagsSchema.parse(flags) : flags;
		console.log(`\n$ n8n ${name} ${JSON.stringify(flags)}`);
		let failed;
		try {
			// the first init() connects and migrates the database and loads node types; later
			// commands only need the container's services (a second init() would reload the nodes)
			if (!last) await command.init?.();
			await command.run();
		} catch (error) {
			failed = error;
			await command.catch?.(error);
		}
		if (failed) throw failed;
		last = command;
	}
	const { DbConnection } = from('@n8n/db');
	await new Promise((resolve) => setTimeout(resolve, 100));
	await Container.get(DbConnection).close();
	return last;
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`n8nSetup failed: ${error?.stack ?? error}`);
		process.exit(1);
	},
);
