/**
 * @module bench/processCpu
 * CPU time of the n8n processes of one instance (main, queue-mode workers and webhook processes), read from /proc:
 * the processes whose environment names the instance's N8N_USER_FOLDER. Lets the intake benchmark
 * say where an alert's CPU goes (ms of n8n main / worker CPU per alert; the math service's by its
 * pid) and whether n8n's main process is the bottleneck (CPU share near one core). Linux only;
 * elsewhere it finds nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface N8nProcess {
	pid: number;
	role: 'main' | 'worker' | 'webhook' | 'service';
}

/** The n8n role of a process from its command line (`n8n start`, `n8n worker`, `n8n webhook`), or null. */
export function n8nRoleOf(args: readonly string[]): 'main' | 'worker' | 'webhook' | null {
	if (args.some((a) => a.endsWith('watchdog.cjs'))) return null;
	const bin = args.findIndex((a) => /(^|\/)n8n$/.test(a));
	if (bin < 0) return null;
	const command = args[bin + 1];
	return command === 'start' ? 'main' : command === 'worker' ? 'worker' : command === 'webhook' ? 'webhook' : null;
}

/** n8n's `start`, `worker` and `webhook` processes whose environment has N8N_USER_FOLDER=userFolder. */
export function n8nProcesses(userFolder: string): N8nProcess[] {
	const found: N8nProcess[] = [];
	let pids: string[] = [];
	try {
		pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
	} catch {
		return found;
	}
	for (const pid of pids) {
		try {
			const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			const role = n8nRoleOf(args);
			if (!role) continue;
			if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`N8N_USER_FOLDER=${userFolder}`)) continue;
			found.push({ pid: Number(pid), role });
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/** User + system CPU seconds a process has used so far (NaN when it is gone). */
export function cpuSeconds(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
	} catch {
		return Number.NaN;
	}
}

/** Starts counting; `stop()` returns CPU seconds used by role since the start. */
export function countCpu(processes: N8nProcess[]): { stop(): Record<N8nProcess['role'], number> } {
	const start = new Map(processes.map((p) => [p.pid, cpuSeconds(p.pid)]));
	return {
		stop() {
			const used = { main: 0, worker: 0, webhook: 0, service: 0 };
			for (const p of processes) used[p.role] += cpuSeconds(p.pid) - start.get(p.pid)!;
			return used;
		},
	};
}
