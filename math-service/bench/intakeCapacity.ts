/**
 * @module bench/intakeCapacity
 * What an alert rate needs from the machine, from the CPU one alert costs each process (ms of CPU
 * per alert, measured while nothing queues, so it does not depend on what else loads the machine).
 * Each n8n process (main, a queue-mode worker, a webhook process) and the math service runs its
 * JavaScript on one thread, so a role of k processes tops out at k × 1000 / (ms per alert)
 * alerts/s whatever the core count; the rate a deployment sustains is the lowest of those
 * ceilings. Cores at a rate = Σ ms per alert × rate / 1000 (the databases and Redis not counted).
 * Degenerate: a role with no CPU per alert has no ceiling (Infinity).
 */

/** CPU ms per alert of one role (all its processes together) and how many processes share it. */
export interface RoleCpu {
	role: string;
	msPerAlert: number;
	processes: number;
}

export interface IntakeCapacity {
	/** Alerts/s each role can take: processes × 1000 / ms per alert. */
	ceilings: { role: string; perSecond: number }[];
	/** The lowest ceiling (alerts/s) and the role it belongs to. */
	ceilingPerSecond: number;
	bottleneck: string;
	/** Cores busy at `rate` alerts/s: Σ ms per alert × rate / 1000. */
	coresAtRate: number;
	/** Processes of each role one core of JavaScript each can carry at `rate`: ⌈ms × rate / 1000⌉. */
	processesAtRate: { role: string; processes: number }[];
}

export function intakeCapacity(roles: readonly RoleCpu[], rate: number): IntakeCapacity {
	const ceilings = roles.map((r) => ({ role: r.role, perSecond: r.msPerAlert > 0 ? (r.processes * 1000) / r.msPerAlert : Number.POSITIVE_INFINITY }));
	const lowest = ceilings.reduce((a, b) => (b.perSecond < a.perSecond ? b : a), { role: 'none', perSecond: Number.POSITIVE_INFINITY });
	return {
		ceilings,
		ceilingPerSecond: lowest.perSecond,
		bottleneck: lowest.role,
		coresAtRate: roles.reduce((sum, r) => sum + (r.msPerAlert * rate) / 1000, 0),
		processesAtRate: roles.map((r) => ({ role: r.role, processes: Math.max(1, Math.ceil((r.msPerAlert * rate) / 1000)) })),
	};
}
