// Runs a command and stops it when our parent goes away: the parent holds our stdin open, so
// stdin closing means it exited or was killed (even by SIGKILL, when no exit handler runs).
// Then SIGTERM to the child, SIGKILL after 10 s. Used by n8nInstance.mjs to start n8n, so a
// crashed test run does not leave an n8n process behind.
// Usage: node watchdog.cjs <command> [args...]   (output and exit code are the child's)
'use strict';
const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop() {
	if (stopping) return;
	stopping = true;
	child.kill('SIGTERM');
	setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
}

process.stdin.on('data', () => {});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
